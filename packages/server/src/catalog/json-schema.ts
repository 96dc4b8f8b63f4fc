/** @module The one ajv set-up for tool input schemas: strict (a misspelt keyword is an error), all errors reported, defaults filled. */
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS: under ESM its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

export function createJsonSchemaValidator(): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true, coerceTypes: false });
  addFormats(ajv);
  return ajv;
}
