/**
 * Twilio SendGrid v3 API (https://www.twilio.com/docs/sendgrid/api-reference): the endpoints the
 * sendgrid_* tools call. The API key goes as a bearer token; anything else gets SendGrid's 401.
 * Mail Send answers 202 with an empty body and the message id in X-Message-Id.
 */
import { defineEmulator } from '../helpers/emulator.ts';

export const SENDGRID_API_KEY = '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';

const contact = (id: string, email: string, overrides: Record<string, unknown> = {}) => ({
  id,
  email,
  phone_number_id: null,
  external_id: null,
  anonymous_id: null,
  alternate_emails: null,
  first_name: 'Ada',
  last_name: 'Lovelace',
  address_line_1: null,
  address_line_2: null,
  city: 'London',
  state_province_region: null,
  postal_code: 'NW1',
  country: 'GB',
  phone_number: null,
  whatsapp: null,
  line: null,
  facebook: null,
  unique_name: null,
  list_ids: ['ca7a3796-e8a8-4029-9ccb-df8937940562'],
  segment_ids: [],
  custom_fields: { e1_T: 'gold' },
  created_at: '2024-03-01T08:00:00Z',
  updated_at: '2024-05-01T12:00:00Z',
  _metadata: { self: `https://api.sendgrid.com/v3/marketing/contacts/${id}` },
  ...overrides,
});

export const sendgridEmulator = defineEmulator({
  name: 'sendgrid',
  authorized: (request) => request.headers['authorization'] === `Bearer ${SENDGRID_API_KEY}`,
  unauthorized: { status: 401, json: { errors: [{ field: null, message: 'The provided authorization grant is invalid, expired, or revoked' }] } },
  routes: [
    { method: 'POST', path: '/v3/mail/send', reply: () => ({ status: 202, headers: { 'x-message-id': 'W8sE3vLpR2ayGCnGmXe2Zw' } }) },
    {
      method: 'GET',
      path: '/v3/templates',
      reply: (request) =>
        request.query['page_token'] === 'last'
          ? { json: { result: [], _metadata: { self: 'https://api.sendgrid.com/v3/templates?page_token=last', count: 3 } } }
          : {
              json: {
                result: [
                  {
                    id: 'd-13b8f94fbcae4ec6b75270d6cb59f932',
                    name: 'Order confirmation',
                    generation: 'dynamic',
                    updated_at: '2024-04-12 09:31:07',
                    versions: [
                      { id: '8aefe0ee-f12b-4575-b5b7-c97e21cb36f3', template_id: 'd-13b8f94fbcae4ec6b75270d6cb59f932', active: 1, name: 'v2', subject: 'Your order {{order_id}} is confirmed', updated_at: '2024-04-12 09:31:07', generate_plain_content: true, editor: 'design', thumbnail_url: '//us-east-2-production-thumbnail-bucket.s3.amazonaws.com/8aefe0ee.png' },
                      { id: '5f4c6a2b-1d3e-4f5a-8b7c-9d0e1f2a3b4c', template_id: 'd-13b8f94fbcae4ec6b75270d6cb59f932', active: 0, name: 'v1', subject: 'Order confirmed', updated_at: '2024-02-01 15:00:00', generate_plain_content: true, editor: 'code', thumbnail_url: '' },
                    ],
                  },
                  { id: 'd-9c1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a', name: 'Password reset', generation: 'dynamic', updated_at: '2023-12-05 18:20:44', versions: [] },
                ],
                _metadata: { self: 'https://api.sendgrid.com/v3/templates?page_size=2', next: 'https://api.sendgrid.com/v3/templates?page_size=2&page_token=ZDEzYjhmOTRmYmNhZQ', count: 3 },
              },
            },
    },
    {
      method: 'POST',
      path: '/v3/marketing/contacts/search',
      reply: (request) =>
        (request.body as { query?: string }).query === "email LIKE 'nobody%'"
          ? { json: { result: [], contact_count: 0, _metadata: { self: 'https://api.sendgrid.com/v3/marketing/contacts/search' } } }
          : {
              json: {
                result: [contact('0b5a3c8e-2f4d-4a7b-9c1e-6d8f0a2b4c6e', 'ada@example.com'), contact('7e9f1a3b-5c7d-4e9f-8a1b-3c5d7e9f1a3b', 'ada.b@example.com', { first_name: 'Ada', last_name: 'Byron', city: null, country: null, postal_code: null, list_ids: [], custom_fields: {} })],
                contact_count: 2,
                _metadata: { self: 'https://api.sendgrid.com/v3/marketing/contacts/search' },
              },
            },
    },
    { method: 'PUT', path: '/v3/marketing/contacts', reply: () => ({ status: 202, json: { job_id: '2387e363-4104-4225-8960-4a5758492351' } }) },
    {
      method: 'GET',
      path: '/v3/marketing/lists',
      reply: () => ({
        json: {
          result: [
            { id: 'ca7a3796-e8a8-4029-9ccb-df8937940562', name: 'Newsletter', contact_count: 12840, _metadata: { self: 'https://api.sendgrid.com/v3/marketing/lists/ca7a3796-e8a8-4029-9ccb-df8937940562' } },
            { id: 'f1e2d3c4-b5a6-4789-8abc-def012345678', name: 'Beta testers', contact_count: 212, _metadata: { self: 'https://api.sendgrid.com/v3/marketing/lists/f1e2d3c4-b5a6-4789-8abc-def012345678' } },
          ],
          _metadata: { self: 'https://api.sendgrid.com/v3/marketing/lists?page_size=100' },
        },
      }),
    },
  ],
});
