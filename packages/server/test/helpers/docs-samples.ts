/**
 * @module The code samples of `docs/*.md`, prepared for `test/docs-samples.test.ts`: which blocks
 * run, the one bash script per document that runs them in order, and the TypeScript project that
 * type-checks every ts/js block against the SDK's published types.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fencedBlocks, type FencedBlock } from './markdown.ts';
import { REPO_ROOT, runCommand } from './run-command.ts';

export const DOCS_DIR = join(REPO_ROOT, 'docs');

/** Generated files live here (git-ignored), one folder per test run. */
export const SAMPLES_ROOT = join(REPO_ROOT, 'packages/server/test/.docs-samples');

const SHELL = new Set(['bash', 'sh']);
const TYPESCRIPT = new Set(['ts', 'typescript']);
const JAVASCRIPT = new Set(['js', 'javascript']);
/** Tags of blocks that only illustrate (output, payloads, diagrams, other programs' configuration). */
const ILLUSTRATION = new Set(['text', 'json', 'mermaid', 'yaml', 'nginx', 'http', 'html', 'diff', 'ini', 'dockerfile']);

export type SampleKind = 'shell' | 'program' | 'snippet' | 'illustration';

export interface Sample extends FencedBlock {
  /** `docs/<name>.md` */
  doc: string;
  kind: SampleKind;
  /** ts or js, for program and snippet. */
  language?: 'ts' | 'js';
}

/** The Markdown files of docs/, sorted. */
export function docFiles(): string[] {
  return readdirSync(DOCS_DIR)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
}

/**
 * The blocks of one document with what the test does with each. A ts/js block that builds its own
 * client (`new AgentgateClient(`) is a complete program: type-checked, then run against the
 * gateway. Any other ts/js block is a snippet: type-checked only, with `client` declared for it.
 * Throws on a block without a tag or with a tag the test does not know, so nothing escapes unseen.
 */
export function samplesOf(doc: string): Sample[] {
  const markdown = readFileSync(join(REPO_ROOT, doc), 'utf8');
  return fencedBlocks(markdown).map((block) => {
    const where = `${doc}:${block.line}`;
    if (SHELL.has(block.lang)) return { ...block, doc, kind: 'shell' };
    if (TYPESCRIPT.has(block.lang) || JAVASCRIPT.has(block.lang)) {
      const language = TYPESCRIPT.has(block.lang) ? 'ts' : 'js';
      return { ...block, doc, kind: /\bnew AgentgateClient\(/.test(block.code) ? 'program' : 'snippet', language };
    }
    if (ILLUSTRATION.has(block.lang)) return { ...block, doc, kind: 'illustration' };
    throw new Error(
      `${where}: a code block tagged "${block.lang || '(none)'}": tag it bash/sh (run), ts/js (type-checked, run when it builds a client) or one of ${[...ILLUSTRATION].join(', ')} (not run)`,
    );
  });
}

/** The file a ts/js sample is written to, named after its document and line so errors point back. */
export function sampleFileName(sample: Sample): string {
  const base = `${sample.doc.replace(/^docs\//, '').replace(/\.md$/, '')}-L${sample.line}`;
  if (sample.kind === 'program' && sample.language === 'js') return `${base}.mjs`;
  return `${base}.ts`;
}

/** Lines put before a snippet so it can use `client` as the docs do; tsc line numbers are shifted back by its length. */
const SNIPPET_PRELUDE = [
  "import type { AgentgateClient as DocsSampleClient } from '@agentgate/sdk';",
  'declare const client: DocsSampleClient;',
];

function declaresClient(code: string): boolean {
  return /\b(?:const|let|var)\s+(?:client\b|\{[^}]*\bclient\b)/.test(code) || /^\s*import\b[^\n]*\bclient\b/m.test(code);
}

/** Writes every ts/js sample and a tsconfig into `dir`; returns the prelude length per file. */
export function writeTypeScriptProject(dir: string, samples: readonly Sample[]): Map<string, { sample: Sample; offset: number }> {
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, { sample: Sample; offset: number }>();
  for (const sample of samples) {
    if (sample.kind !== 'program' && sample.kind !== 'snippet') continue;
    const prelude = sample.kind === 'snippet' && !declaresClient(sample.code) ? SNIPPET_PRELUDE : [];
    const name = sampleFileName(sample);
    // `export {}` makes every file a module: top-level await works and names do not clash across files.
    writeFileSync(join(dir, name), `${[...prelude, sample.code].join('\n')}\nexport {};\n`);
    files.set(name, { sample, offset: prelude.length });
  }
  // A user's ordinary strict settings (not the repository's extra flags), the SDK as published.
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023', 'DOM'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      allowJs: true,
      checkJs: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
    },
    include: ['*.ts', '*.mjs'],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  // Files here are ES modules, as the docs' samples are.
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  return files;
}

