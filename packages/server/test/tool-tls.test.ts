/**
 * Issue 5 item 6, corporate networks: a provider (or TLS-inspecting proxy) whose certificate the
 * default trust store does not know. A tool call reports it as a TLS failure with the fix
 * (AGENTGATE_EXTRA_CA_CERTS), tier platform, not as a generic provider error; with the CA bundle
 * configured, the same call succeeds. The provider is a local https server with a throwaway certificate.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeCertificate } from './helpers/tls-certificate.ts';
import { BACKENDS, startTestGateway, unique, type TestGateway } from './helpers/test-gateway.ts';

const TOKEN = 'gho_tls_test_token';
const certificate = makeCertificate();
const skip = certificate === undefined ? 'the openssl CLI is not installed' : false;

async function connectGithub(gw: TestGateway, baseUrl: string): Promise<string> {
  const name = unique('github');
  const connection = await gw.api('POST', '/api/v1/connections', {
    connection: { provider: 'github', name, type: 'OAUTH', oauth_config: { client_id: 'c', client_secret: 's' }, api_config: { base_url: baseUrl } },
  });
  assert.equal(connection.status, 201, connection.text);
  const account = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: name, identifier: unique('user'), authorization_details: { oauth_token: { access_token: TOKEN } } });
  assert.equal(account.status, 201, account.text);
  return account.body.connected_account.id as string;
}

for (const backend of BACKENDS.slice(0, 1)) {
  describe(`tool calls to a provider with a private CA (${backend})`, { skip }, () => {
    let server: https.Server;
    let baseUrl: string;
    let dir: string;
    const gateways: TestGateway[] = [];
    before(async () => {
      server = https.createServer({ key: certificate!.key, cert: certificate!.cert }, (req, res) => {
        const ok = req.url === '/user' && req.headers.authorization === `Bearer ${TOKEN}`;
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify(ok ? { login: 'octocat', id: 1, name: 'The Octocat' } : { message: 'Bad credentials' }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      dir = mkdtempSync(join(tmpdir(), 'agentgate-ca-'));
      writeFileSync(join(dir, 'ca.pem'), certificate!.cert);
    });
    after(async () => {
      for (const gw of gateways) await gw.close();
      server?.closeAllConnections();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    });

    it('without the CA: 502 tool_error kind tls, tier platform, the fix naming AGENTGATE_EXTRA_CA_CERTS', async () => {
      const gw = await startTestGateway(backend, { env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true' } });
      gateways.push(gw);
      const accountId = await connectGithub(gw, baseUrl);
      const response = await gw.api('POST', '/api/v1/execute_tool', { tool_name: 'github_get_user', connected_account_id: accountId, params: {} });
      assert.equal(response.status, 502, response.text);
      assert.equal(response.body.error.code, 'tool_error');
      assert.equal(response.body.error.details.tier, 'platform');
      assert.equal(response.body.error.details.tool_error.kind, 'tls');
      assert.match(response.body.error.details.fix, /AGENTGATE_EXTRA_CA_CERTS/);
      const logs = await gw.api('GET', `/api/v1/agentkit/tool_call_logs?connected_account_id=${accountId}`);
      assert.equal(logs.body.tool_call_logs[0].error_code, 'tls');
      assert.equal(logs.body.tool_call_logs[0].error_tier, 'platform');
    });

    it('with AGENTGATE_EXTRA_CA_CERTS naming the CA bundle: the same call succeeds', async () => {
      const gw = await startTestGateway(backend, { env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true', AGENTGATE_EXTRA_CA_CERTS: join(dir, 'ca.pem') } });
      gateways.push(gw);
      const accountId = await connectGithub(gw, baseUrl);
      const response = await gw.api('POST', '/api/v1/execute_tool', { tool_name: 'github_get_user', connected_account_id: accountId, params: {} });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.data.login, 'octocat');
    });
  });
}
