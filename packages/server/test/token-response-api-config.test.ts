/**
 * Salesforce answers the code exchange with `instance_url`, the org's own API host. The connector
 * declares it (`token_response_api_config`), so the gateway keeps it in the account's api_config and
 * the first tool call goes to that host with no manual step. The real oidc-provider plays Salesforce's
 * authorization server, with `instance_url` added to its token answers; a local server plays the org.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAsConnection, startFlowGateway, type AsConnection } from './helpers/browser-leg.ts';
import { connectAccount, skipVerification } from './helpers/refresh-fixtures.ts';
import { startTestAuthorizationServer, type TestAuthorizationServer } from './helpers/test-authorization-server.ts';
import { BACKENDS, type TestGateway } from './helpers/test-gateway.ts';
import { makeCertificate } from './helpers/tls-certificate.ts';

// instance_url must be an https origin; the org gets a throwaway certificate the gateway trusts through
// AGENTGATE_EXTRA_CA_CERTS.
const certificate = makeCertificate();
const skip = certificate === undefined ? 'the openssl command is not available' : false;

interface SeenRequest {
  method: string | undefined;
  url: string | undefined;
  authorization: string | undefined;
}

async function startOrg(): Promise<{ url: string; seen: SeenRequest[]; caFile: string; close(): Promise<void> }> {
  const seen: SeenRequest[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'agentgate-org-ca-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, certificate?.cert ?? '');
  const server = https.createServer({ key: certificate?.key, cert: certificate?.cert }, (req, res) => {
    seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ totalSize: 1, done: true, records: [{ attributes: { type: 'Account' }, Id: '001A', Name: 'Acme' }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    caFile,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

for (const backend of BACKENDS) {
  describe(`token answer fields kept in api_config (${backend})`, { skip }, () => {
    let org: Awaited<ReturnType<typeof startOrg>>;
    let as: TestAuthorizationServer;
    let gw: TestGateway;
    let conn: AsConnection;
    let sendInstanceUrl = true;

    before(async () => {
      org = await startOrg();
      as = await startTestAuthorizationServer({
        setup: (provider) =>
          provider.use(async (ctx, next) => {
            await next();
            const body = ctx.body as Record<string, unknown> | undefined;
            if (sendInstanceUrl && ctx.method === 'POST' && ctx.path === '/token' && ctx.status === 200 && typeof body === 'object' && body !== null) {
              body['instance_url'] = org.url;
            }
          }),
      });
      gw = await startFlowGateway(backend, { env: { AGENTGATE_EXTRA_CA_CERTS: org.caFile } });
      await skipVerification(gw);
      conn = await createAsConnection(gw, as, { provider: 'salesforce' });
    });
    after(async () => {
      await gw?.close();
      await as?.close();
      await org?.close();
    });

    it("keeps Salesforce's instance_url from the code exchange, and the first tool call goes to that org", async () => {
      const accountId = await connectAccount(gw, conn);
      const details = await gw.api('GET', `/api/v1/connected_accounts/${accountId}`);
      assert.equal(details.status, 200, details.text);
      assert.equal(details.body.connected_account.api_config.instance_url, org.url);

      const before = org.seen.length;
      const executed = await gw.api('POST', '/api/v1/execute_tool', { connected_account_id: accountId, tool_name: 'salesforce_soql_query', params: { query: 'SELECT Id, Name FROM Account' } });
      assert.equal(executed.status, 200, executed.text);
      assert.equal(executed.body.data.records[0].Name, 'Acme');
      const call = org.seen.at(-1);
      assert.equal(org.seen.length, before + 1);
      assert.equal(call?.method, 'GET');
      assert.equal(call?.url, `/services/data/v60.0/query?q=${encodeURIComponent('SELECT Id, Name FROM Account').replace(/%20/g, '+')}`);
      assert.ok(as.issued.includes(call?.authorization?.replace(/^Bearer /, '') ?? ''), 'the access token the AS issued, injected');
    });

    it('an answer without the field leaves api_config as it was (a later exchange does not erase it)', async () => {
      sendInstanceUrl = false;
      try {
        const accountId = await connectAccount(gw, conn);
        const details = await gw.api('GET', `/api/v1/connected_accounts/${accountId}`);
        assert.equal(details.status, 200, details.text);
        assert.equal(details.body.connected_account.api_config.instance_url, undefined);
        const executed = await gw.api('POST', '/api/v1/execute_tool', { connected_account_id: accountId, tool_name: 'salesforce_soql_query', params: { query: 'SELECT Id FROM Account' } });
        assert.equal(executed.status, 400, executed.text);
        assert.equal(executed.body.error.code, 'insecure_endpoint');
        assert.match(executed.body.error.message, /needs api_config\.instance_url/, 'the refusal names the missing field');
      } finally {
        sendInstanceUrl = true;
      }
    });
  });
}
