/** Every zendesk_* tool against the Zendesk emulator, through POST /api/v1/execute_tool. */
import assert from 'node:assert/strict';
import { ZENDESK_ACCOUNT, ZENDESK_BASIC, zendeskEmulator } from '../emulators/zendesk.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

// The exact header Zendesk wants for API tokens: basic auth of `{email}/token:{api_token}`.
assert.equal(ZENDESK_BASIC, `Basic ${Buffer.from('agent@acme.test/token:zd_tok_6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv').toString('base64')}`);
const auth = { authorization: ZENDESK_BASIC };
const json = { ...auth, 'content-type': 'application/json' };
/** The subdomain from the account's `domain` field stays visible in the recorded path. */
const at = (path: string) => `/acme.zendesk.com${path}`;

const ticket1042 = {
  id: 1042,
  subject: 'Checkout page returns 500',
  status: 'open',
  priority: 'high',
  type: 'incident',
  requester_id: 381620012,
  assignee_id: 381620500,
  group_id: 360001,
  tags: ['checkout', 'web'],
  created_at: '2024-05-02T09:14:03Z',
  updated_at: '2024-05-03T16:40:11Z',
};

toolSuite({
  connector: 'zendesk',
  emulator: zendeskEmulator,
  type: 'API_KEY',
  account: { static_auth: ZENDESK_ACCOUNT },
  basePath: '/{{domain}}.zendesk.com',
  routePrefix: /\/[^/]+\.zendesk\.com/,
  cases: [
    {
      tool: 'zendesk_list_tickets',
      params: {},
      request: { method: 'GET', path: at('/api/v2/tickets.json'), query: { sort: '-updated_at', 'page[size]': '25' }, headers: auth },
      data: {
        tickets: [
          ticket1042,
          { ...ticket1042, id: 1041, subject: 'Refund for order 5531', status: 'pending', priority: 'normal', type: 'question', assignee_id: null, tags: ['refund'], updated_at: '2024-05-03T11:02:45Z' },
        ],
        has_more: true,
        next_cursor: 'eyJvIjoiLXVwZGF0ZWRfYXQiLCJ2IjoiYVFJQUFBQUFBQUFBIn0=',
      },
    },
    {
      tool: 'zendesk_list_tickets',
      params: { cursor: 'eyJvIjoiLXVwZGF0ZWRfYXQiLCJ2IjoiYVFJQUFBQUFBQUFBIn0=', page_size: 2, sort: 'id' },
      request: { method: 'GET', path: at('/api/v2/tickets.json'), query: { sort: 'id', 'page[size]': '2', 'page[after]': 'eyJvIjoiLXVwZGF0ZWRfYXQiLCJ2IjoiYVFJQUFBQUFBQUFBIn0=' }, headers: auth },
      // The last page's null cursor is dropped: the LLM sees no next_cursor.
      data: { tickets: [], has_more: false },
    },
    {
      tool: 'zendesk_get_ticket',
      params: { ticket_id: 1042 },
      request: { method: 'GET', path: at('/api/v2/tickets/1042.json'), headers: auth },
      data: {
        id: 1042,
        subject: 'Checkout page returns 500',
        description: 'Since this morning every checkout attempt fails with an error page.',
        status: 'open',
        priority: 'high',
        type: 'incident',
        requester_id: 381620012,
        submitter_id: 381620012,
        assignee_id: 381620500,
        group_id: 360001,
        organization_id: 90001,
        tags: ['checkout', 'web'],
        channel: 'email',
        external_id: null,
        due_at: '2024-05-10T17:00:00Z',
        created_at: '2024-05-02T09:14:03Z',
        updated_at: '2024-05-03T16:40:11Z',
      },
    },
    {
      tool: 'zendesk_create_ticket',
      params: { subject: 'Cannot log in', comment: 'The login page says my password is wrong after the reset.', requester_email: 'sam@customer.test', requester_name: 'Sam Lee', priority: 'urgent', tags: ['login', 'vip'] },
      request: {
        method: 'POST',
        path: at('/api/v2/tickets.json'),
        headers: json,
        body: {
          ticket: {
            subject: 'Cannot log in',
            comment: { body: 'The login page says my password is wrong after the reset.' },
            requester: { email: 'sam@customer.test', name: 'Sam Lee' },
            priority: 'urgent',
            tags: ['login', 'vip'],
          },
        },
      },
      data: { id: 1043, subject: 'Cannot log in', status: 'new', priority: 'urgent', requester_id: 381620999, assignee_id: null, tags: ['login', 'vip'], created_at: '2024-05-04T08:00:00Z' },
    },
    {
      tool: 'zendesk_create_ticket',
      params: { subject: 'Renew SSL certificate', comment: 'Expires on June 1.', type: 'task', assignee_id: 381620500, group_id: 360001, external_id: 'JIRA-88' },
      request: {
        method: 'POST',
        path: at('/api/v2/tickets.json'),
        headers: json,
        body: { ticket: { subject: 'Renew SSL certificate', comment: { body: 'Expires on June 1.' }, type: 'task', assignee_id: 381620500, group_id: 360001, external_id: 'JIRA-88' } },
      },
      data: { id: 1043, subject: 'Renew SSL certificate', status: 'open', priority: null, requester_id: 381620500, assignee_id: 381620500, tags: [], created_at: '2024-05-04T08:00:00Z' },
    },
    {
      tool: 'zendesk_update_ticket',
      params: { ticket_id: 1042, status: 'solved', comment: 'Fixed by the 14:00 deploy; please try again.', add_tags: ['fixed'], remove_tags: ['web'] },
      request: {
        method: 'PUT',
        path: at('/api/v2/tickets/1042.json'),
        headers: json,
        body: { ticket: { status: 'solved', additional_tags: ['fixed'], remove_tags: ['web'], comment: { body: 'Fixed by the 14:00 deploy; please try again.' } } },
      },
      data: { id: 1042, subject: 'Checkout page returns 500', status: 'solved', priority: 'high', type: 'incident', assignee_id: 381620500, group_id: 360001, tags: ['checkout', 'fixed'], updated_at: '2024-05-04T10:30:00Z' },
    },
    {
      tool: 'zendesk_update_ticket',
      params: { ticket_id: 1042, comment: 'Customer is on the enterprise plan.', comment_public: false, priority: 'urgent', assignee_id: 381620777 },
      request: {
        method: 'PUT',
        path: at('/api/v2/tickets/1042.json'),
        headers: json,
        body: { ticket: { priority: 'urgent', assignee_id: 381620777, comment: { body: 'Customer is on the enterprise plan.', public: false } } },
      },
      data: { id: 1042, subject: 'Checkout page returns 500', status: 'open', priority: 'urgent', type: 'incident', assignee_id: 381620777, group_id: 360001, tags: ['checkout', 'web'], updated_at: '2024-05-04T10:30:00Z' },
    },
    {
      tool: 'zendesk_search',
      params: { query: 'checkout', sort_by: 'updated_at', sort_order: 'desc' },
      request: { method: 'GET', path: at('/api/v2/search.json'), query: { query: 'checkout', sort_by: 'updated_at', sort_order: 'desc', per_page: '25' }, headers: auth },
      data: {
        results: [
          { result_type: 'ticket', id: 1042, subject: 'Checkout page returns 500', status: 'open', priority: 'high', requester_id: 381620012, assignee_id: 381620500, tags: ['checkout', 'web'], created_at: '2024-05-02T09:14:03Z', updated_at: '2024-05-03T16:40:11Z' },
          { result_type: 'user', id: 381620012, name: 'Jane Doe', email: 'jane@customer.test', role: 'end-user', created_at: '2023-11-20T08:00:00Z', updated_at: '2024-05-02T09:14:03Z' },
        ],
        count: 57,
        next_page: 'https://acme.zendesk.com/api/v2/search.json?page=2&per_page=2&query=checkout',
      },
    },
    {
      tool: 'zendesk_search',
      params: { query: 'type:ticket tags:nothing', page: 2, per_page: 10 },
      request: { method: 'GET', path: at('/api/v2/search.json'), query: { query: 'type:ticket tags:nothing', per_page: '10', page: '2' }, headers: auth },
      data: { results: [], count: 0, next_page: null },
    },
    {
      tool: 'zendesk_list_ticket_comments',
      params: { ticket_id: 1042 },
      request: { method: 'GET', path: at('/api/v2/tickets/1042/comments.json'), query: { 'page[size]': '50' }, headers: auth },
      data: {
        comments: [
          {
            id: 9001,
            author_id: 381620012,
            body: 'Since this morning every checkout attempt fails with an error page.',
            public: true,
            attachments: [{ file_name: 'screenshot.png', content_type: 'image/png', url: 'https://acme.zendesk.com/attachments/token/abc123/?name=screenshot.png' }],
            created_at: '2024-05-02T09:14:03Z',
          },
          { id: 9002, author_id: 381620500, body: 'Reproduced; escalating to the payments team.', public: false, attachments: [], created_at: '2024-05-02T10:01:44Z' },
        ],
        has_more: false,
      },
    },
  ],
});
