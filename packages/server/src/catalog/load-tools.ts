/**
 * Loads `catalog/tools/<connector>.json` at start and checks what the zod schema cannot: the file
 * names a catalog connector, every tool name starts with `<connector>_`, names are unique per version,
 * each input schema is valid JSON Schema (ajv, strict), and every placeholder in the path, query, body
 * and headers names a declared input property, so a typo fails the start, not an agent's call.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { Connector } from "./connector-schema.ts";
import { createJsonSchemaValidator } from "./json-schema.ts";
import { ToolFileSchema, type CatalogTool } from "./tool-schema.ts";
import { isShapePath, shapePaths, templateParams } from "../domain/tools/template.ts";

export interface ToolIssue {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

/** Every tool version, sorted by name then version. */
export function loadTools(dir: string, connectorOf: (key: string) => Connector | undefined, issues: ToolIssue[]): CatalogTool[] {
  if (!existsSync(dir)) return [];
  const ajv = createJsonSchemaValidator();
  const tools: CatalogTool[] = [];
  const seen = new Map<string, string>();
  const names = readdirSync(dir).filter((name) => name.endsWith(".json")).sort();
  for (const name of names) {
    const file = path.join(path.basename(dir), name);
    const add = (where: string, message: string) => issues.push({ file, path: where, message });
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path.join(dir, name), "utf8"));
    } catch (error) {
      add("", `Invalid JSON: ${(error as Error).message}`);
      continue;
    }
    const parsed = ToolFileSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) add(issue.path.map(String).join("."), issue.message);
      continue;
    }
    const { connector: key, tools: definitions } = parsed.data;
    if (`${key}.json` !== name) add("connector", `"${key}" must equal the file name`);
    const connector = connectorOf(key);
    if (connector === undefined) {
      add("connector", `No connector "${key}" in the catalog`);
      continue;
    }
    definitions.forEach((tool, index) => {
      const at = (field: string) => `tools[${index}]${field === "" ? "" : `.${field}`}`;
      if (!tool.name.startsWith(`${key}_`)) add(at("name"), `must start with "${key}_"`);
      const id = `${tool.name}@${tool.tool_version}`;
      if (seen.has(id)) add(at("name"), `${id} is defined twice (also in ${seen.get(id)})`);
      seen.set(id, file);

      const schema = tool.input_schema;
      if (schema["type"] !== "object") add(at("input_schema.type"), 'must be "object"');
      try {
        ajv.compile(schema);
      } catch (error) {
        add(at("input_schema"), (error as Error).message);
      }
      const properties = new Set(Object.keys((schema["properties"] ?? {}) as Record<string, unknown>));
      const required = new Set((schema["required"] ?? []) as string[]);
      for (const placeholder of tool.request.path.matchAll(/\{([a-z_][a-z0-9_]*)\}/g)) {
        const param = placeholder[1] ?? "";
        if (!properties.has(param)) add(at("request.path"), `{${param}} is not an input property`);
        else if (!required.has(param)) add(at("request.path"), `{${param}} must be a required input property`);
      }
      const used = templateParams([tool.request.query ?? {}, tool.request.body ?? null, tool.request.headers ?? {}]);
      for (const param of used) if (!properties.has(param)) add(at("request"), `{{${param}}} is not an input property`);
      for (const shapePath of shapePaths([tool.response.shape ?? null, tool.response.empty ?? null, tool.response.ok_path ?? null, tool.response.error_path ?? null, tool.response.errors_path ?? null])) {
        if (!isShapePath(shapePath)) add(at("response"), `"${shapePath}" is not a response path`);
      }
      if (tool.pagination !== undefined) {
        if (!properties.has(tool.pagination.input)) add(at("pagination.input"), `"${tool.pagination.input}" is not an input property`);
        const shape = tool.response.shape;
        if (shape === undefined || typeof shape !== "object" || shape === null || !(tool.pagination.output in shape)) {
          add(at("pagination.output"), `"${tool.pagination.output}" is not a key of response.shape`);
        }
      }
      if (tool.required_scopes.length > 0 && connector.oauth === undefined) add(at("required_scopes"), `${key} has no OAuth scopes`);
      tools.push(Object.freeze({ ...tool, provider: key }));
    });
  }
  for (const [name, versions] of groupBy(tools, (tool) => tool.name)) {
    const defaults = versions.filter((tool) => tool.is_default).length;
    if (defaults !== 1) issues.push({ file: `${path.basename(dir)}/`, path: name, message: `has ${defaults} default versions; exactly one must be the default` });
  }
  return tools.sort((a, b) => (a.name === b.name ? compareVersions(a.tool_version, b.tool_version) : a.name < b.name ? -1 : 1));
}

export function compareVersions(a: string, b: string): number {
  const left = a.split(".").map(Number);
  const right = b.split(".").map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
