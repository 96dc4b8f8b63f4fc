/**
 * Runs a connector's tool cases end to end: a real gateway (PGlite, and PostgreSQL when
 * TEST_DATABASE_URL is set), a connection whose `api_config.base_url` points at the provider
 * emulator, one connected account with the given credentials, and for each case a real
 * `POST /api/v1/execute_tool`. Each case asserts the exact upstream request (method, path, query,
 * the listed headers including the injected credential, body) and the shaped `data`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type EmulatorSpec, type RecordedRequest, type RunningEmulator } from './emulator.ts';
import { BACKENDS, startTestGateway, unique, type Backend, type TestGateway } from './test-gateway.ts';

export interface ToolCase {
  readonly tool: string;
  readonly params: Record<string, unknown>;
  /** What the provider must receive. `headers` lists the ones to check (lower-case names); `query` and `body` are compared exactly (`{}`/undefined for none). */
  readonly request: {
    readonly method: string;
    readonly path: string;
    readonly query?: Record<string, string | string[]>;
    readonly headers?: Record<string, string>;
    /** Parsed JSON, or the parsed form (an object of strings) for form-encoded bodies. */
    readonly body?: unknown;
  };
  /** The `data` execute_tool must return. */
  readonly data: unknown;
  /** Extra checks on the recorded request (e.g. decode a base64url message). */
  readonly check?: (request: RecordedRequest) => void;
}

export interface ToolSuite {
  readonly connector: string;
  readonly emulator: EmulatorSpec;
  /** `authorization_details` of the account: `{oauth_token: {access_token, scopes?}}` or `{static_auth: {...}}`. */
  readonly account: Record<string, unknown>;
  /** Connection type for static connectors (`API_KEY`, `BEARER_TOKEN`, `BASIC_AUTH`); OAuth connectors use `OAUTH`. */
  readonly type?: string;
  /**
   * The `api_config.base_url` relative to the emulator: `''` (default) maps the connector's base to
   * the emulator root; `/{{domain}}.zendesk.com` keeps a templated host piece visible in the path
   * (then give `routePrefix: /\/[^/]+\.zendesk\.com/` so emulator routes match without it).
   */
  readonly basePath?: string;
  readonly routePrefix?: RegExp;
  readonly cases: readonly ToolCase[];
}

export interface ToolAccount {
  readonly gw: TestGateway;
  readonly emulator: RunningEmulator;
  readonly accountId: string;
  close(): Promise<void>;
}

/** A gateway, the emulator, a connection whose base URL is the emulator, and one connected account. */
export async function startToolAccount(backend: Backend, suite: Omit<ToolSuite, 'cases'>): Promise<ToolAccount> {
  const emulator = await startEmulator(suite.emulator, suite.routePrefix === undefined ? {} : { prefix: suite.routePrefix });
  const gw = await startTestGateway(backend, { env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true' } });
  const close = async () => {
    await gw.close();
    await emulator.close();
  };
  try {
    const type = suite.type ?? 'OAUTH';
    const name = unique(suite.connector);
    const connection = await gw.api('POST', '/api/v1/connections', {
      connection: {
        provider: suite.connector,
        name,
        type,
        ...(type === 'OAUTH' ? { oauth_config: { client_id: 'test-client', client_secret: 'test-secret' } } : {}),
        api_config: { base_url: `${emulator.url}${suite.basePath ?? ''}` },
      },
    });
    assert.equal(connection.status, 201, connection.text);
    const account = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: name, identifier: unique('user'), authorization_details: suite.account });
    assert.equal(account.status, 201, account.text);
    return { gw, emulator, accountId: account.body.connected_account.id as string, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export function toolSuite(suite: ToolSuite): void {
  for (const backend of BACKENDS) {
    describe(`${suite.connector} tools (${backend})`, () => {
      let gw: TestGateway;
      let emulator: RunningEmulator;
      let accountId: string;
      let running: ToolAccount | undefined;
      before(async () => {
        running = await startToolAccount(backend, suite);
        ({ gw, emulator, accountId } = running);
      });
      after(async () => {
        await running?.close();
      });

      for (const testCase of suite.cases) {
        it(`${testCase.tool}: sends the documented request and shapes the answer`, async () => {
          const before = emulator.requests.length;
          const response = await gw.api('POST', '/api/v1/execute_tool', { tool_name: testCase.tool, connected_account_id: accountId, params: testCase.params });
          assert.equal(response.status, 200, response.text);
          assert.equal(emulator.requests.length, before + 1, 'exactly one upstream request');
          const sent = emulator.last();
          assert.equal(sent.method, testCase.request.method);
          assert.equal(sent.path, testCase.request.path);
          assert.deepEqual(sent.query, testCase.request.query ?? {});
          for (const [header, value] of Object.entries(testCase.request.headers ?? {})) assert.equal(sent.headers[header], value, `header ${header}`);
          // A case with a `check` may leave `body` out and inspect an encoded body itself.
          if ('body' in testCase.request || testCase.check === undefined) assert.deepEqual(sent.body, testCase.request.body);
          testCase.check?.(sent);
          assert.deepEqual(response.body.data, testCase.data);
          assert.match(response.body.execution_id, /^exec_/);
        });
      }
    });
  }
}
