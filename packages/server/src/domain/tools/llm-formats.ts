/**
 * @module A catalog tool in the shapes LLM vendors take: OpenAI Chat Completions `tools[]`, Anthropic
 * Messages `tools[]`, and an MCP `tools/list` entry. Pure functions, no I/O: the HTTP route, the SDK
 * adapters and the MCP server all go through here, so each vendor's limits live in one place.
 *
 * Vendor limits (each checked by test/llm-formats.test.ts against the vendor's published schema):
 * - OpenAI: function name `^[a-zA-Z0-9_-]{1,64}$`, description at most 1024 characters, `parameters`
 *   a JSON Schema object that may not use `oneOf`/`anyOf`/`allOf`/`enum`/`not` at the top level.
 * - Anthropic: name `^[a-zA-Z0-9_-]{1,128}$`, `input_schema` with `type: "object"` and no top-level
 *   `oneOf`/`anyOf`/`allOf`.
 * - MCP: `inputSchema` (and `outputSchema` when given) with `type: "object"`; names are free-form but
 *   kept to the Anthropic rule so that an MCP client forwarding them to a model never breaks.
 *
 * Catalog tools already meet all of these (snake_case names ≤ 64, descriptions ≤ 1024, object
 * schemas); the adjustments below keep the output valid for any definition a deployment adds.
 */
import type { ToolDefinition } from '../../catalog/tool-schema.ts';

/** What the formats read from a catalog tool; `ToolDefinition` and `CatalogTool` both fit. */
export type LlmToolSource = Pick<ToolDefinition, 'name' | 'description' | 'input_schema' | 'output_schema' | 'annotations'>;

export type JsonSchemaObject = Record<string, unknown> & { type: 'object'; properties: Record<string, unknown> };

/** OpenAI Chat Completions `ChatCompletionTool` (function variant). */
export interface OpenAiTool {
  type: 'function';
  function: { name: string; description: string; parameters: JsonSchemaObject };
}

/** Anthropic Messages API custom `Tool`. */
export interface AnthropicTool {
  name: string;
  description: string;
  input_schema: JsonSchemaObject;
}

/** MCP `Tool` as listed by `tools/list` (protocol revision 2025-06-18). */
export interface McpTool {
  name: string;
  title?: string;
  description: string;
  inputSchema: JsonSchemaObject;
  outputSchema?: JsonSchemaObject;
  annotations: { readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean; openWorldHint: boolean };
}

export const OPENAI_NAME_MAX = 64;
export const OPENAI_DESCRIPTION_MAX = 1024;
export const ANTHROPIC_NAME_MAX = 128;
/** Anthropic publishes no hard limit; past a few thousand characters a description only costs tokens. */
export const ANTHROPIC_DESCRIPTION_MAX = 4096;
export const MCP_NAME_MAX = 128;

/** Top-level combinators the vendors refuse (the schema must read as one plain object). */
const OPENAI_TOP_LEVEL_REFUSED = ['oneOf', 'anyOf', 'allOf', 'enum', 'not'] as const;
const ANTHROPIC_TOP_LEVEL_REFUSED = ['oneOf', 'anyOf', 'allOf'] as const;
/** Meta keywords that identify a schema document rather than describe the input. */
const META_KEYWORDS = ['$schema', '$id'] as const;

export function toOpenAiTool(tool: LlmToolSource): OpenAiTool {
  return {
    type: 'function',
    function: {
      name: vendorName(tool.name, OPENAI_NAME_MAX),
      description: truncateAtWord(tool.description, OPENAI_DESCRIPTION_MAX),
      parameters: objectSchema(tool.input_schema, OPENAI_TOP_LEVEL_REFUSED),
    },
  };
}

export function toAnthropicTool(tool: LlmToolSource): AnthropicTool {
  return {
    name: vendorName(tool.name, ANTHROPIC_NAME_MAX),
    description: truncateAtWord(tool.description, ANTHROPIC_DESCRIPTION_MAX),
    input_schema: objectSchema(tool.input_schema, ANTHROPIC_TOP_LEVEL_REFUSED),
  };
}

export function toMcpTool(tool: LlmToolSource): McpTool {
  const outputSchema = tool.output_schema;
  return {
    name: vendorName(tool.name, MCP_NAME_MAX),
    title: tool.annotations.title,
    description: tool.description,
    inputSchema: objectSchema(tool.input_schema, []),
    // MCP requires an object output schema; a tool whose result is a list or scalar declares none.
    ...(outputSchema !== undefined && outputSchema['type'] === 'object' ? { outputSchema: objectSchema(outputSchema, []) } : {}),
    annotations: {
      readOnlyHint: tool.annotations.read_only_hint,
      destructiveHint: tool.annotations.destructive_hint,
      idempotentHint: tool.annotations.idempotent_hint,
      openWorldHint: tool.annotations.open_world_hint,
    },
  };
}

export type LlmFormat = 'openai' | 'anthropic' | 'mcp';
export const LLM_FORMATS: readonly LlmFormat[] = ['openai', 'anthropic', 'mcp'];

export function toLlmTool(tool: LlmToolSource, format: 'openai'): OpenAiTool;
export function toLlmTool(tool: LlmToolSource, format: 'anthropic'): AnthropicTool;
export function toLlmTool(tool: LlmToolSource, format: 'mcp'): McpTool;
export function toLlmTool(tool: LlmToolSource, format: LlmFormat): OpenAiTool | AnthropicTool | McpTool;
export function toLlmTool(tool: LlmToolSource, format: LlmFormat): OpenAiTool | AnthropicTool | McpTool {
  if (format === 'openai') return toOpenAiTool(tool);
  if (format === 'anthropic') return toAnthropicTool(tool);
  return toMcpTool(tool);
}

/** The name as the vendor accepts it: characters outside `[a-zA-Z0-9_-]` become `_`, then cut to the limit. */
export function vendorName(name: string, max: number): string {
  const safe = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, max);
  return safe.length === 0 ? 'tool' : safe;
}

/** Cut at the last word boundary that leaves room for an ellipsis; short text is returned unchanged. */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const ellipsis = '…';
  const limit = max - ellipsis.length;
  const head = text.slice(0, limit);
  // The head ends on a whole word when the next character is a space; otherwise back off to the last space.
  const lastSpace = /\s/.test(text.charAt(limit)) ? limit : head.search(/\s\S*$/);
  const cut = lastSpace > limit / 2 ? head.slice(0, lastSpace) : head;
  return `${cut.trimEnd()}${ellipsis}`;
}

/**
 * A copy of the schema with `type: "object"` and `properties` present, meta keywords dropped, and the
 * top-level keywords this vendor refuses removed (nested ones are left: the vendors accept them there).
 */
function objectSchema(schema: Readonly<Record<string, unknown>>, refused: readonly string[]): JsonSchemaObject {
  const copy: Record<string, unknown> = structuredClone({ ...schema });
  for (const keyword of [...META_KEYWORDS, ...refused]) delete copy[keyword];
  const properties = isRecord(copy['properties']) ? copy['properties'] : {};
  return { ...copy, type: 'object', properties };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
