/** Every slack_* tool against the Slack emulator, through POST /api/v1/execute_tool; plus Slack's 200 `{ok:false}` failures. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SLACK_TOKEN, slackEmulator } from '../emulators/slack.ts';
import type { RunningEmulator } from '../helpers/emulator.ts';
import { BACKENDS, type TestGateway } from '../helpers/test-gateway.ts';
import { startToolAccount, toolSuite, type ToolAccount } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${SLACK_TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };
const scopes = ['channels:read', 'channels:history', 'chat:write', 'reactions:write', 'users:read'];

toolSuite({
  connector: 'slack',
  emulator: slackEmulator,
  account: { oauth_token: { access_token: SLACK_TOKEN, scopes } },
  cases: [
    {
      tool: 'slack_send_message',
      params: { channel: 'C024BE91L', text: 'Release *v2.4* is out :tada:' },
      request: { method: 'POST', path: '/chat.postMessage', headers: json, body: { channel: 'C024BE91L', text: 'Release *v2.4* is out :tada:' } },
      data: { channel: 'C024BE91L', ts: '1712345699.000200', text: 'Release *v2.4* is out :tada:' },
    },
    {
      tool: 'slack_send_message',
      params: { channel: '#general', text: 'On it.', thread_ts: '1712340000.000200', reply_broadcast: false, unfurl_links: false },
      request: {
        method: 'POST',
        path: '/chat.postMessage',
        headers: json,
        body: { channel: '#general', text: 'On it.', thread_ts: '1712340000.000200', reply_broadcast: false, unfurl_links: false },
      },
      data: { channel: 'C024BE91L', ts: '1712345699.000200', thread_ts: '1712340000.000200', text: 'On it.' },
    },
    {
      tool: 'slack_list_channels',
      params: {},
      request: { method: 'GET', path: '/conversations.list', query: { types: 'public_channel', exclude_archived: 'true', limit: '100' }, headers: auth },
      data: {
        channels: [
          {
            id: 'C024BE91L',
            name: 'general',
            is_private: false,
            is_archived: false,
            is_member: true,
            num_members: 42,
            topic: 'Company-wide announcements',
            purpose: 'This channel is for team-wide communication.',
          },
          { id: 'C061EG9T2', name: 'random', is_private: false, is_archived: false, is_member: false, num_members: 40, topic: '', purpose: 'Non-work banter.' },
        ],
        next_cursor: 'dGVhbTpDMDYxRkE1UEI=',
      },
    },
    {
      tool: 'slack_list_channels',
      params: { types: 'public_channel,private_channel', exclude_archived: false, limit: 2, cursor: 'dGVhbTpDMDYxRkE1UEI=' },
      request: {
        method: 'GET',
        path: '/conversations.list',
        query: { types: 'public_channel,private_channel', exclude_archived: 'false', limit: '2', cursor: 'dGVhbTpDMDYxRkE1UEI=' },
        headers: auth,
      },
      data: { channels: [] },
    },
    {
      tool: 'slack_get_channel_history',
      params: { channel: 'C024BE91L', oldest: '1712300000.000000', limit: 3 },
      request: { method: 'GET', path: '/conversations.history', query: { channel: 'C024BE91L', limit: '3', oldest: '1712300000.000000' }, headers: auth },
      data: {
        messages: [
          { ts: '1712345678.000100', user: 'U012AB3CD', text: 'Deploy is done :rocket:' },
          { ts: '1712340000.000200', user: 'U061F7AUR', text: 'Who owns the release notes?', thread_ts: '1712340000.000200', reply_count: 2 },
          { ts: '1712330000.000050', bot_id: 'B0DEPLOY1', subtype: 'bot_message', text: 'Build #512 passed' },
        ],
        has_more: true,
        next_cursor: 'bmV4dF90czoxNzEyMzMwMDAwMDAwMDUw',
      },
    },
    {
      tool: 'slack_get_thread_replies',
      params: { channel: 'C024BE91L', ts: '1712340000.000200' },
      request: { method: 'GET', path: '/conversations.replies', query: { channel: 'C024BE91L', ts: '1712340000.000200', limit: '50' }, headers: auth },
      data: {
        messages: [
          { ts: '1712340000.000200', user: 'U061F7AUR', text: 'Who owns the release notes?', thread_ts: '1712340000.000200' },
          { ts: '1712340500.000250', user: 'U012AB3CD', text: 'I do.', thread_ts: '1712340000.000200' },
        ],
        has_more: false,
      },
    },
    {
      tool: 'slack_add_reaction',
      params: { channel: 'C024BE91L', timestamp: '1712345678.000100', name: 'thumbsup' },
      request: { method: 'POST', path: '/reactions.add', headers: json, body: { channel: 'C024BE91L', timestamp: '1712345678.000100', name: 'thumbsup' } },
      data: { ok: true },
    },
    {
      tool: 'slack_list_users',
      params: { limit: 2 },
      request: { method: 'GET', path: '/users.list', query: { limit: '2' }, headers: auth },
      data: {
        members: [
          {
            id: 'U012AB3CD',
            name: 'ada',
            real_name: 'Ada Lovelace',
            display_name: 'ada',
            title: 'Analyst',
            email: 'ada@example.com',
            tz: 'Europe/London',
            is_bot: false,
            is_admin: true,
            deleted: false,
          },
          { id: 'B0DEPLOY1', name: 'deploybot', real_name: 'Deploy Bot', display_name: '', title: '', tz: 'America/Los_Angeles', is_bot: true, is_admin: false, deleted: false },
        ],
        next_cursor: 'dXNlcjpVMEc5V0ZYTlo=',
      },
    },
    {
      tool: 'slack_get_user_info',
      params: { user: 'U012AB3CD' },
      request: { method: 'GET', path: '/users.info', query: { user: 'U012AB3CD' }, headers: auth },
      data: {
        id: 'U012AB3CD',
        name: 'ada',
        real_name: 'Ada Lovelace',
        display_name: 'ada',
        title: 'Analyst',
        email: 'ada@example.com',
        status_text: 'Computing',
        tz: 'Europe/London',
        is_bot: false,
        is_admin: true,
        deleted: false,
      },
    },
  ],
});

// Slack reports failures as HTTP 200 with {ok:false, error}: response.ok_path/error_path must turn them into a tool_error.
for (const backend of BACKENDS) {
  describe(`slack tools: 200 {ok:false} answers are errors (${backend})`, () => {
    let gw: TestGateway;
    let emulator: RunningEmulator;
    let accountId: string;
    let running: ToolAccount | undefined;
    before(async () => {
      running = await startToolAccount(backend, { connector: 'slack', emulator: slackEmulator, account: { oauth_token: { access_token: SLACK_TOKEN, scopes } } });
      ({ gw, emulator, accountId } = running);
    });
    after(async () => {
      await running?.close();
    });

    it('slack_send_message to an unknown channel: tool_error with provider_code channel_not_found', async () => {
      const response = await gw.api('POST', '/api/v1/execute_tool', { tool_name: 'slack_send_message', connected_account_id: accountId, params: { channel: 'C0NOTHERE', text: 'hello' } });
      assert.notEqual(response.status, 200, response.text);
      assert.equal(response.body.error?.code, 'tool_error', response.text);
      assert.equal(response.body.error.details?.tool_error?.provider_code, 'channel_not_found', response.text);
      assert.equal(response.body.error.details?.tool_error?.upstream_status, 200, response.text);
      assert.equal(emulator.last().path, '/chat.postMessage');
    });

    it('slack_add_reaction with a message Slack cannot find: tool_error with provider_code message_not_found', async () => {
      const response = await gw.api('POST', '/api/v1/execute_tool', {
        tool_name: 'slack_add_reaction',
        connected_account_id: accountId,
        params: { channel: 'C024BE91L', timestamp: '1000000000.000001', name: 'eyes' },
      });
      assert.notEqual(response.status, 200, response.text);
      assert.equal(response.body.error?.details?.tool_error?.provider_code, 'message_not_found', response.text);
    });

    it('a revoked Slack token (200 {ok:false, error:"token_revoked"}) is a 401 unauthorized tool_error, not a bad request', async () => {
      emulator.enqueue({ status: 200, json: { ok: false, error: 'token_revoked' } });
      const response = await gw.api('POST', '/api/v1/execute_tool', { tool_name: 'slack_list_channels', connected_account_id: accountId, params: {} });
      assert.equal(response.status, 401, response.text);
      assert.equal(response.body.error.details.tool_error.kind, 'unauthorized');
      assert.equal(response.body.error.details.tool_error.provider_code, 'token_revoked');
      assert.match(response.body.error.details.fix, /authorization link/);
    });
  });
}
