/** Every freshdesk_* tool against the Freshdesk emulator, through POST /api/v1/execute_tool. */
import assert from 'node:assert/strict';
import { FRESHDESK_ACCOUNT, FRESHDESK_BASIC, freshdeskEmulator } from '../emulators/freshdesk.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

// Freshdesk: the API key is the basic-auth username, the password is the literal X.
assert.equal(FRESHDESK_BASIC, `Basic ${Buffer.from('Vq3bT9xLmP2kR7wZsYd4:X').toString('base64')}`);
const auth = { authorization: FRESHDESK_BASIC };
const json = { ...auth, 'content-type': 'application/json' };
const at = (path: string) => `/acme.freshdesk.com${path}`;

toolSuite({
  connector: 'freshdesk',
  emulator: freshdeskEmulator,
  type: 'BASIC_AUTH',
  account: { static_auth: FRESHDESK_ACCOUNT },
  basePath: '/{{domain}}.freshdesk.com',
  routePrefix: /\/[^/]+\.freshdesk\.com/,
  cases: [
    {
      tool: 'freshdesk_list_tickets',
      params: { updated_since: '2024-05-01T00:00:00Z', order_by: 'updated_at', order_type: 'desc', per_page: 2 },
      request: { method: 'GET', path: at('/api/v2/tickets'), query: { updated_since: '2024-05-01T00:00:00Z', order_by: 'updated_at', order_type: 'desc', per_page: '2' }, headers: auth },
      data: {
        tickets: [
          {
            id: 2041,
            subject: 'Invoice shows the wrong VAT number',
            status: 2,
            priority: 3,
            type: 'Problem',
            requester_id: 80012345678,
            responder_id: 80000098765,
            group_id: 80000054321,
            tags: ['billing'],
            due_by: '2024-05-06T17:00:00Z',
            created_at: '2024-05-02T09:14:03Z',
            updated_at: '2024-05-03T16:40:11Z',
          },
          {
            id: 2040,
            subject: 'Password reset link expired',
            status: 3,
            priority: 1,
            type: 'Question',
            requester_id: 80012345678,
            responder_id: null,
            group_id: null,
            tags: [],
            due_by: '2024-05-06T17:00:00Z',
            created_at: '2024-05-02T09:14:03Z',
            updated_at: '2024-05-03T11:02:45Z',
          },
        ],
        next_link: '<https://acme.freshdesk.com/api/v2/tickets?page=2&per_page=2>; rel="next"',
      },
    },
    {
      tool: 'freshdesk_list_tickets',
      params: { email: 'nobody@customer.test', page: 2 },
      request: { method: 'GET', path: at('/api/v2/tickets'), query: { email: 'nobody@customer.test', per_page: '30', page: '2' }, headers: auth },
      data: { tickets: [] },
    },
    {
      tool: 'freshdesk_get_ticket',
      params: { ticket_id: 2041 },
      request: { method: 'GET', path: at('/api/v2/tickets/2041'), query: { include: 'requester' }, headers: auth },
      data: {
        id: 2041,
        subject: 'Invoice shows the wrong VAT number',
        description: 'The invoice INV-0042 lists our old VAT number DE123.',
        status: 2,
        priority: 3,
        source: 1,
        type: 'Problem',
        requester: { id: 80012345678, name: 'Jane Doe', email: 'jane@customer.test' },
        responder_id: 80000098765,
        group_id: 80000054321,
        company_id: 80000011111,
        tags: ['billing'],
        cc_emails: ['accounting@customer.test'],
        is_escalated: false,
        due_by: '2024-05-06T17:00:00Z',
        fr_due_by: '2024-05-03T17:00:00Z',
        created_at: '2024-05-02T09:14:03Z',
        updated_at: '2024-05-03T16:40:11Z',
      },
    },
    {
      tool: 'freshdesk_create_ticket',
      params: { subject: 'Cannot download invoice', description: '<p>The PDF link returns 404.</p>', email: 'sam@customer.test', name: 'Sam Lee', tags: ['billing', 'pdf'] },
      request: {
        method: 'POST',
        path: at('/api/v2/tickets'),
        headers: json,
        body: { subject: 'Cannot download invoice', description: '<p>The PDF link returns 404.</p>', email: 'sam@customer.test', name: 'Sam Lee', status: 2, priority: 1, tags: ['billing', 'pdf'] },
      },
      data: { id: 2042, subject: 'Cannot download invoice', status: 2, priority: 1, requester_id: 80012349999, responder_id: null, tags: ['billing', 'pdf'], due_by: '2024-05-07T17:00:00Z', created_at: '2024-05-04T08:00:00Z' },
    },
    {
      tool: 'freshdesk_create_ticket',
      params: { subject: 'Outage in EU region', description: 'Dashboard unreachable.', requester_id: 80012345678, status: 3, priority: 4, type: 'Incident', responder_id: 80000098765, group_id: 80000054321, cc_emails: ['cto@customer.test'] },
      request: {
        method: 'POST',
        path: at('/api/v2/tickets'),
        headers: json,
        body: {
          subject: 'Outage in EU region',
          description: 'Dashboard unreachable.',
          requester_id: 80012345678,
          status: 3,
          priority: 4,
          type: 'Incident',
          cc_emails: ['cto@customer.test'],
          responder_id: 80000098765,
          group_id: 80000054321,
        },
      },
      data: { id: 2042, subject: 'Outage in EU region', status: 3, priority: 4, requester_id: 80012345678, responder_id: 80000098765, tags: [], due_by: '2024-05-07T17:00:00Z', created_at: '2024-05-04T08:00:00Z' },
    },
    {
      tool: 'freshdesk_update_ticket',
      params: { ticket_id: 2041, status: 4, tags: ['billing', 'vat'] },
      request: { method: 'PUT', path: at('/api/v2/tickets/2041'), headers: json, body: { status: 4, tags: ['billing', 'vat'] } },
      data: { id: 2041, subject: 'Invoice shows the wrong VAT number', status: 4, priority: 3, type: 'Problem', responder_id: 80000098765, group_id: 80000054321, tags: ['billing', 'vat'], updated_at: '2024-05-04T10:30:00Z' },
    },
    {
      tool: 'freshdesk_add_reply',
      params: { ticket_id: 2041, body: '<p>We reissued the invoice with the new VAT number.</p>', cc_emails: ['accounting@customer.test'] },
      request: { method: 'POST', path: at('/api/v2/tickets/2041/reply'), headers: json, body: { body: '<p>We reissued the invoice with the new VAT number.</p>', cc_emails: ['accounting@customer.test'] } },
      data: { id: 80055500001, ticket_id: 2041, body: 'We reissued the invoice with the new VAT number.', to_emails: ['jane@customer.test'], cc_emails: ['accounting@customer.test'], created_at: '2024-05-04T10:31:00Z' },
    },
    {
      tool: 'freshdesk_add_note',
      params: { ticket_id: 2041, body: 'Customer is on the enterprise plan.', notify_emails: ['lead@acme.test'] },
      request: { method: 'POST', path: at('/api/v2/tickets/2041/notes'), headers: json, body: { body: 'Customer is on the enterprise plan.', private: true, notify_emails: ['lead@acme.test'] } },
      data: { id: 80055500002, ticket_id: 2041, body: 'Customer is on the enterprise plan.', private: true, created_at: '2024-05-04T10:32:00Z' },
    },
    {
      tool: 'freshdesk_add_note',
      params: { ticket_id: 2041, body: 'Reissued invoice attached in the portal.', private: false },
      request: { method: 'POST', path: at('/api/v2/tickets/2041/notes'), headers: json, body: { body: 'Reissued invoice attached in the portal.', private: false } },
      data: { id: 80055500002, ticket_id: 2041, body: 'Reissued invoice attached in the portal.', private: false, created_at: '2024-05-04T10:32:00Z' },
    },
    {
      tool: 'freshdesk_list_conversations',
      params: { ticket_id: 2041 },
      request: { method: 'GET', path: at('/api/v2/tickets/2041/conversations'), query: { per_page: '30' }, headers: auth },
      data: {
        conversations: [
          { id: 80055400001, body: 'Any update? Our auditor needs the corrected invoice.', incoming: true, private: false, user_id: 80012345678, from_email: 'jane@customer.test', to_emails: ['support@acme.freshdesk.com'], created_at: '2024-05-02T10:00:00Z' },
          { id: 80055400002, body: 'Finance confirmed the VAT change; reissuing today.', incoming: false, private: true, user_id: 80000098765, from_email: null, to_emails: [], created_at: '2024-05-03T09:00:00Z' },
        ],
      },
    },
    {
      tool: 'freshdesk_list_contacts',
      params: { email: 'jane@customer.test' },
      request: { method: 'GET', path: at('/api/v2/contacts'), query: { email: 'jane@customer.test', per_page: '30' }, headers: auth },
      data: {
        contacts: [
          { id: 80012345678, name: 'Jane Doe', email: 'jane@customer.test', phone: '+49 30 123456', mobile: null, company_id: 80000011111, job_title: 'Head of Finance', tags: ['vip'], created_at: '2023-11-20T08:00:00Z', updated_at: '2024-05-02T09:14:03Z' },
        ],
      },
    },
    {
      tool: 'freshdesk_list_contacts',
      params: { company_id: 80000011111, per_page: 2, page: 2 },
      request: { method: 'GET', path: at('/api/v2/contacts'), query: { company_id: '80000011111', per_page: '2', page: '2' }, headers: auth },
      data: {
        contacts: [
          { id: 80012345678, name: 'Jane Doe', email: 'jane@customer.test', phone: '+49 30 123456', mobile: null, company_id: 80000011111, job_title: 'Head of Finance', tags: ['vip'], created_at: '2023-11-20T08:00:00Z', updated_at: '2024-05-02T09:14:03Z' },
          { id: 80012345679, name: 'Sam Lee', email: 'sam@customer.test', phone: null, mobile: '+49 170 5550100', company_id: 80000011111, job_title: null, tags: [], created_at: '2023-11-20T08:00:00Z', updated_at: '2024-05-02T09:14:03Z' },
        ],
        next_link: '<https://acme.freshdesk.com/api/v2/contacts?page=3&per_page=2>; rel="next"',
      },
    },
    {
      tool: 'freshdesk_create_contact',
      params: { name: 'Alex Kim', email: 'alex@customer.test', company_id: 80000011111, job_title: 'CTO', tags: ['tech'] },
      request: { method: 'POST', path: at('/api/v2/contacts'), headers: json, body: { name: 'Alex Kim', email: 'alex@customer.test', company_id: 80000011111, job_title: 'CTO', tags: ['tech'] } },
      data: { id: 80012349999, name: 'Alex Kim', email: 'alex@customer.test', phone: null, mobile: null, company_id: 80000011111, job_title: 'CTO', tags: ['tech'], created_at: '2024-05-04T08:00:00Z' },
    },
  ],
});
