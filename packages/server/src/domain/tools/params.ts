/** @module Tool parameters checked against the tool's JSON Schema, every violation named. */
import type { ValidateFunction } from 'ajv';
import { createJsonSchemaValidator } from '../../catalog/json-schema.ts';
import type { CatalogTool } from '../../catalog/tool-schema.ts';
import { GatewayError } from '../../errors.ts';

const ajv = createJsonSchemaValidator();
const compiled = new WeakMap<CatalogTool, ValidateFunction>();

/** Pins every tool accepts (reference §5.1); they select a version and never reach the provider. */
export const VERSION_PINS = ['tool_version', 'schema_version'] as const;

/** Returns a copy of `params` with schema defaults filled; throws `validation_failed` naming each field. */
export function checkParams(tool: CatalogTool, params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  let validate = compiled.get(tool);
  if (validate === undefined) {
    validate = ajv.compile(tool.input_schema);
    compiled.set(tool, validate);
  }
  // Shallow: ajv fills top-level defaults into the copy; nested objects are the request's own parse.
  const copy: Record<string, unknown> = { ...params };
  for (const pin of VERSION_PINS) delete copy[pin];
  if (validate(copy)) return copy;
  const issues = (validate.errors ?? []).map((error) => {
    const field = error.keyword === 'required' ? `/${String(error.params['missingProperty'])}` : error.keyword === 'additionalProperties' ? `/${String(error.params['additionalProperty'])}` : error.instancePath;
    const path = ['params', ...field.split('/').filter(Boolean)].join('.');
    const message = error.keyword === 'additionalProperties' ? `unknown parameter (${tool.name} takes: ${Object.keys((tool.input_schema['properties'] ?? {}) as object).join(', ') || 'none'})` : (error.message ?? 'invalid');
    return { path, message, constraint: error.keyword };
  });
  throw new GatewayError('validation_failed', `The parameters do not match ${tool.name}'s input schema: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
    details: { issues },
  });
}
