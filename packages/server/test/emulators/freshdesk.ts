/**
 * Freshdesk API v2 (https://developers.freshdesk.com/api/): the endpoints the freshdesk_* tools call.
 * Authentication is HTTP basic auth with the API key as the username and `X` as the password;
 * anything else gets Freshdesk's 401. Lists are top-level JSON arrays paged with a Link header.
 */
import { defineEmulator, type RecordedRequest } from '../helpers/emulator.ts';

export const FRESHDESK_ACCOUNT = { domain: 'acme', api_key: 'Vq3bT9xLmP2kR7wZsYd4' };
export const FRESHDESK_BASIC = `Basic ${Buffer.from(`${FRESHDESK_ACCOUNT.api_key}:X`, 'utf8').toString('base64')}`;

const ticket = (id: number, overrides: Record<string, unknown> = {}) => ({
  cc_emails: [],
  fwd_emails: [],
  reply_cc_emails: [],
  ticket_cc_emails: [],
  fr_escalated: false,
  spam: false,
  email_config_id: 80000012345,
  group_id: 80000054321,
  priority: 3,
  requester_id: 80012345678,
  responder_id: 80000098765,
  source: 1,
  company_id: 80000011111,
  status: 2,
  subject: 'Invoice shows the wrong VAT number',
  association_type: null,
  support_email: 'support@acme.freshdesk.com',
  to_emails: ['support@acme.freshdesk.com'],
  product_id: null,
  id,
  type: 'Problem',
  due_by: '2024-05-06T17:00:00Z',
  fr_due_by: '2024-05-03T17:00:00Z',
  is_escalated: false,
  custom_fields: { cf_order_number: '5531' },
  created_at: '2024-05-02T09:14:03Z',
  updated_at: '2024-05-03T16:40:11Z',
  associated_tickets_count: null,
  tags: ['billing'],
  ...overrides,
});

const created = (request: RecordedRequest, id: number) => {
  const body = request.body as Record<string, unknown>;
  return ticket(id, {
    subject: body['subject'],
    description: body['description'],
    description_text: String(body['description']).replace(/<[^>]+>/g, ''),
    status: body['status'],
    priority: body['priority'],
    type: body['type'] ?? null,
    requester_id: body['requester_id'] ?? 80012349999,
    responder_id: body['responder_id'] ?? null,
    group_id: body['group_id'] ?? null,
    tags: body['tags'] ?? [],
    cc_emails: body['cc_emails'] ?? [],
    company_id: null,
    source: 2,
    due_by: '2024-05-07T17:00:00Z',
    created_at: '2024-05-04T08:00:00Z',
    updated_at: '2024-05-04T08:00:00Z',
  });
};

const contact = (id: number, overrides: Record<string, unknown> = {}) => ({
  active: true,
  address: null,
  company_id: 80000011111,
  description: null,
  email: 'jane@customer.test',
  id,
  job_title: 'Head of Finance',
  language: 'en',
  mobile: null,
  name: 'Jane Doe',
  phone: '+49 30 123456',
  time_zone: 'Berlin',
  twitter_id: null,
  other_emails: [],
  facebook_id: null,
  created_at: '2023-11-20T08:00:00Z',
  updated_at: '2024-05-02T09:14:03Z',
  csat_rating: null,
  preferred_source: null,
  unique_external_id: null,
  tags: ['vip'],
  ...overrides,
});

const conversation = (id: number, overrides: Record<string, unknown>) => ({
  body: '',
  body_text: '',
  id,
  incoming: false,
  private: false,
  user_id: 80000098765,
  support_email: 'support@acme.freshdesk.com',
  source: 0,
  category: 3,
  to_emails: ['jane@customer.test'],
  from_email: 'support@acme.freshdesk.com',
  cc_emails: [],
  bcc_emails: null,
  email_failure_count: null,
  outgoing_failures: null,
  thread_id: null,
  thread_message_id: null,
  created_at: '2024-05-02T10:00:00Z',
  updated_at: '2024-05-02T10:00:00Z',
  last_edited_at: null,
  last_edited_user_id: null,
  attachments: [],
  automation_id: null,
  automation_type_id: null,
  auto_response: false,
  ticket_id: 2041,
  source_additional_info: null,
  ...overrides,
});