/** Runs tsc on the project; each problem is reported at the document line it comes from. */
export async function typeCheck(dir: string, files: Map<string, { sample: Sample; offset: number }>): Promise<string[]> {
  const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  const result = await runCommand(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], {}, { cwd: dir });
  if (result.code === 0) return [];
  const problems: string[] = [];
  for (const line of `${result.stdout}\n${result.stderr}`.split('\n').filter(Boolean)) {
    const match = /^(.+?)\((\d+),(\d+)\): (error .*)$/.exec(line);
    const file = match?.[1] === undefined ? undefined : files.get(relative(dir, join(dir, match[1])));
    if (match === null || file === undefined) {
      problems.push(line);
      continue;
    }
    const blockLine = Number(match[2]) - file.offset;
    // Line k of the block is document line fence + k.
    problems.push(`${file.sample.doc}:${file.sample.line + blockLine} (${file.sample.lang} block at line ${file.sample.line}): ${match[4]}`);
  }
  return problems;
}

/** The marker written to stderr before each block, so a failure names its block. */
const MARKER = '@@docs-block';

/**
 * Lines the test replaces so that a document runs as printed against the test's gateway: the
 * values a reader pastes from the first start (`export AGENTGATE_URL=…`, `…_CLIENT_ID=…`,
 * `…_CLIENT_SECRET=…`), and the command that starts the gateway (`npm start`), which the test's
 * own gateway stands in for.
 */
export function substitute(code: string, values: Record<string, string>): string {
  return code
    .split('\n')
    .map((line) => {
      const exported = /^export (AGENTGATE_URL|AGENTGATE_CLIENT_ID|AGENTGATE_CLIENT_SECRET)=\S*(\s+#.*)?$/.exec(line);
      if (exported?.[1] !== undefined && values[exported[1]] !== undefined) return `export ${exported[1]}='${values[exported[1]]}'`;
      if (/^(npm install && )?npm start(\s+#.*)?$/.test(line) || /^npx agentgate start(\s.*)?$/.test(line)) return ': # the test gateway stands in for this start';
      return line;
    })
    .join('\n');
}

/**
 * One bash script that runs a document's shell blocks and programs in document order (variables
 * set by one block are seen by the next, as when a reader pastes them into one terminal). Programs
 * are written to `dir` and run with node (js) or node + tsx (ts).
 */
export function documentScript(samples: readonly Sample[], dir: string, values: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  const parts: string[] = [];
  for (const sample of samples) {
    if (sample.kind !== 'shell' && sample.kind !== 'program') continue;
    parts.push(`printf '\\n${MARKER} %s\\n' '${sample.doc}:${sample.line}' >&2`);
    if (sample.kind === 'shell') {
      parts.push(substitute(sample.code, values));
      continue;
    }
    const file = join(dir, sampleFileName(sample));
    writeFileSync(file, sample.code);
    parts.push(sample.language === 'ts' ? `node --import tsx '${file}'` : `node '${file}'`);
  }
  return parts.join('\n');
}

/** The `docs/x.md:line` of the last block that started, from the script's stderr. */
export function lastBlock(stderr: string): string | undefined {
  const markers = [...stderr.matchAll(new RegExp(`^${MARKER} (\\S+)$`, 'gm'))];
  return markers.at(-1)?.[1];
}
