/**
 * Zendesk Support API v2 (https://developer.zendesk.com/api-reference/ticketing/introduction/): the
 * endpoints the zendesk_* tools call. API-token logins authenticate with HTTP basic auth as
 * `{email}/token:{api_token}`; anything else gets Zendesk's 401.
 */
import { defineEmulator, type RecordedRequest } from '../helpers/emulator.ts';

export const ZENDESK_ACCOUNT = { domain: 'acme', email: 'agent@acme.test', api_token: 'zd_tok_6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv' };
export const ZENDESK_BASIC = `Basic ${Buffer.from(`${ZENDESK_ACCOUNT.email}/token:${ZENDESK_ACCOUNT.api_token}`, 'utf8').toString('base64')}`;

const ticket = (id: number, overrides: Record<string, unknown> = {}) => ({
  url: `https://acme.zendesk.com/api/v2/tickets/${id}.json`,
  id,
  external_id: null,
  via: { channel: 'email', source: { from: { address: 'jane@customer.test', name: 'Jane Doe' }, to: { address: 'support@acme.zendesk.com', name: 'Acme' }, rel: null } },
  created_at: '2024-05-02T09:14:03Z',
  updated_at: '2024-05-03T16:40:11Z',
  type: 'incident',
  subject: 'Checkout page returns 500',
  raw_subject: 'Checkout page returns 500',
  description: 'Since this morning every checkout attempt fails with an error page.',
  priority: 'high',
  status: 'open',
  recipient: 'support@acme.zendesk.com',
  requester_id: 381620012,
  submitter_id: 381620012,
  assignee_id: 381620500,
  organization_id: 90001,
  group_id: 360001,
  collaborator_ids: [],
  follower_ids: [],
  email_cc_ids: [],
  forum_topic_id: null,
  problem_id: null,
  has_incidents: false,
  is_public: true,
  due_at: null,
  tags: ['checkout', 'web'],
  custom_fields: [{ id: 360012, value: null }],
  satisfaction_rating: null,
  sharing_agreement_ids: [],
  fields: [{ id: 360012, value: null }],
  followup_ids: [],
  ticket_form_id: 360000100,
  brand_id: 360000200,
  allow_channelback: false,
  allow_attachments: true,
  from_messaging_channel: false,
  ...overrides,
});

const body = (request: RecordedRequest) => (request.body as { ticket: Record<string, unknown> }).ticket;