export const freshdeskEmulator = defineEmulator({
  name: 'freshdesk',
  authorized: (request) => request.headers['authorization'] === FRESHDESK_BASIC,
  unauthorized: { status: 401, json: { code: 'invalid_credentials', message: 'You have to be logged in to perform this action.' } },
  routes: [
    {
      method: 'GET',
      path: '/api/v2/tickets',
      reply: (request) =>
        request.query['email'] === 'nobody@customer.test'
          ? { json: [] }
          : {
              json: [ticket(2041), ticket(2040, { subject: 'Password reset link expired', status: 3, priority: 1, type: 'Question', responder_id: null, group_id: null, tags: [], updated_at: '2024-05-03T11:02:45Z' })],
              headers: { link: '<https://acme.freshdesk.com/api/v2/tickets?page=2&per_page=2>; rel="next"' },
            },
    },
    {
      method: 'GET',
      path: '/api/v2/tickets/:id',
      reply: (request) =>
        request.params['id'] === '2041'
          ? {
              json: ticket(2041, {
                description: '<div>The invoice INV-0042 lists our old VAT number DE123.</div>',
                description_text: 'The invoice INV-0042 lists our old VAT number DE123.',
                cc_emails: ['accounting@customer.test'],
                requester: { email: 'jane@customer.test', id: 80012345678, mobile: null, name: 'Jane Doe', phone: '+49 30 123456' },
              }),
            }
          : { status: 404, json: { code: 'access_denied', message: 'You are not authorized to perform this action.' } },
    },
    { method: 'POST', path: '/api/v2/tickets', reply: (request) => ({ status: 201, json: created(request, 2042) }) },
    {
      method: 'PUT',
      path: '/api/v2/tickets/:id',
      reply: (request) => {
        const body = request.body as Record<string, unknown>;
        return { json: ticket(Number(request.params['id']), { ...body, updated_at: '2024-05-04T10:30:00Z' }) };
      },
    },
    {
      method: 'POST',
      path: '/api/v2/tickets/:id/reply',
      reply: (request) => {
        const body = request.body as { body: string; cc_emails?: string[] };
        return {
          status: 201,
          json: {
            body: body.body,
            body_text: body.body.replace(/<[^>]+>/g, ''),
            id: 80055500001,
            incoming: false,
            private: false,
            user_id: 80000098765,
            support_email: 'support@acme.freshdesk.com',
            ticket_id: Number(request.params['id']),
            to_emails: ['jane@customer.test'],
            from_email: 'Acme Support <support@acme.freshdesk.com>',
            cc_emails: body.cc_emails ?? [],
            bcc_emails: [],
            attachments: [],
            created_at: '2024-05-04T10:31:00Z',
            updated_at: '2024-05-04T10:31:00Z',
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/api/v2/tickets/:id/notes',
      reply: (request) => {
        const body = request.body as { body: string; private?: boolean; notify_emails?: string[] };
        return {
          status: 201,
          json: {
            body: body.body,
            body_text: body.body.replace(/<[^>]+>/g, ''),
            id: 80055500002,
            incoming: false,
            private: body.private ?? true,
            user_id: 80000098765,
            support_email: null,
            ticket_id: Number(request.params['id']),
            notified_to: body.notify_emails ?? [],
            attachments: [],
            created_at: '2024-05-04T10:32:00Z',
            updated_at: '2024-05-04T10:32:00Z',
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/api/v2/tickets/:id/conversations',
      reply: () => ({
        json: [
          conversation(80055400001, {
            body: '<div>Any update? Our auditor needs the corrected invoice.</div>',
            body_text: 'Any update? Our auditor needs the corrected invoice.',
            incoming: true,
            user_id: 80012345678,
            from_email: 'jane@customer.test',
            to_emails: ['support@acme.freshdesk.com'],
            source: 0,
          }),
          conversation(80055400002, {
            body: '<div>Finance confirmed the VAT change; reissuing today.</div>',
            body_text: 'Finance confirmed the VAT change; reissuing today.',
            private: true,
            source: 2,
            category: 2,
            from_email: null,
            to_emails: [],
            created_at: '2024-05-03T09:00:00Z',
          }),
        ],
      }),
    },
    {
      method: 'GET',
      path: '/api/v2/contacts',
      reply: (request) =>
        request.query['email'] === 'jane@customer.test' ? { json: [contact(80012345678)] } : { json: [contact(80012345678), contact(80012345679, { name: 'Sam Lee', email: 'sam@customer.test', phone: null, mobile: '+49 170 5550100', job_title: null, tags: [] })], headers: { link: '<https://acme.freshdesk.com/api/v2/contacts?page=3&per_page=2>; rel="next"' } },
    },
    {
      method: 'POST',
      path: '/api/v2/contacts',
      reply: (request) => {
        const body = request.body as Record<string, unknown>;
        return {
          status: 201,
          json: contact(80012349999, {
            name: body['name'],
            email: body['email'] ?? null,
            phone: body['phone'] ?? null,
            mobile: body['mobile'] ?? null,
            company_id: body['company_id'] ?? null,
            job_title: body['job_title'] ?? null,
            description: body['description'] ?? null,
            tags: body['tags'] ?? [],
            active: false,
            created_at: '2024-05-04T08:00:00Z',
            updated_at: '2024-05-04T08:00:00Z',
          }),
        };
      },
    },
  ],
});
