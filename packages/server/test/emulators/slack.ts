/**
 * Slack Web API (https://docs.slack.dev/reference/methods): the methods the slack_* tools call.
 * Slack answers HTTP 200 with `{"ok": false, "error": "<code>"}` on failure, bad tokens included.
 */
import { defineEmulator, type RecordedRequest } from '../helpers/emulator.ts';

export const SLACK_TOKEN = 'xoxb-1111111111-2222222222-slackEmulatorToken';

const KNOWN_CHANNELS = new Set(['C024BE91L', 'C061EG9T2', '#general']);

function fail(error: string) {
  return { json: { ok: false, error } };
}

function param(request: RecordedRequest, name: string): string | undefined {
  const fromBody = (request.body as Record<string, unknown> | undefined)?.[name];
  if (typeof fromBody === 'string') return fromBody;
  const fromQuery = request.query[name];
  return typeof fromQuery === 'string' ? fromQuery : undefined;
}

const ada = {
  id: 'U012AB3CD',
  team_id: 'T012AB3C4',
  name: 'ada',
  deleted: false,
  color: '9f69e7',
  real_name: 'Ada Lovelace',
  tz: 'Europe/London',
  tz_label: 'Greenwich Mean Time',
  tz_offset: 0,
  profile: {
    avatar_hash: 'ge3b51ca72de',
    status_text: 'Computing',
    status_emoji: ':abacus:',
    real_name: 'Ada Lovelace',
    display_name: 'ada',
    real_name_normalized: 'Ada Lovelace',
    display_name_normalized: 'ada',
    email: 'ada@example.com',
    title: 'Analyst',
    image_72: 'https://secure.gravatar.com/avatar/ada-72.png',
    team: 'T012AB3C4',
  },
  is_admin: true,
  is_owner: false,
  is_primary_owner: false,
  is_restricted: false,
  is_ultra_restricted: false,
  is_bot: false,
  updated: 1712345678,
  is_app_user: false,
  has_2fa: true,
};

const deployBot = {
  id: 'B0DEPLOY1',
  team_id: 'T012AB3C4',
  name: 'deploybot',
  deleted: false,
  real_name: 'Deploy Bot',
  tz: 'America/Los_Angeles',
  profile: { real_name: 'Deploy Bot', display_name: '', bot_id: 'B0DEPLOY1', title: '' },
  is_admin: false,
  is_bot: true,
  updated: 1712000000,
};