export const zendeskEmulator = defineEmulator({
  name: 'zendesk',
  authorized: (request) => request.headers['authorization'] === ZENDESK_BASIC,
  unauthorized: { status: 401, json: { error: "Couldn't authenticate you" } },
  routes: [
    {
      method: 'GET',
      path: '/api/v2/tickets.json',
      reply: (request) =>
        request.query['page[after]'] === 'eyJvIjoiLXVwZGF0ZWRfYXQiLCJ2IjoiYVFJQUFBQUFBQUFBIn0='
          ? { json: { tickets: [], meta: { has_more: false, after_cursor: null, before_cursor: null }, links: { prev: null, next: null } } }
          : {
              json: {
                tickets: [ticket(1042), ticket(1041, { subject: 'Refund for order 5531', type: 'question', priority: 'normal', status: 'pending', tags: ['refund'], assignee_id: null, updated_at: '2024-05-03T11:02:45Z' })],
                meta: { has_more: true, after_cursor: 'eyJvIjoiLXVwZGF0ZWRfYXQiLCJ2IjoiYVFJQUFBQUFBQUFBIn0=', before_cursor: 'eyJvIjoiLXVwZGF0ZWRfYXQiLCJ2IjoiYVFNQUFBQUFBQUFBIn0=' },
                links: {
                  prev: 'https://acme.zendesk.com/api/v2/tickets.json?page%5Bbefore%5D=eyJvIjoiLXVwZGF0ZWRfYXQiLCJ2IjoiYVFNQUFBQUFBQUFBIn0%3D&page%5Bsize%5D=2',
                  next: 'https://acme.zendesk.com/api/v2/tickets.json?page%5Bafter%5D=eyJvIjoiLXVwZGF0ZWRfYXQiLCJ2IjoiYVFJQUFBQUFBQUFBIn0%3D&page%5Bsize%5D=2',
                },
              },
            },
    },
    {
      method: 'GET',
      path: '/api/v2/tickets/:file',
      reply: (request) => {
        const id = Number(/^(\d+)\.json$/.exec(request.params['file'] ?? '')?.[1]);
        return id === 1042 ? { json: { ticket: ticket(1042, { due_at: '2024-05-10T17:00:00Z' }) } } : { status: 404, json: { error: 'RecordNotFound', description: 'Not found' } };
      },
    },
    {
      method: 'POST',
      path: '/api/v2/tickets.json',
      reply: (request) => {
        const sent = body(request);
        const created = ticket(1043, {
          subject: sent['subject'],
          raw_subject: sent['subject'],
          description: (sent['comment'] as { body?: string } | undefined)?.body,
          priority: sent['priority'] ?? null,
          type: sent['type'] ?? null,
          status: sent['status'] ?? (sent['assignee_id'] === undefined ? 'new' : 'open'),
          requester_id: sent['requester'] === undefined ? 381620500 : 381620999,
          submitter_id: 381620500,
          assignee_id: sent['assignee_id'] ?? null,
          group_id: sent['group_id'] ?? null,
          tags: sent['tags'] ?? [],
          created_at: '2024-05-04T08:00:00Z',
          updated_at: '2024-05-04T08:00:00Z',
          via: { channel: 'api', source: { from: {}, to: {}, rel: null } },
        });
        return { status: 201, json: { ticket: created, audit: { id: 7001, ticket_id: 1043, created_at: '2024-05-04T08:00:00Z', author_id: 381620500, events: [] } } };
      },
    },
    {
      method: 'PUT',
      path: '/api/v2/tickets/:file',
      reply: (request) => {
        const sent = body(request);
        const added = (sent['additional_tags'] as string[] | undefined) ?? [];
        const removed = new Set((sent['remove_tags'] as string[] | undefined) ?? []);
        const updated = ticket(1042, {
          ...(sent['status'] === undefined ? {} : { status: sent['status'] }),
          ...(sent['priority'] === undefined ? {} : { priority: sent['priority'] }),
          ...(sent['assignee_id'] === undefined ? {} : { assignee_id: sent['assignee_id'] }),
          tags: [...['checkout', 'web'].filter((tag) => !removed.has(tag)), ...added],
          updated_at: '2024-05-04T10:30:00Z',
        });
        return { json: { ticket: updated, audit: { id: 7002, ticket_id: 1042, created_at: '2024-05-04T10:30:00Z', author_id: 381620500, events: [] } } };
      },
    },
    {
      method: 'GET',
      path: '/api/v2/search.json',
      reply: (request) =>
        request.query['query'] === 'type:ticket tags:nothing'
          ? { json: { results: [], facets: null, next_page: null, previous_page: null, count: 0 } }
          : {
              json: {
                results: [
                  { ...ticket(1042), result_type: 'ticket' },
                  {
                    url: 'https://acme.zendesk.com/api/v2/users/381620012.json',
                    id: 381620012,
                    name: 'Jane Doe',
                    email: 'jane@customer.test',
                    role: 'end-user',
                    created_at: '2023-11-20T08:00:00Z',
                    updated_at: '2024-05-02T09:14:03Z',
                    time_zone: 'Europe/Berlin',
                    active: true,
                    verified: true,
                    result_type: 'user',
                  },
                ],
                facets: null,
                next_page: 'https://acme.zendesk.com/api/v2/search.json?page=2&per_page=2&query=checkout',
                previous_page: null,
                count: 57,
              },
            },
    },
    {
      method: 'GET',
      path: '/api/v2/tickets/:id/comments.json',
      reply: () => ({
        json: {
          comments: [
            {
              id: 9001,
              type: 'Comment',
              author_id: 381620012,
              body: 'Since this morning every checkout attempt fails with an error page.',
              html_body: '<div class="zd-comment"><p>Since this morning every checkout attempt fails with an error page.</p></div>',
              plain_body: 'Since this morning every checkout attempt fails with an error page.',
              public: true,
              attachments: [{ id: 5501, file_name: 'screenshot.png', content_url: 'https://acme.zendesk.com/attachments/token/abc123/?name=screenshot.png', content_type: 'image/png', size: 48213 }],
              audit_id: 7000,
              via: { channel: 'email', source: { from: {}, to: {}, rel: null } },
              created_at: '2024-05-02T09:14:03Z',
              metadata: { system: {}, custom: {} },
            },
            {
              id: 9002,
              type: 'Comment',
              author_id: 381620500,
              body: 'Reproduced; escalating to the payments team.',
              html_body: '<div class="zd-comment"><p>Reproduced; escalating to the payments team.</p></div>',
              plain_body: 'Reproduced; escalating to the payments team.',
              public: false,
              attachments: [],
              audit_id: 7001,
              via: { channel: 'web', source: { from: {}, to: {}, rel: null } },
              created_at: '2024-05-02T10:01:44Z',
              metadata: { system: {}, custom: {} },
            },
          ],
          meta: { has_more: false, after_cursor: null, before_cursor: null },
          links: { prev: null, next: null },
        },
      }),
    },
  ],
});
