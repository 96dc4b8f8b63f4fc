/**
 * Keeps docs/errors.md and docs/configuration.md in sync with the error registry and CONFIG_VARIABLES:
 * every code and variable documented, nothing documented that does not exist.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONFIG_VARIABLES } from '../src/config.ts';
import { ERROR_CODES } from '../src/errors.ts';

const read = (name: string) => readFileSync(new URL(`../../../docs/${name}`, import.meta.url), 'utf8');

/** `## \`code\`` headings and the text under each, up to the next `## `. */
function errorSections(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  const parts = markdown.split(/^## /m).slice(1);
  for (const part of parts) {
    const heading = /^`([a-z0-9_]+)`\s*$/m.exec(part.split('\n')[0] ?? '');
    if (heading?.[1] === undefined) continue;
    if (sections.has(heading[1])) throw new Error(`duplicate section for ${heading[1]}`);
    sections.set(heading[1], part.slice(part.indexOf('\n') + 1));
  }
  return sections;
}

function errorDocProblems(markdown: string, registry: Record<string, { status: number }>): string[] {
  const problems: string[] = [];
  const sections = errorSections(markdown);
  for (const [code, { status }] of Object.entries(registry)) {
    const body = sections.get(code);
    if (body === undefined) {
      problems.push(`${code}: no "## \`${code}\`" section`);
      continue;
    }
    if (!body.includes(`**HTTP status:** ${status}`)) problems.push(`${code}: section does not state HTTP status ${status}`);
    if (!/\*\*Cause:\*\*\s+\S/.test(body)) problems.push(`${code}: no cause`);
    if (!/\*\*Fix:\*\*\s+\S/.test(body)) problems.push(`${code}: no fix`);
  }
  for (const code of sections.keys()) if (!(code in registry)) problems.push(`${code}: documented but not in ERROR_CODES`);
  return problems;
}

/** Rows of the first table under `## Variables`: name → [default, meaning]. */
function configRows(markdown: string): Map<string, { defaultText: string; meaning: string }> {
  const rows = new Map<string, { defaultText: string; meaning: string }>();
  const section = markdown.split(/^## Variables\s*$/m)[1]?.split(/^## /m)[0] ?? '';
  for (const line of section.split('\n')) {
    const cells = /^\|\s*`([A-Z0-9_]+)`\s*\|(.*)\|(.*)\|\s*$/.exec(line);
    if (cells?.[1] === undefined) continue;
    rows.set(cells[1], { defaultText: cells[2] ?? '', meaning: cells[3] ?? '' });
  }
  return rows;
}

type Variables = Record<string, { schema: { safeParse(v: unknown): { success: boolean; data?: unknown } }; doc: string }>;

function configDocProblems(markdown: string, variables: Variables): string[] {
  const problems: string[] = [];
  const rows = configRows(markdown);
  for (const [name, variable] of Object.entries(variables)) {
    const row = rows.get(name);
    if (row === undefined) {
      problems.push(`${name}: no row in the Variables table`);
      continue;
    }
    if (!row.meaning.includes(variable.doc)) problems.push(`${name}: the meaning does not carry the doc text of CONFIG_VARIABLES`);
    const parsed = variable.schema.safeParse(undefined);
    if (parsed.success && parsed.data !== undefined && !row.defaultText.includes(`\`${String(parsed.data)}\``)) {
      problems.push(`${name}: default column does not show \`${String(parsed.data)}\``);
    }
  }
  for (const name of rows.keys()) if (!(name in variables)) problems.push(`${name}: in the table but not in CONFIG_VARIABLES`);
  for (const match of markdown.matchAll(/\bAGENTGATE_[A-Z0-9_]+/g)) {
    if (!(match[0] in variables)) problems.push(`${match[0]}: mentioned but not a configuration variable`);
  }
  return [...new Set(problems)];
}

const variables = CONFIG_VARIABLES as unknown as Variables;

describe('docs/errors.md', () => {
  it('has a section with the right status, a cause and a fix for every code, and no unknown code', () => {
    assert.deepEqual(errorDocProblems(read('errors.md'), ERROR_CODES), []);
  });

  it('describes the wire shape before the sections', () => {
    const intro = read('errors.md').split(/^## /m)[0] ?? '';
    assert.match(intro, /"error":\s*\{\s*"code"/);
    assert.match(intro, /details/);
  });

  it('the checker notices a missing section, a wrong status and an unknown code', () => {
    const registry = { alpha: { status: 400 }, beta: { status: 404 } };
    const doc = '# x\n\n## `alpha`\n\n**HTTP status:** 409\n\n**Cause:** a.\n\n**Fix:** b.\n\n## `gamma`\n\n**HTTP status:** 400\n';
    const problems = errorDocProblems(doc, registry);
    assert.ok(problems.some((p) => p.startsWith('alpha: section does not state HTTP status 400')), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('beta: no')), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('gamma: documented but not in ERROR_CODES')), problems.join('\n'));
  });
});

describe('docs/configuration.md', () => {
  it('lists every variable with its doc text and default, and names no other AGENTGATE_* variable', () => {
    assert.deepEqual(configDocProblems(read('configuration.md'), variables), []);
  });

  it('covers the embedded database, PostgreSQL, encryption keys and production', () => {
    const doc = read('configuration.md');
    for (const heading of [/^## Embedded database or PostgreSQL/m, /^## Encryption keys/m, /^## Development and production/m]) assert.match(doc, heading);
    assert.match(doc, /openssl rand -base64 32/);
    assert.match(doc, /2:new,1:old/);
  });

  it('the checker notices a missing row, a stale row and an undocumented variable', () => {
    const vars = {
      PORT: { schema: { safeParse: () => ({ success: true, data: 8080 }) }, doc: 'HTTP port.' },
      AGENTGATE_X: { schema: { safeParse: () => ({ success: true, data: undefined }) }, doc: 'X.' },
    };
    const doc = '## Variables\n\n| name | default | meaning |\n|---|---|---|\n| `PORT` | `80` | HTTP port. |\n| `AGENTGATE_OLD` | | Old. |\n';
    const problems = configDocProblems(doc, vars);
    for (const expected of ['PORT: default column', 'AGENTGATE_X: no row', 'AGENTGATE_OLD: in the table', 'AGENTGATE_OLD: mentioned']) {
      assert.ok(problems.some((p) => p.startsWith(expected)), `${expected}\n${problems.join('\n')}`);
    }
  });
});

describe('hosted flow error codes', () => {
  it('every code of the hosted error page is in docs/errors.md, linked to its troubleshooting section', async () => {
    const { CONNECT_ERRORS } = await import('../src/domain/auth-flows/connect-errors.ts');
    const errorsDoc = read('errors.md');
    const table = errorsDoc.slice(errorsDoc.indexOf('# Hosted flow error codes'));
    assert.ok(table.length > 0 && errorsDoc.includes('# Hosted flow error codes'), 'the hosted flow section exists');
    for (const [code, entry] of Object.entries(CONNECT_ERRORS)) {
      if (code === 'unknown') continue;
      const row = table.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      assert.ok(row !== undefined, `${code} is missing from the hosted flow table of docs/errors.md`);
      assert.ok(row.includes(`| ${entry.httpStatus} |`), `${code}: status ${entry.httpStatus}`);
      assert.ok(row.includes(`troubleshooting.md#${entry.docsAnchor})`), `${code}: links #${entry.docsAnchor}`);
    }
  });
});
