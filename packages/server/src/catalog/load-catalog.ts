/**
 * Loads the connector catalog from its JSON files, once, at start. Loading is synchronous and
 * all-or-nothing: a single bad file throws, naming every problem of every file, so a broken
 * catalog never half-serves.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ConnectorSchema, type Connector } from "./connector-schema.ts";
import { loadTools } from "./load-tools.ts";
import type { CatalogTool } from "./tool-schema.ts";

/** `packages/server/catalog/connectors`, found from this file so the working directory does not matter. */
export const DEFAULT_CATALOG_DIR = fileURLToPath(new URL("../../catalog/connectors", import.meta.url));

export interface Catalog {
  /** Every connector, sorted by key. */
  list(): readonly Connector[];
  get(key: string): Connector | undefined;
  /** Every tool version, sorted by name then version. */
  tools(): readonly CatalogTool[];
  /** The named tool: the given version, or the default one. */
  tool(name: string, version?: string): CatalogTool | undefined;
}

/** One problem in one catalog file; `path` is the field path (`oauth.token_url`), empty for the file as a whole. */
export interface CatalogIssue {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

export class CatalogError extends Error {
  override readonly name = "CatalogError";
  readonly issues: readonly CatalogIssue[];

  constructor(issues: readonly CatalogIssue[]) {
    const lines = issues.map((i) => `  ${i.file}: ${i.path === "" ? "" : `${i.path}: `}${i.message}`);
    super(`Invalid connector catalog (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`);
    this.issues = Object.freeze([...issues]);
  }
}

/**
 * Reads and validates every `*.json` in `dir`, and the tool definitions in `toolsDir` (by default
 * the `tools` folder next to `dir`); throws {@link CatalogError} on any problem.
 */
export function loadCatalog(dir: string = DEFAULT_CATALOG_DIR, toolsDir: string = path.join(dir, "..", "tools")): Catalog {
  const issues: CatalogIssue[] = [];
  const shownDir = displayPath(dir);

  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    throw new CatalogError([{ file: shownDir, path: "", message: `Cannot read catalog directory: ${(error as Error).message}` }]);
  }
  if (names.length === 0) throw new CatalogError([{ file: shownDir, path: "", message: "No *.json connector files" }]);

  const byKey = new Map<string, { connector: Connector; file: string }>();
  for (const name of names) {
    const file = displayPath(path.join(dir, name));
    const add = (fieldPath: string, message: string) => issues.push({ file, path: fieldPath, message });

    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path.join(dir, name), "utf8"));
    } catch (error) {
      add("", error instanceof SyntaxError ? `Invalid JSON: ${error.message}` : `Cannot read file: ${(error as Error).message}`);
      continue;
    }

    const expectedKey = name.slice(0, -".json".length);
    const rawKey = isRecord(raw) ? raw["key"] : undefined;
    const keyMismatch = typeof rawKey === "string" && rawKey !== expectedKey;
    if (keyMismatch) add("key", `"${rawKey}" must equal the file name "${expectedKey}"`);

    const result = ConnectorSchema.safeParse(raw, { error: requiredMessage });
    if (!result.success) {
      for (const issue of flattenIssues(result.error.issues)) add(issue.path, issue.message);
      continue;
    }
    if (keyMismatch) continue;

    const connector = result.data;
    const previous = byKey.get(connector.key);
    if (previous !== undefined) {
      add("key", `Duplicate key "${connector.key}" (also in ${previous.file})`);
      continue;
    }
    byKey.set(connector.key, { connector, file });
  }
  if (issues.length > 0) throw new CatalogError(issues);

  const list: readonly Connector[] = Object.freeze(
    [...byKey.values()].map(({ connector }) => deepFreeze(connector)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  );
  const index = new Map(list.map((connector) => [connector.key, connector]));
  const tools = Object.freeze(loadTools(toolsDir, (key) => index.get(key), issues).map(deepFreeze));
  if (issues.length > 0) throw new CatalogError(issues);
  const byVersion = new Map(tools.map((tool) => [`${tool.name}@${tool.tool_version}`, tool]));
  const defaults = new Map(tools.filter((tool) => tool.is_default).map((tool) => [tool.name, tool]));
  return Object.freeze({
    list: () => list,
    get: (key: string) => index.get(key),
    tools: () => tools,
    tool: (name: string, version?: string) => (version === undefined ? defaults.get(name) : byVersion.get(`${name}@${version}`)),
  });
}

/** zod says "expected string, received undefined" for a missing field; "Required" reads better in a start-up error. */
const requiredMessage: z.core.$ZodErrorMap = (issue) =>
  issue.code === "invalid_type" && issue.input === undefined ? "Required" : undefined;

/** One entry per problem, with unknown keys reported at their own path rather than at their parent's. */
function flattenIssues(issues: readonly z.core.$ZodIssue[]): { path: string; message: string }[] {
  return issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: "Unknown field" }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}

function formatPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** Relative to the working directory when inside it (short, clickable), absolute otherwise. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === "" || relative.startsWith("..") || path.isAbsolute(relative) ? path.resolve(file) : relative;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
