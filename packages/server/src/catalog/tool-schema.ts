/**
 * The schema of tool definitions: `catalog/tools/<connector>.json`, one file per connector, next to
 * `catalog/connectors/<connector>.json`. A tool is data: what the LLM reads (name, description, JSON
 * Schema input), what MCP clients read (annotations), what the account needs (scopes), and how one
 * call maps to one HTTP request on the connector's API and back to compact JSON.
 *
 * Templates (request `query`, `headers`, `body`; response `shape`) are plain JSON with two kinds of
 * holes, described in docs/tools.md:
 * - request side: `"{{name}}"` as a whole string is the parameter's value (any JSON type); inside a
 *   longer string it is interpolated. A key whose value is missing is left out, and so is an object
 *   whose keys were all left out. `{"$each": "{{list}}", "as": <template using {{$item}}>}` maps a list;
 *   `{"$encode": "<encoder>", "from": <template>}` runs a named encoder (e.g. an RFC 822 message).
 * - response side: a string starting with `$` is a path into the upstream JSON (`$`, `$.a.b`,
 *   `$.items[0].id`, `$headers.link`); `{"$each": "$.items", "as": <shape relative to each item>}`
 *   maps a list. Anything else is a literal.
 */
import { z } from "zod";

export const TOOL_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/;
export const BODY_ENCODERS = ["rfc822_base64url"] as const;
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type ToolHttpMethod = (typeof HTTP_METHODS)[number];

/** A JSON template (request side) or shape (response side): any JSON value. */
export const JsonTemplateSchema: z.ZodType<unknown> = z.json();

const AnnotationsSchema = z.strictObject({
  title: z.string().min(1).max(100),
  read_only_hint: z.boolean(),
  destructive_hint: z.boolean(),
  idempotent_hint: z.boolean(),
  open_world_hint: z.boolean().default(true),
});

const RequestSchema = z.strictObject({
  method: z.enum(HTTP_METHODS),
  /** Appended to the connector's API base URL; `{param}` segments are filled with the percent-encoded parameter. */
  path: z.string().regex(/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/{}%]*$/, "a path starting with / (placeholders as {param})"),
  query: z.record(z.string().min(1), JsonTemplateSchema).optional(),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.string()).optional(),
  body: JsonTemplateSchema.optional(),
  /** `json` (default) or `form` (application/x-www-form-urlencoded with bracketed nesting, as Stripe takes). */
  body_encoding: z.enum(["json", "form"]).default("json"),
});

const ResponseSchema = z.strictObject({
  /** Compact result for the LLM; without it the upstream JSON is returned as is. */
  shape: JsonTemplateSchema.optional(),
  /** What `data` is when the upstream answers 204 or an empty body. */
  empty: JsonTemplateSchema.optional(),
  /**
   * Some APIs (Slack) answer 200 with `{"ok": false, "error": "..."}`. When the path is present and
   * false, the call is a provider error whose provider code is at `error_path`.
   */
  ok_path: z.string().startsWith("$").optional(),
  error_path: z.string().startsWith("$").optional(),
  /** GraphQL-style APIs answer 200 with `errors: [...]`: a non-empty list there is a provider error. */
  errors_path: z.string().startsWith("$").optional(),
  /** Provider codes (at `error_path`) that mean the credential was refused: reported as `unauthorized` (401). */
  unauthorized_codes: z.array(z.string().min(1)).default([]),
});

const PaginationSchema = z.strictObject({
  /** The input parameter that takes the cursor. */
  input: z.string().min(1),
  /** The key of the shaped result that carries the next cursor (absent, null or "" on the last page: all three are removed). */
  output: z.string().min(1),
});

export const ToolDefinitionSchema = z.strictObject({
  name: z.string().max(64).regex(TOOL_NAME, "snake_case <connector>_<action>"),
  /** Tools are versioned; calls may pin one with `tool_version`, otherwise the default is used. */
  tool_version: z.string().regex(/^[0-9]+(?:\.[0-9]+)*$/).default("1"),
  is_default: z.boolean().default(true),
  description: z.string().min(20).max(1024),
  tags: z.array(z.string().min(1)).default([]),
  input_schema: z.record(z.string(), z.unknown()),
  output_schema: z.record(z.string(), z.unknown()).optional(),
  annotations: AnnotationsSchema,
  /** Alternatives: the account needs at least one of these scopes (empty for static credentials). */
  required_scopes: z.array(z.string().min(1)).default([]),
  request: RequestSchema,
  response: ResponseSchema.default({ unauthorized_codes: [] }),
  pagination: PaginationSchema.optional(),
});
export type ToolDefinition = z.output<typeof ToolDefinitionSchema>;

export const ToolFileSchema = z.strictObject({
  $schema: z.string().optional(),
  connector: z.string().regex(/^[a-z][a-z0-9]*$/),
  tools: z.array(ToolDefinitionSchema).min(1),
});
export type ToolFile = z.output<typeof ToolFileSchema>;

/** A tool as the catalog serves it: its definition plus the connector it belongs to. */
export interface CatalogTool extends ToolDefinition {
  readonly provider: string;
}