export const slackEmulator = defineEmulator({
  name: 'slack',
  authorized: (request) => request.headers['authorization'] === `Bearer ${SLACK_TOKEN}`,
  unauthorized: { status: 200, json: { ok: false, error: 'invalid_auth' } },
  routes: [
    {
      method: 'POST',
      path: '/chat.postMessage',
      reply: (request) => {
        const channel = param(request, 'channel');
        if (channel === undefined) return fail('channel_not_found');
        if (!KNOWN_CHANNELS.has(channel)) return fail('channel_not_found');
        const body = request.body as { text?: string; thread_ts?: string };
        const id = channel === '#general' ? 'C024BE91L' : channel;
        return {
          json: {
            ok: true,
            channel: id,
            ts: '1712345699.000200',
            message: {
              bot_id: 'B0AGENT01',
              type: 'message',
              text: body.text,
              user: 'U0AGENTBOT',
              ts: '1712345699.000200',
              app_id: 'A0AGENT01',
              team: 'T012AB3C4',
              ...(body.thread_ts === undefined ? {} : { thread_ts: body.thread_ts, parent_user_id: 'U012AB3CD' }),
              bot_profile: { id: 'B0AGENT01', name: 'Agent', app_id: 'A0AGENT01' },
              blocks: [{ type: 'rich_text', block_id: 'x1', elements: [] }],
            },
            warning: 'missing_charset',
            response_metadata: { warnings: ['missing_charset'] },
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/conversations.list',
      reply: (request) =>
        request.query['cursor'] === 'dGVhbTpDMDYxRkE1UEI='
          ? { json: { ok: true, channels: [], response_metadata: { next_cursor: '' } } }
          : {
              json: {
                ok: true,
                channels: [
                  {
                    id: 'C024BE91L',
                    name: 'general',
                    is_channel: true,
                    is_group: false,
                    is_im: false,
                    created: 1449252889,
                    creator: 'U012AB3CD',
                    is_archived: false,
                    is_general: true,
                    unlinked: 0,
                    name_normalized: 'general',
                    is_shared: false,
                    is_private: false,
                    is_member: true,
                    topic: { value: 'Company-wide announcements', creator: 'U012AB3CD', last_set: 1449709364 },
                    purpose: { value: 'This channel is for team-wide communication.', creator: 'U012AB3CD', last_set: 1449709352 },
                    previous_names: [],
                    num_members: 42,
                  },
                  {
                    id: 'C061EG9T2',
                    name: 'random',
                    is_channel: true,
                    created: 1449252889,
                    is_archived: false,
                    is_general: false,
                    is_private: false,
                    is_member: false,
                    topic: { value: '', creator: '', last_set: 0 },
                    purpose: { value: 'Non-work banter.', creator: 'U012AB3CD', last_set: 1449709352 },
                    num_members: 40,
                  },
                ],
                response_metadata: { next_cursor: 'dGVhbTpDMDYxRkE1UEI=' },
              },
            },
    },
    {
      method: 'GET',
      path: '/conversations.history',
      reply: (request) =>
        !KNOWN_CHANNELS.has(String(request.query['channel']))
          ? fail('channel_not_found')
          : {
              json: {
                ok: true,
                messages: [
                  { type: 'message', user: 'U012AB3CD', text: 'Deploy is done :rocket:', ts: '1712345678.000100', team: 'T012AB3C4', blocks: [] },
                  {
                    type: 'message',
                    user: 'U061F7AUR',
                    text: 'Who owns the release notes?',
                    ts: '1712340000.000200',
                    thread_ts: '1712340000.000200',
                    reply_count: 2,
                    reply_users_count: 2,
                    latest_reply: '1712341000.000300',
                    reply_users: ['U012AB3CD', 'U0G9QF9C6'],
                    is_locked: false,
                    subscribed: false,
                  },
                  { type: 'message', subtype: 'bot_message', bot_id: 'B0DEPLOY1', text: 'Build #512 passed', ts: '1712330000.000050', username: 'deploybot' },
                ],
                has_more: true,
                pin_count: 0,
                channel_actions_ts: null,
                channel_actions_count: 0,
                response_metadata: { next_cursor: 'bmV4dF90czoxNzEyMzMwMDAwMDAwMDUw' },
              },
            },
    },
    {
      method: 'GET',
      path: '/conversations.replies',
      reply: (request) => ({
        json: {
          ok: true,
          messages: [
            { type: 'message', user: 'U061F7AUR', text: 'Who owns the release notes?', thread_ts: request.query['ts'], reply_count: 2, ts: request.query['ts'] },
            { type: 'message', user: 'U012AB3CD', text: 'I do.', thread_ts: request.query['ts'], parent_user_id: 'U061F7AUR', ts: '1712340500.000250' },
          ],
          has_more: false,
          response_metadata: { next_cursor: '' },
        },
      }),
    },
    {
      method: 'POST',
      path: '/reactions.add',
      reply: (request) => {
        const body = request.body as { channel?: string; timestamp?: string; name?: string };
        if (body.name === 'thumbsup' && body.timestamp === '1712345678.000100' && body.channel === 'C024BE91L') return { json: { ok: true } };
        if (body.name === 'not-an-emoji') return fail('invalid_name');
        return fail('message_not_found');
      },
    },
    {
      method: 'GET',
      path: '/users.list',
      reply: () => ({ json: { ok: true, members: [ada, deployBot], cache_ts: 1712345700, response_metadata: { next_cursor: 'dXNlcjpVMEc5V0ZYTlo=' } } }),
    },
    {
      method: 'GET',
      path: '/users.info',
      reply: (request) => (request.query['user'] === ada.id ? { json: { ok: true, user: ada } } : fail('user_not_found')),
    },
  ],
});
