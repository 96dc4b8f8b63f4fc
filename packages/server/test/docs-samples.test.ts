/**
 * The docs cannot drift from the product:
 * - every ```bash/```sh block of docs/*.md runs, in document order, in one `bash -euo pipefail` per
 *   document, against a real gateway (PGlite, and PostgreSQL when TEST_DATABASE_URL is set), and
 *   exits 0. Each document gets its own environment and credential, exported as AGENTGATE_URL,
 *   AGENTGATE_CLIENT_ID, AGENTGATE_CLIENT_SECRET and TOKEN (a bearer token), with `agentgate` (the
 *   workspace CLI) on the PATH; lines that paste the printed URL or credentials are given the test's
 *   values, and `npm start` is played by the test's gateway (see `substitute`). Server-side CLI
 *   commands (vault, credentials, migrate) get DATABASE_URL (the gateway's PostgreSQL database) or,
 *   on PGlite, a scratch data folder of their own (an embedded database has one process at a time);
 * - every ```ts/```js block is type-checked against the SDK's types; those that build their own
 *   `AgentgateClient` are complete programs and run too, at their place in the document;
 * - every relative link of docs/*.md and README.md reaches a file, and every #anchor a heading;
 * - docs/README.md links every document;
 * - every error answer's `docs` link names a section of docs/errors.md that exists.
 * A failure names the document and the line of its block.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { docsLinkFor, ERROR_CODES, type ErrorCode } from '../src/errors.ts';
import { docFiles, documentScript, lastBlock, SAMPLES_ROOT, samplesOf, typeCheck, writeTypeScriptProject, type Sample } from './helpers/docs-samples.ts';
import { anchorsOf, linksOf } from './helpers/markdown.ts';
import { REPO_ROOT, runCommand } from './helpers/run-command.ts';
import { BACKENDS, createScratchDatabase, startTestGateway, TEST_ENCRYPTION_KEYS, type TestGateway } from './helpers/test-gateway.ts';

const RUN_DIR = join(SAMPLES_ROOT, `run-${process.pid}-${randomBytes(4).toString('hex')}`);
const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const tail = (text: string, lines = 40) => text.split('\n').slice(-lines).join('\n');

after(() => rmSync(RUN_DIR, { recursive: true, force: true }));

describe('docs code blocks', () => {
  it('every block has a tag the test knows (run, type-checked, or illustration)', () => {
    const problems: string[] = [];
    for (const doc of docFiles()) {
      try {
        samplesOf(doc);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('every ts/js block type-checks against the SDK', async () => {
    const samples = docFiles().flatMap((doc) => samplesOf(doc));
    const files = writeTypeScriptProject(join(RUN_DIR, 'typecheck'), samples);
    assert.ok(files.size > 0, 'the docs have TypeScript or JavaScript blocks');
    const problems = await typeCheck(join(RUN_DIR, 'typecheck'), files);
    assert.deepEqual(problems, [], `type errors in the docs' code blocks:\n${problems.join('\n')}`);
  });

  it('the type-check catches a wrong call, at the document line', async () => {
    const broken: Sample = { doc: 'docs/example.md', line: 10, lang: 'ts', kind: 'snippet', language: 'ts', code: "await client.actions.noSuchAction({ identifier: 'u' })\n" };
    const dir = join(RUN_DIR, 'typecheck-control');
    const problems = await typeCheck(dir, writeTypeScriptProject(dir, [broken]));
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0] ?? '', /^docs\/example\.md:11 \(ts block at line 10\): error TS2339: Property 'noSuchAction'/);
  });
});

for (const backend of BACKENDS) {
  describe(`docs bash blocks and programs run against a real gateway (${backend})`, () => {
    let gw: TestGateway;
    let scratch: { url: string; drop(): Promise<void> } | undefined;

    before(async () => {
      scratch = backend === 'postgres' ? await createScratchDatabase() : undefined;
      gw = await startTestGateway(backend, scratch === undefined ? {} : { databaseUrl: scratch.url });
    });
    after(async () => {
      await gw?.close();
      await scratch?.drop();
    });

    for (const doc of docFiles()) {
      it(`${doc}: its bash blocks and programs exit 0`, async (t) => {
        const samples = samplesOf(doc);
        if (!samples.some((s) => s.kind === 'shell' || s.kind === 'program')) {
          t.skip('nothing to run');
          return;
        }
        const name = doc.replace(/^docs\//, '').replace(/\.md$/, '');
        const credential = await gw.newEnvironment(`docs-${name}-${randomBytes(3).toString('hex')}`);
        const token = await gw.tokenFor(credential.clientId, credential.clientSecret);
        const values = { AGENTGATE_URL: gw.url, AGENTGATE_CLIENT_ID: credential.clientId, AGENTGATE_CLIENT_SECRET: credential.clientSecret };
        const dir = join(RUN_DIR, backend, name);
        const script = documentScript(samples, dir, values);
        const database: Record<string, string> = scratch === undefined ? { AGENTGATE_DATA_DIR: join(dir, 'data') } : { DATABASE_URL: scratch.url };
        const result = await runCommand(
          'bash',
          ['-euo', 'pipefail', '-c', script],
          { ...values, ...database, TOKEN: token, AGENTGATE_TOKEN: token, AGENTGATE_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS, PATH: `${join(REPO_ROOT, 'node_modules/.bin')}:${process.env['PATH'] ?? ''}`, TMPDIR: dir },
          { isolate: true, timeoutMs: 240_000 },
        );
        const block = lastBlock(result.stderr) ?? doc;
        assert.equal(result.code, 0, `the block at ${block} failed (exit ${result.code}).\n--- stdout (end) ---\n${tail(result.stdout)}\n--- stderr (end) ---\n${tail(result.stderr)}`);
      });
    }

    it('an error answer links its section of the served docs/errors.md', async () => {
      const docsUrl = gw.gateway.ctx.flow.docsUrl;
      for (const [path, code] of [['/api/v1/connections/no-such-connection', 'connection_not_found'], ['/api/v1/nowhere', 'route_not_found']] as const) {
        const answer = await gw.api('GET', path);
        assert.equal(answer.body.error.code, code, answer.text);
        assert.equal(answer.body.error.docs, `${docsUrl}/errors.md#${code}`);
      }
      const unauthenticated = await gw.api('GET', '/api/v1/connections', undefined, { token: null });
      assert.equal(unauthenticated.body.error.docs, `${docsUrl}/errors.md#unauthenticated`);
      // The default docs base is the gateway itself: the link opens the page that has the section.
      const page = await fetch(unauthenticated.body.error.docs.split('#')[0].replace(gw.gateway.ctx.publicUrl, gw.url));
      assert.equal(page.status, 200);
      assert.ok(anchorsOf(await page.text()).has('unauthenticated'), 'the served errors.md has the #unauthenticated section');
    });

    it('serves every document of docs/ at /docs/<name> (the pages link each other), and nothing else', async () => {
      for (const doc of docFiles()) {
        const page = await fetch(`${gw.url}/${doc}`);
        assert.equal(page.status, 200, doc);
        assert.match(page.headers.get('content-type') ?? '', /^text\/markdown/, doc);
        assert.equal(await page.text(), read(doc), doc);
      }
      for (const path of ['/docs/nope.md', '/docs/..%2Fpackage.json', '/docs/%2E%2E%2FREADME.md', '/docs/errors.md.bak']) {
        assert.equal((await fetch(`${gw.url}${path}`)).status, 404, path);
      }
    });
  });
}

describe('docs links', () => {
  it('every relative link of docs/*.md and README.md reaches a file, and every #anchor a heading', () => {
    const problems: string[] = [];
    for (const doc of [...docFiles(), 'README.md']) {
      const markdown = read(doc);
      for (const { target, line } of linksOf(markdown)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, ...
        const [pathPart = '', anchor] = target.split('#', 2);
        const path = decodeURI(pathPart.split('?')[0] ?? '');
        const file = path === '' ? join(REPO_ROOT, doc) : resolve(dirname(join(REPO_ROOT, doc)), path);
        if (!existsSync(file)) {
          problems.push(`${doc}:${line}: ${target}: no such file`);
          continue;
        }
        if (anchor !== undefined && anchor !== '' && file.endsWith('.md') && !anchorsOf(readFileSync(file, 'utf8')).has(decodeURIComponent(anchor))) {
          problems.push(`${doc}:${line}: ${target}: no heading with the anchor #${anchor}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('docs/README.md links every document of docs/', () => {
    const linked = new Set(linksOf(read('docs/README.md')).map(({ target }) => target.split('#')[0]));
    const missing = docFiles()
      .map((doc) => doc.replace(/^docs\//, ''))
      .filter((name) => name !== 'README.md' && !linked.has(name));
    assert.deepEqual(missing, [], 'documents missing from the index docs/README.md');
  });

  it('README.md links the docs index', () => {
    assert.ok(linksOf(read('README.md')).some(({ target }) => target === 'docs/README.md' || target === 'docs/'), 'README.md links docs/README.md');
  });
});

describe('error docs links', () => {
  it('for every code of the registry, the docs link anchor is a section of docs/errors.md', () => {
    const anchors = anchorsOf(read('docs/errors.md'));
    const missing = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((code) => {
      const link = docsLinkFor(code, 'https://docs.example.com/agentgate/');
      assert.equal(link, `https://docs.example.com/agentgate/errors.md#${code}`);
      return !anchors.has(link.split('#')[1] ?? '');
    });
    assert.deepEqual(missing, [], 'codes whose docs link has no section in docs/errors.md');
  });

  it('AGENTGATE_DOCS_URL moves the links', async () => {
    const gw = await startTestGateway('pglite', { env: { AGENTGATE_DOCS_URL: 'https://docs.example.com/agentgate/' } });
    try {
      const answer = await gw.api('GET', '/api/v1/connected_accounts/ca_missing');
      assert.equal(answer.body.error.docs, 'https://docs.example.com/agentgate/errors.md#connected_account_not_found', answer.text);
    } finally {
      await gw.close();
    }
  });
});
