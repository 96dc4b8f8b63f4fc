/**
 * @module `agentgate tools list|show|run`: the tool catalog and tool execution, through the API (a
 * gateway must be running). `run` acts as one connected account; the gateway injects its credential,
 * so none ever reaches the command line.
 */
import type { AgentgateClient, ExecuteToolParams, FreeFormObject, ListToolsParams, Tool } from '@agentgate/sdk';
import { API_OPTIONS, apiClient } from '../api.ts';
import type { CommandContext, GroupCommand, LeafCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import { yesNo } from '../output.ts';
import { PAGE_OPTIONS, pageFooter, pageParams } from '../paging.ts';

const list: LeafCommand = {
  kind: 'leaf',
  summary: 'List the tool catalog',
  usage: ['tools list [--provider KEY] [--query TEXT] [--page-size N] [--page-token TOKEN]'],
  options: {
    provider: { type: 'string', short: 'p', value: 'KEY', description: 'Only tools of this connector, e.g. gmail.' },
    query: { type: 'string', short: 'q', value: 'TEXT', description: 'Words that must all appear in the name, title or description.' },
    ...PAGE_OPTIONS,
    ...API_OPTIONS,
  },
  positionals: { names: [], required: 0 },
  async run(ctx) {
    // Without `format`: the CLI prints the catalog shape (the SDK types the answer by the format).
    const params: ListToolsParams & { format?: undefined } = { ...pageParams(ctx) };
    const provider = ctx.string('provider');
    const query = ctx.string('query');
    if (provider !== undefined) params.provider = provider;
    if (query !== undefined) params.query = query;
    const page = await apiClient(ctx).tools.list(params);
    const { output } = ctx;
    // The API's own shape: without `summary` it has no tool_names.
    if (output.jsonMode) return output.json({ tools: page.tools, totalSize: page.totalSize, nextPageToken: page.nextPageToken, prevPageToken: page.prevPageToken });
    if (page.tools.length === 0 && page.totalSize === 0) return output.line('No tools match.');
    output.table(page.tools, [
      { header: 'NAME', value: (t) => t.definition.name },
      { header: 'PROVIDER', value: (t) => t.provider },
      { header: 'READ-ONLY', value: (t) => yesNo(t.definition.annotations.readOnlyHint) },
      { header: 'DESTRUCTIVE', value: (t) => yesNo(t.definition.annotations.destructiveHint) },
      { header: 'TITLE', value: (t) => t.definition.annotations.title },
    ]);
    pageFooter(output, page, page.tools.length, 'tool');
  },
};

const show: LeafCommand = {
  kind: 'leaf',
  summary: 'Show one tool: description, behaviour, required scopes and input parameters',
  usage: ['tools show <name> [--tool-version V]'],
  options: {
    'tool-version': { type: 'string', value: 'V', description: 'A version other than the default one.' },
    ...API_OPTIONS,
  },
  positionals: { names: ['name'], required: 1 },
  async run(ctx) {
    const toolVersion = ctx.string('tool-version');
    const tool = await apiClient(ctx).tools.get(ctx.args[0] ?? '', toolVersion === undefined ? {} : { toolVersion });
    const { output } = ctx;
    if (output.jsonMode) return output.json({ tool });
    const { definition, metadata } = tool;
    const { annotations } = definition;
    output.details([
      ['Name', definition.name],
      ['Title', annotations.title],
      ['Provider', tool.provider],
      ['Version', `${metadata.toolVersion}${tool.isDefault ? ' (default)' : ''}`],
      ['Method', metadata.method],
      ['Read-only', yesNo(annotations.readOnlyHint)],
      ['Destructive', yesNo(annotations.destructiveHint)],
      ['Idempotent', yesNo(annotations.idempotentHint)],
      ['Open world', yesNo(annotations.openWorldHint)],
      ...(tool.tags.length === 0 ? [] : ([['Tags', tool.tags.join(', ')]] as [string, string][])),
      ...(metadata.pagination === undefined
        ? []
        : ([['Pagination', `pass ${metadata.pagination.output} back as ${metadata.pagination.input}`]] as [string, string][])),
    ]);
    output.line('');
    output.line(definition.description);
    output.line('');
    if (metadata.requiredScopes.length === 0) output.line('Required scopes: none');
    else {
      output.line('Required scopes (any one of):');
      for (const scope of metadata.requiredScopes) output.line(`  ${scope}`);
    }
    output.line('');
    const parameters = parametersOf(definition.inputSchema);
    if (parameters.length === 0) return output.line('Input: no parameters');
    output.line('Input:');
    output.table(parameters, [
      { header: 'PARAMETER', value: (p) => p.name },
      { header: 'TYPE', value: (p) => p.type },
      { header: 'REQUIRED', value: (p) => yesNo(p.required) },
      { header: 'DESCRIPTION', value: (p) => p.description },
    ]);
  },
};

interface Parameter {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly description: string;
}

/** The top-level properties of an input schema, required ones first (then in schema order). */
function parametersOf(schema: FreeFormObject): Parameter[] {
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  const required = new Set(Array.isArray(schema['required']) ? schema['required'].filter((r): r is string => typeof r === 'string') : []);
  const parameters = Object.entries(properties).map(([name, raw]) => {
    const property = isObject(raw) ? raw : {};
    const notes: string[] = [];
    if (Array.isArray(property['enum'])) notes.push(`one of: ${property['enum'].map((v) => JSON.stringify(v)).join(', ')}`);
    if (property['default'] !== undefined) notes.push(`default: ${JSON.stringify(property['default'])}`);
    const description = typeof property['description'] === 'string' ? property['description'] : '';
    return {
      name,
      type: typeOf(property),
      required: required.has(name),
      description: [description, ...(notes.length === 0 ? [] : [`(${notes.join('; ')})`])].filter(Boolean).join(' '),
    };
  });
  return [...parameters.filter((p) => p.required), ...parameters.filter((p) => !p.required)];
}

/** `string`, `integer`, `array<string>`, `string (email)`, `string|null`; `any` when the schema does not say. */
function typeOf(schema: Record<string, unknown>): string {
  const types = typesOf(schema);
  if (types.length === 0) {
    const alternatives = [schema['anyOf'], schema['oneOf']].find(Array.isArray);
    return alternatives === undefined ? 'any' : alternatives.map((s: unknown) => typeOf(isObject(s) ? s : {})).join('|');
  }
  return types
    .map((type) => {
      if (type === 'array' && isObject(schema['items'])) return `array<${typeOf(schema['items'])}>`;
      if (type === 'string' && typeof schema['format'] === 'string') return `string (${schema['format']})`;
      return type;
    })
    .join('|');
}

function typesOf(schema: Record<string, unknown>): string[] {
  const type = schema['type'];
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

const run: LeafCommand = {
  kind: 'leaf',
  summary: 'Run a tool as one connected account and print its result',
  usage: [
    "tools run <name> --account ID [--params JSON | --param KEY=VALUE ...] [--agent-run-id X] [--tool-version V]",
    "tools run <name> --connection NAME --identifier ID [--params JSON | --param KEY=VALUE ...]",
  ],
  notes: [
    'Prints the tool\'s `data` as JSON on stdout and the execution id on stderr (with --json: both, as',
    'the API returns them). --param values are typed from the tool\'s input schema (`max_results=5` is',
    'a number, `query=5` a string), repeat a key to build an array, and KEY:=JSON passes any JSON value.',
    '--identifier alone works when exactly one account of the tool\'s connector has it.',
    'A provider failure prints one line with its kind, the upstream status, the message and the fix,',
    'and exits 1; look the call up later with its execution id.',
  ],
  options: {
    account: { type: 'string', short: 'a', value: 'ID', description: 'Connected account id.' },
    connection: { type: 'string', short: 'c', value: 'NAME', description: 'Connection name (with --identifier, instead of --account).' },
    identifier: { type: 'string', short: 'i', value: 'ID', description: "The end user's identifier." },
    params: { type: 'string', value: 'JSON', description: 'The whole input as one JSON object.' },
    param: { type: 'string', multiple: true, value: 'KEY=VALUE', description: 'One input parameter (KEY:=JSON for a raw JSON value).' },
    'agent-run-id': { type: 'string', value: 'X', description: 'Groups the calls of one agent run in the tool call log.' },
    'tool-version': { type: 'string', value: 'V', description: 'Run a version other than the default one.' },
    ...API_OPTIONS,
  },
  positionals: { names: ['name'], required: 1 },
  async run(ctx) {
    const toolName = ctx.args[0] ?? '';
    const account = accountOf(ctx);
    const client = apiClient(ctx);
    const toolVersion = ctx.string('tool-version');
    const agentRunId = ctx.string('agent-run-id');
    const params: ExecuteToolParams = {
      toolName,
      ...account,
      params: await inputOf(ctx, client, toolName, toolVersion),
      ...(agentRunId === undefined ? {} : { agentRunId }),
      ...(toolVersion === undefined ? {} : { toolVersion }),
    };
    const result = await client.tools.execute<unknown>(params);
    const { output } = ctx;
    if (output.jsonMode) return output.json(result);
    // Verbatim: `data` belongs to the tool, its keys are not converted.
    output.line(JSON.stringify(result.data, null, 2));
    output.info(`Execution id: ${result.executionId}`);
  },
};

/** `--account`, or `--connection` with `--identifier`, or `--identifier` alone. */
function accountOf(ctx: CommandContext): Pick<ExecuteToolParams, 'connectedAccountId' | 'connectionName' | 'identifier'> {
  const hint = `see "agentgate ${ctx.path} --help"`;
  const connectedAccountId = ctx.string('account');
  const connectionName = ctx.string('connection');
  const identifier = ctx.string('identifier');
  if (connectedAccountId !== undefined) {
    if (connectionName !== undefined || identifier !== undefined) throw new UsageError('give --account or --connection with --identifier, not both', hint);
    return { connectedAccountId };
  }
  if (identifier === undefined) {
    throw new UsageError(connectionName === undefined ? 'name the account: --account ID, or --connection NAME --identifier ID' : '--connection needs --identifier', hint);
  }
  return connectionName === undefined ? { identifier } : { connectionName, identifier };
}

/** The tool input from `--params` or the `--param` pairs (typed with the tool's input schema). */
async function inputOf(ctx: CommandContext, client: AgentgateClient, toolName: string, toolVersion: string | undefined): Promise<FreeFormObject> {
  const hint = `see "agentgate ${ctx.path} --help"`;
  const json = ctx.string('params');
  const pairs = ctx.strings('param');
  if (json !== undefined && pairs.length > 0) throw new UsageError('give --params or --param, not both', hint);
  if (json !== undefined) {
    const parsed = parseJson(json, '--params', hint);
    if (!isObject(parsed)) throw new UsageError('--params must be a JSON object, e.g. \'{"max_results": 5}\'', hint);
    return parsed;
  }
  if (pairs.length === 0) return {};
  // Typing `5` as a number or a string needs the schema: one extra read of the tool.
  const tool: Tool = await client.tools.get(toolName, toolVersion === undefined ? {} : { toolVersion });
  const properties = isObject(tool.definition.inputSchema['properties']) ? tool.definition.inputSchema['properties'] : {};
  const input: FreeFormObject = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--param must be KEY=VALUE or KEY:=JSON, got "${pair}"`, hint);
    const rawJson = pair[at - 1] === ':';
    const key = pair.slice(0, rawJson ? at - 1 : at);
    const text = pair.slice(at + 1);
    const schema = isObject(properties[key]) ? properties[key] : undefined;
    const value = rawJson ? parseJson(text, `--param ${key}`, hint) : coerce(text, schema, key, hint);
    const previous = input[key];
    if (previous === undefined) input[key] = value;
    else if (schema !== undefined && typesOf(schema).includes('array')) input[key] = [previous, value].flatMap((v) => (Array.isArray(v) ? v : [v]));
    else throw new UsageError(`--param ${key} is given twice (only array parameters may repeat)`, hint);
  }
  return input;
}

/** A `KEY=VALUE` value as the schema types it; a parameter the schema does not describe is JSON if it parses, else text. */
function coerce(text: string, schema: Record<string, unknown> | undefined, key: string, hint: string): unknown {
  const types = schema === undefined ? [] : typesOf(schema);
  if (types.includes('string')) return text;
  if (types.length === 0) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  if (types.includes('array')) {
    if (text.trimStart().startsWith('[')) return parseJson(text, `--param ${key}`, hint);
    const items = schema !== undefined && isObject(schema['items']) ? schema['items'] : undefined;
    return [coerce(text, items, key, hint)];
  }
  if (types.includes('integer') || types.includes('number')) {
    const number = Number(text);
    if (text.trim() === '' || !Number.isFinite(number) || (!types.includes('number') && !Number.isInteger(number))) {
      throw new UsageError(`--param ${key} must be ${types.includes('number') ? 'a number' : 'an integer'}, got "${text}"`, hint);
    }
    return number;
  }
  if (types.includes('boolean')) {
    if (/^(true|yes|1)$/i.test(text)) return true;
    if (/^(false|no|0)$/i.test(text)) return false;
    throw new UsageError(`--param ${key} must be true or false, got "${text}"`, hint);
  }
  return parseJson(text, `--param ${key}`, hint);
}

function parseJson(text: string, what: string, hint: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${what} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, hint);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const command: GroupCommand = {
  kind: 'group',
  summary: 'List and show the tool catalog; run a tool as a connected account (through the API of a running gateway)',
  notes: ['Needs AGENTGATE_URL (default http://localhost:8080), AGENTGATE_CLIENT_ID and AGENTGATE_CLIENT_SECRET.'],
  subcommands: { list, show, run },
};
