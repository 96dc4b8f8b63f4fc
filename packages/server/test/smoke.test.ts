import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BACKENDS, startTestGateway, unique, type TestGateway } from './helpers/test-gateway.ts';

for (const backend of BACKENDS) {
  describe(`walkthrough (${backend})`, () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway(backend);
    });
    after(async () => {
      await gw.close();
    });

    it('credential → token → connection → connected account → get it', async () => {
      const name = unique('gmail');
      const created = await gw.api('POST', '/api/v1/connections', { connection: { provider: 'gmail', name, oauth_config: { client_id: 'id', client_secret: 'secret' } } });
      assert.equal(created.status, 201, created.text);
      const account = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: name, identifier: 'user_1' });
      assert.equal(account.status, 201, account.text);
      assert.equal(account.body.connected_account.status, 'PENDING_AUTH');
      const got = await gw.api('GET', `/api/v1/connected_accounts/${account.body.connected_account.id}`);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body, account.body);
    });
  });
}
