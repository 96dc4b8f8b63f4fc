/** Every sendgrid_* tool against the SendGrid emulator, through POST /api/v1/execute_tool. */
import { SENDGRID_API_KEY, sendgridEmulator } from '../emulators/sendgrid.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${SENDGRID_API_KEY}` };
const json = { ...auth, 'content-type': 'application/json' };

const ada = {
  id: '0b5a3c8e-2f4d-4a7b-9c1e-6d8f0a2b4c6e',
  email: 'ada@example.com',
  first_name: 'Ada',
  last_name: 'Lovelace',
  phone_number: null,
  city: 'London',
  country: 'GB',
  list_ids: ['ca7a3796-e8a8-4029-9ccb-df8937940562'],
  custom_fields: { e1_T: 'gold' },
  created_at: '2024-03-01T08:00:00Z',
  updated_at: '2024-05-01T12:00:00Z',
};

toolSuite({
  connector: 'sendgrid',
  emulator: sendgridEmulator,
  type: 'BEARER_TOKEN',
  account: { static_auth: { api_key: SENDGRID_API_KEY } },
  cases: [
    {
      tool: 'sendgrid_send_email',
      params: { to: ['bob@example.com', 'carol@example.com'], subject: 'Your report', body: 'The weekly report is attached.', from_email: 'reports@acme.test' },
      request: {
        method: 'POST',
        path: '/v3/mail/send',
        headers: json,
        body: {
          personalizations: [{ to: [{ email: 'bob@example.com' }, { email: 'carol@example.com' }] }],
          from: { email: 'reports@acme.test' },
          subject: 'Your report',
          content: [{ type: 'text/plain', value: 'The weekly report is attached.' }],
        },
      },
      data: { accepted: true },
    },
    {
      tool: 'sendgrid_send_email',
      params: {
        to: ['bob@example.com'],
        cc: ['lead@acme.test'],
        bcc: ['archive@acme.test'],
        subject: 'Welcome',
        body: '<h1>Welcome aboard</h1>',
        content_type: 'text/html',
        from_email: 'hello@acme.test',
        from_name: 'Acme',
        reply_to: 'support@acme.test',
        categories: ['onboarding'],
        send_at: 1717000000,
      },
      request: {
        method: 'POST',
        path: '/v3/mail/send',
        headers: json,
        body: {
          personalizations: [{ to: [{ email: 'bob@example.com' }], cc: [{ email: 'lead@acme.test' }], bcc: [{ email: 'archive@acme.test' }] }],
          from: { email: 'hello@acme.test', name: 'Acme' },
          reply_to: { email: 'support@acme.test' },
          subject: 'Welcome',
          content: [{ type: 'text/html', value: '<h1>Welcome aboard</h1>' }],
          categories: ['onboarding'],
          send_at: 1717000000,
        },
      },
      data: { accepted: true },
    },
    {
      tool: 'sendgrid_send_template_email',
      params: { template_id: 'd-13b8f94fbcae4ec6b75270d6cb59f932', to: ['ada@example.com'], dynamic_template_data: { first_name: 'Ada', order_id: '5531', items: [{ name: 'Loom', qty: 1 }] }, from_email: 'orders@acme.test', from_name: 'Acme Orders' },
      request: {
        method: 'POST',
        path: '/v3/mail/send',
        headers: json,
        body: {
          personalizations: [{ to: [{ email: 'ada@example.com' }], dynamic_template_data: { first_name: 'Ada', order_id: '5531', items: [{ name: 'Loom', qty: 1 }] } }],
          from: { email: 'orders@acme.test', name: 'Acme Orders' },
          template_id: 'd-13b8f94fbcae4ec6b75270d6cb59f932',
        },
      },
      data: { accepted: true },
    },
    {
      tool: 'sendgrid_list_templates',
      params: { page_size: 2 },
      request: { method: 'GET', path: '/v3/templates', query: { generations: 'dynamic', page_size: '2' }, headers: auth },
      data: {
        templates: [
          {
            id: 'd-13b8f94fbcae4ec6b75270d6cb59f932',
            name: 'Order confirmation',
            generation: 'dynamic',
            updated_at: '2024-04-12 09:31:07',
            versions: [
              { id: '8aefe0ee-f12b-4575-b5b7-c97e21cb36f3', name: 'v2', subject: 'Your order {{order_id}} is confirmed', active: 1, updated_at: '2024-04-12 09:31:07' },
              { id: '5f4c6a2b-1d3e-4f5a-8b7c-9d0e1f2a3b4c', name: 'v1', subject: 'Order confirmed', active: 0, updated_at: '2024-02-01 15:00:00' },
            ],
          },
          { id: 'd-9c1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a', name: 'Password reset', generation: 'dynamic', updated_at: '2023-12-05 18:20:44', versions: [] },
        ],
        count: 3,
        next_page_url: 'https://api.sendgrid.com/v3/templates?page_size=2&page_token=ZDEzYjhmOTRmYmNhZQ',
      },
    },
    {
      tool: 'sendgrid_list_templates',
      params: { generations: 'legacy,dynamic', page_token: 'last' },
      request: { method: 'GET', path: '/v3/templates', query: { generations: 'legacy,dynamic', page_size: '50', page_token: 'last' }, headers: auth },
      data: { templates: [], count: 3 },
    },
    {
      tool: 'sendgrid_search_contacts',
      params: { query: "email LIKE 'ada%'" },
      request: { method: 'POST', path: '/v3/marketing/contacts/search', headers: json, body: { query: "email LIKE 'ada%'" } },
      data: {
        contacts: [ada, { ...ada, id: '7e9f1a3b-5c7d-4e9f-8a1b-3c5d7e9f1a3b', email: 'ada.b@example.com', last_name: 'Byron', city: null, country: null, list_ids: [], custom_fields: {} }],
        contact_count: 2,
      },
    },
    {
      tool: 'sendgrid_add_contacts',
      params: {
        contacts: [{ email: 'grace@example.com', first_name: 'Grace', last_name: 'Hopper', custom_fields: { e1_T: 'silver' } }, { email: 'alan@example.com' }],
        list_ids: ['ca7a3796-e8a8-4029-9ccb-df8937940562'],
      },
      request: {
        method: 'PUT',
        path: '/v3/marketing/contacts',
        headers: json,
        body: {
          list_ids: ['ca7a3796-e8a8-4029-9ccb-df8937940562'],
          contacts: [{ email: 'grace@example.com', first_name: 'Grace', last_name: 'Hopper', custom_fields: { e1_T: 'silver' } }, { email: 'alan@example.com' }],
        },
      },
      data: { job_id: '2387e363-4104-4225-8960-4a5758492351' },
    },
    {
      tool: 'sendgrid_list_contact_lists',
      params: {},
      request: { method: 'GET', path: '/v3/marketing/lists', query: { page_size: '100' }, headers: auth },
      data: {
        lists: [
          { id: 'ca7a3796-e8a8-4029-9ccb-df8937940562', name: 'Newsletter', contact_count: 12840 },
          { id: 'f1e2d3c4-b5a6-4789-8abc-def012345678', name: 'Beta testers', contact_count: 212 },
        ],
      },
    },
  ],
});
