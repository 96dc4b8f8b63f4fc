/** @module The `format=openai|anthropic|mcp` answers of the tool lists, as OpenAPI documents them. */
import { z } from 'zod';
import { LLM_FORMATS } from '../domain/tools/llm-formats.ts';

export const LlmFormatInput = z.enum(LLM_FORMATS as ['openai', 'anthropic', 'mcp']);

const JsonSchemaObject = z.record(z.string(), z.unknown());

export const OpenAiToolWire = z.object({
  type: z.literal('function'),
  function: z.object({ name: z.string(), description: z.string(), parameters: JsonSchemaObject }),
});

export const AnthropicToolWire = z.object({ name: z.string(), description: z.string(), input_schema: JsonSchemaObject });

export const McpToolWire = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string(),
  inputSchema: JsonSchemaObject,
  outputSchema: JsonSchemaObject.optional(),
  annotations: z.object({ readOnlyHint: z.boolean(), destructiveHint: z.boolean(), idempotentHint: z.boolean(), openWorldHint: z.boolean() }),
});

export const LlmToolWire = z.union([OpenAiToolWire, AnthropicToolWire, McpToolWire]);

/** Keyed by the name the model calls: the catalog tool and the account to run it as. */
export const ToolBindingsWire = z.record(z.string(), z.object({ tool_name: z.string(), connected_account_id: z.string(), connection_name: z.string() }));
