import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allKeys, assertError, issuePaths, query, walkPages } from './helpers/api-assertions.ts';
import { BACKENDS, startTestGateway, unique, type TestGateway } from './helpers/test-gateway.ts';

interface Seeded {
  id: string;
  identifier: string;
  connection: string;
  provider: string;
  status: string;
  organization_id: string | null;
  user_id: string | null;
}

for (const backend of BACKENDS) {
  describe(`connected accounts listing and search (${backend})`, () => {
    let gw: TestGateway;
    let token: string;
    const names = { gmail: unique('mail'), slack: unique('chat'), zendesk: unique('desk') };
    const seeded: Seeded[] = [];

    /** Every test here reads one environment that holds only what `before` (and the test) put there. */
    const list = (params: Record<string, string | number | readonly string[] | undefined>) => gw.api('GET', `/api/v1/connected_accounts${query(params)}`, undefined, { token });
    const search = (params: Record<string, string | number | undefined>) => gw.api('GET', `/api/v1/connected_accounts:search${query(params)}`, undefined, { token });
    const ids = (response: { body: any }) => response.body.connected_accounts.map((a: any) => a.id);
    const expect = (pick: (a: Seeded) => boolean) => seeded.filter(pick).map((a) => a.id);
    const add = async (connection: keyof typeof names, identifier: string, extra: Record<string, unknown> = {}) => {
      const created = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: names[connection], identifier, ...extra }, { token });
      assert.equal(created.status, 201, created.text);
      const a = created.body.connected_account;
      seeded.push({ id: a.id, identifier, connection: names[connection], provider: a.provider, status: a.status, organization_id: a.organization_id, user_id: a.user_id });
      return a.id as string;
    };

    before(async () => {
      gw = await startTestGateway(backend);
      const env = await gw.newEnvironment(unique('list-env'));
      token = await gw.tokenFor(env.clientId, env.clientSecret);
      for (const [provider, name] of Object.entries(names)) {
        const created = await gw.api('POST', '/api/v1/connections', { connection: { provider, name } }, { token });
        assert.equal(created.status, 201, created.text);
      }
      const active = { authorization_details: { oauth_token: { access_token: 'tok-not-listed' } } };
      await add('gmail', 'Alice.Smith@Example.com', active);
      await add('gmail', 'bob@example.com');
      await add('gmail', '100%_done');
      await add('gmail', '100xxdone', { organization_id: 'org-1' });
      await add('slack', 'alice-in-slack', { ...active, organization_id: 'org-1', user_id: 'u-7' });
      await add('slack', 'carol_underscore');
      await add('zendesk', 'dave', { authorization_details: { static_auth: { domain: 'acme', email: 'a@b.c', api_token: 'zd-not-listed' } } });
    });
    after(async () => {
      await gw.close();
    });

    it('lists everything with total_size and never credentials', async () => {
      const all = await list({ page_size: 100 });
      assert.equal(all.status, 200, all.text);
      assert.deepEqual(ids(all), expect(() => true));
      assert.equal(all.body.total_size, seeded.length);
      assert.equal(all.body.next_page_token, '');
      assert.equal(all.body.prev_page_token, '');
      assert.ok(!allKeys(all.body).includes('authorization_details'));
      assert.ok(!all.text.includes('tok-not-listed') && !all.text.includes('zd-not-listed'));
    });

    it('filters by connection_name, connector, connection_names, provider, status, organization and user', async () => {
      const cases: Array<[Record<string, string | readonly string[]>, (a: Seeded) => boolean]> = [
        [{ connection_name: names.gmail }, (a) => a.connection === names.gmail],
        [{ connector: names.slack }, (a) => a.connection === names.slack],
        [{ connection_names: [names.gmail, names.zendesk] }, (a) => a.connection !== names.slack],
        [{ connection_names: `${names.slack},${names.zendesk}` }, (a) => a.connection !== names.gmail],
        [{ connection_names: [unique('nothing')] }, () => false],
        [{ provider: 'slack' }, (a) => a.provider === 'slack'],
        [{ provider: 'zendesk' }, (a) => a.provider === 'zendesk'],
        [{ status: 'ACTIVE' }, (a) => a.status === 'ACTIVE'],
        [{ status: 'PENDING_AUTH', provider: 'gmail' }, (a) => a.status === 'PENDING_AUTH' && a.provider === 'gmail'],
        [{ status: 'EXPIRED' }, () => false],
        [{ organization_id: 'org-1' }, (a) => a.organization_id === 'org-1'],
        [{ user_id: 'u-7' }, (a) => a.user_id === 'u-7'],
        [{ identifier: 'dave' }, (a) => a.identifier === 'dave'],
        [{ identifier: 'DAVE' }, () => false],
        [{ identifier: 'alice' }, () => false],
      ];
      for (const [params, pick] of cases) {
        const response = await list(params);
        assert.equal(response.status, 200, `${JSON.stringify(params)}: ${response.text}`);
        assert.deepEqual(ids(response), expect(pick), JSON.stringify(params));
        assert.equal(response.body.total_size, expect(pick).length, JSON.stringify(params));
      }
      assert.ok(expect((a) => a.status === 'ACTIVE').length >= 3, 'the fixture has both statuses');
    });

    it('refuses bad filter combinations and values', async () => {
      const many = Array.from({ length: 21 }, (_, i) => `c${i}`);
      assert.deepEqual(issuePaths(assertError(await list({ connection_names: many }), 400, 'validation_failed')), ['connection_names']);
      assertError(await list({ connection_names: many.join(',') }), 400, 'validation_failed');
      assert.equal((await list({ connection_names: many.slice(0, 20) })).status, 200, '20 names are fine');
      assertError(await list({ connection_names: [names.gmail], connection_name: names.gmail }), 400, 'validation_failed');
      assertError(await list({ connection_names: [names.gmail], connector: names.gmail }), 400, 'validation_failed');
      assertError(await list({ connection_name: names.gmail, connector: names.slack }), 400, 'validation_failed');
      assertError(await list({ status: 'active' }), 400, 'validation_failed');
      assertError(await list({ colour: 'red' }), 400, 'validation_failed');
      for (const size of ['0', '101', 'x']) assertError(await list({ page_size: size }), 400, 'validation_failed');
      assertError(await list({ page_token: 'not-a-token' }), 400, 'validation_failed');
    });

    it('query matches case-insensitively, and % and _ literally', async () => {
      const cases: Array<[string, (a: Seeded) => boolean]> = [
        ['ALICE', (a) => a.identifier.toLowerCase().includes('alice')],
        ['example.COM', (a) => a.identifier.toLowerCase().includes('example.com')],
        ['%', (a) => a.identifier.includes('%')],
        ['0%_d', (a) => a.identifier.includes('0%_d')],
        ['_', (a) => a.identifier.includes('_')],
        ['100_', () => false],
        [names.slack.toUpperCase(), (a) => a.connection === names.slack],
        ['ZENDESK', (a) => a.provider === 'zendesk'],
      ];
      for (const [text, pick] of cases) {
        const response = await list({ query: text });
        assert.equal(response.status, 200, response.text);
        assert.deepEqual(ids(response), expect(pick), `query ${text}`);
        assert.equal(response.body.total_size, expect(pick).length, `query ${text}`);
      }
      assert.ok(expect((a) => a.identifier.includes('_')).length === 2 && expect((a) => a.identifier.includes('%')).length === 1);
      const combined = await list({ query: 'alice', provider: 'gmail' });
      assert.deepEqual(ids(combined), expect((a) => a.identifier.startsWith('Alice')));
    });

    it(':search needs 3 characters and looks at identifier, connection name and provider', async () => {
      for (const text of ['ab', '  ab  ', '']) {
        assert.deepEqual(issuePaths(assertError(await search({ query: text }), 400, 'validation_failed')), ['query.query'], JSON.stringify(text));
      }
      assertError(await gw.api('GET', '/api/v1/connected_accounts:search', undefined, { token }), 400, 'validation_failed');
      const cases: Array<[Record<string, string>, (a: Seeded) => boolean]> = [
        [{ query: 'SMITH' }, (a) => a.identifier.includes('Smith')],
        [{ query: 'SLAck' }, (a) => a.provider === 'slack'],
        [{ query: names.zendesk.toUpperCase() }, (a) => a.connection === names.zendesk],
        [{ query: 'alice', connection_name: names.slack }, (a) => a.connection === names.slack && a.identifier.includes('alice')],
        [{ query: '%_d' }, (a) => a.identifier.includes('%_d')],
        [{ query: 'zzz-no-match' }, () => false],
      ];
      for (const [params, pick] of cases) {
        const response = await search(params);
        assert.equal(response.status, 200, response.text);
        assert.deepEqual(ids(response), expect(pick), JSON.stringify(params));
        assert.equal(response.body.total_size, expect(pick).length);
        assert.ok(!allKeys(response.body).includes('authorization_details'));
      }
      const paged = await search({ query: 'example', page_size: 1 });
      assert.equal(paged.body.connected_accounts.length, 1);
      assert.equal(paged.body.total_size, 2);
      const second = await search({ query: 'example', page_size: 1, page_token: paged.body.next_page_token });
      assert.deepEqual([...ids(paged), ...ids(second)], expect((a) => a.identifier.toLowerCase().includes('example')));
      assert.equal(second.body.next_page_token, '');
    });

    it('pages forwards and backwards, stable while accounts are added', async () => {
      const connection = unique('paging');
      assert.equal((await gw.api('POST', '/api/v1/connections', { connection: { provider: 'gitlab', name: connection } }, { token })).status, 201);
      const mine: string[] = [];
      for (let i = 0; i < 5; i++) {
        const created = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: connection, identifier: `p${i}` }, { token });
        mine.push(created.body.connected_account.id);
      }
      const page = (pageToken?: string) => list({ connection_name: connection, page_size: 2, page_token: pageToken });
      const p1 = await page();
      assert.deepEqual(ids(p1), mine.slice(0, 2));
      assert.equal(p1.body.prev_page_token, '');
      assert.equal(p1.body.total_size, 5);
      for (const i of [5, 6]) {
        const created = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: connection, identifier: `p${i}` }, { token });
        mine.push(created.body.connected_account.id);
      }
      const p2 = await page(p1.body.next_page_token);
      assert.deepEqual(ids(p2), mine.slice(2, 4));
      const p3 = await page(p2.body.next_page_token);
      assert.deepEqual(ids(p3), mine.slice(4, 6));
      const p4 = await page(p3.body.next_page_token);
      assert.deepEqual(ids(p4), mine.slice(6));
      assert.equal(p4.body.next_page_token, '');
      assert.equal(p4.body.total_size, 7);
      const b3 = await page(p4.body.prev_page_token);
      assert.deepEqual(ids(b3), mine.slice(4, 6));
      const b2 = await page(b3.body.prev_page_token);
      assert.deepEqual(ids(b2), mine.slice(2, 4));
      const b1 = await page(b2.body.prev_page_token);
      assert.deepEqual(ids(b1), mine.slice(0, 2));
      assert.equal(b1.body.prev_page_token, '');
      const walked = await walkPages(gw, '/api/v1/connected_accounts', 'connected_accounts', { page_size: 3 }, token);
      assert.deepEqual(walked.items.map((a) => a.id), [...expect(() => true), ...mine]);
      assert.equal(walked.pages.length, Math.ceil((seeded.length + mine.length) / 3));
    });
  });
}
