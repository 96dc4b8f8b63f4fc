/**
 * Stripe API (https://docs.stripe.com/api): the endpoints the stripe_* tools call. Requests carry the
 * secret key as a bearer token; write bodies are application/x-www-form-urlencoded with bracketed
 * nesting (`metadata[crm_id]=8812`, `address[city]=Berlin`), which this emulator unfolds the way Stripe does.
 */
import { defineEmulator, type RecordedRequest } from '../helpers/emulator.ts';

export const STRIPE_SECRET_KEY = 'sk_test_51Hc9xQK7pLmN3oRsTuVwXyZ0123456789abcdef';

/** `{"metadata[a]": "1", "address[city]": "X", "email": "e"}` → `{metadata: {a: "1"}, address: {city: "X"}, email: "e"}`. */
export function unfoldForm(form: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(form)) {
    const parts = key.split(/\[|\]\[|\]$/).filter((part) => part !== '');
    let node = out;
    parts.forEach((part, index) => {
      if (index === parts.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    });
  }
  return out;
}

const customer = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  object: 'customer',
  address: null,
  balance: 0,
  created: 1714640043,
  currency: 'usd',
  default_source: null,
  delinquent: false,
  description: null,
  discount: null,
  email: 'jane@customer.test',
  invoice_prefix: '8F1A2B3C',
  invoice_settings: { custom_fields: null, default_payment_method: 'pm_1PBc2dK7pLmN3oRs9aBcDeFg', footer: null, rendering_options: null },
  livemode: false,
  metadata: { crm_id: '8812' },
  name: 'Jane Doe',
  next_invoice_sequence: 3,
  phone: '+4930123456',
  preferred_locales: [],
  shipping: null,
  tax_exempt: 'none',
  test_clock: null,
  ...overrides,
});

const list = (url: string, data: unknown[], hasMore: boolean) => ({ object: 'list', url, has_more: hasMore, data });
const form = (request: RecordedRequest) => unfoldForm((request.body ?? {}) as Record<string, string>);

const charge = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  object: 'charge',
  amount: 4900,
  amount_captured: 4900,
  amount_refunded: 0,
  balance_transaction: 'txn_3PBc2dK7pLmN3oRs1xYzAbCd',
  billing_details: { address: null, email: 'jane@customer.test', name: 'Jane Doe', phone: null },
  captured: true,
  created: 1714641000,
  currency: 'usd',
  customer: 'cus_Q1w2E3r4T5y6U7',
  description: 'Pro plan, May 2024',
  failure_code: null,
  failure_message: null,
  livemode: false,
  metadata: {},
  outcome: { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' },
  paid: true,
  payment_intent: 'pi_3PBc2dK7pLmN3oRs0aBcDeFg',
  payment_method: 'pm_1PBc2dK7pLmN3oRs9aBcDeFg',
  payment_method_details: { card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2027 }, type: 'card' },
  receipt_url: 'https://pay.stripe.com/receipts/payment/CAcaFwoVYWNjdF8xSGM5eFE',
  refunded: false,
  status: 'succeeded',
  ...overrides,
});

const invoice = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  object: 'invoice',
  account_country: 'US',
  amount_due: 4900,
  amount_paid: 0,
  amount_remaining: 4900,
  attempt_count: 1,
  attempted: true,
  billing_reason: 'subscription_cycle',
  collection_method: 'charge_automatically',
  created: 1717232400,
  currency: 'usd',
  customer: 'cus_Q1w2E3r4T5y6U7',
  customer_email: 'jane@customer.test',
  customer_name: 'Jane Doe',
  due_date: null,
  hosted_invoice_url: 'https://invoice.stripe.com/i/acct_1Hc9xQ/test_YWNjdF8xSGM5eFE',
  invoice_pdf: 'https://pay.stripe.com/invoice/acct_1Hc9xQ/test_YWNjdF8xSGM5eFE/pdf',
  livemode: false,
  lines: { object: 'list', data: [], has_more: false, url: `/v1/invoices/${id}/lines` },
  metadata: {},
  number: '8F1A2B3C-0003',
  paid: false,
  period_end: 1717232400,
  period_start: 1714640400,
  status: 'open',
  subscription: 'sub_1PBc2dK7pLmN3oRsQwErTyUi',
  subtotal: 4900,
  total: 4900,
  ...overrides,
});

export const stripeEmulator = defineEmulator({
  name: 'stripe',
  authorized: (request) => request.headers['authorization'] === `Bearer ${STRIPE_SECRET_KEY}`,
  unauthorized: {
    status: 401,
    json: { error: { message: 'Invalid API Key provided: sk_test_********************cdef', type: 'invalid_request_error' } },
  },
  routes: [
    {
      method: 'GET',
      path: '/v1/customers',
      reply: (request) =>
        request.query['email'] === 'nobody@customer.test'
          ? { json: list('/v1/customers', [], false) }
          : { json: list('/v1/customers', [customer('cus_Q1w2E3r4T5y6U7'), customer('cus_P9o8I7u6Y5t4R3', { email: 'ops@acme.test', name: 'Acme Ops', phone: null, metadata: {}, balance: -2500, delinquent: true, created: 1714000000 })], true) },
    },
    {
      method: 'GET',
      path: '/v1/customers/search',
      reply: () => ({
        json: { object: 'search_result', url: '/v1/customers/search', has_more: true, next_page: 'WzE3MTQ2NDAwNDMuMCwiY3VzX1ExdzJFM3I0VDV5NlU3Il0=', data: [customer('cus_Q1w2E3r4T5y6U7')] },
      }),
    },
    {
      method: 'GET',
      path: '/v1/customers/:id',
      reply: (request) =>
        request.params['id'] === 'cus_Q1w2E3r4T5y6U7'
          ? { json: customer('cus_Q1w2E3r4T5y6U7', { address: { city: 'Berlin', country: 'DE', line1: 'Torstraße 1', line2: null, postal_code: '10119', state: null }, balance: -1500 }) }
          : request.params['id'] === 'cus_Deleted000001'
            ? { json: { id: 'cus_Deleted000001', object: 'customer', deleted: true } }
            : { status: 404, json: { error: { code: 'resource_missing', doc_url: 'https://stripe.com/docs/error-codes/resource-missing', message: `No such customer: '${request.params['id']}'`, param: 'id', type: 'invalid_request_error' } } },
    },
    {
      method: 'POST',
      path: '/v1/customers',
      reply: (request) => {
        const sent = form(request);
        return {
          json: customer('cus_R2nW8xYq3LmPz0', {
            email: sent['email'] ?? null,
            name: sent['name'] ?? null,
            phone: sent['phone'] ?? null,
            description: sent['description'] ?? null,
            address: sent['address'] === undefined ? null : { city: null, country: null, line1: null, line2: null, postal_code: null, state: null, ...(sent['address'] as object) },
            metadata: sent['metadata'] ?? {},
            invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
            created: 1717000000,
          }),
        };
      },
    },
    {
      method: 'POST',
      path: '/v1/customers/:id',
      reply: (request) => {
        const sent = form(request);
        const metadata: Record<string, string> = { crm_id: '8812', plan: 'starter' };
        for (const [key, value] of Object.entries((sent['metadata'] ?? {}) as Record<string, string>)) {
          if (value === '') delete metadata[key];
          else metadata[key] = value;
        }
        const { metadata: _m, ...fields } = sent;
        return { json: customer(request.params['id'] ?? '', { ...fields, metadata }) };
      },
    },
    {
      method: 'GET',
      path: '/v1/charges',
      reply: () => ({
        json: list(
          '/v1/charges',
          [
            charge('ch_3PBc2dK7pLmN3oRs1QwErTy0'),
            charge('ch_3PAb1cK7pLmN3oRs0ZxCvBn9', {
              amount: 1200,
              amount_captured: 0,
              paid: false,
              status: 'failed',
              failure_code: 'card_declined',
              failure_message: 'Your card was declined.',
              description: null,
              receipt_url: null,
              payment_intent: 'pi_3PAb1cK7pLmN3oRs0ZxCvBn9',
              created: 1714554600,
            }),
          ],
          false,
        ),
      }),
    },
    {
      method: 'GET',
      path: '/v1/invoices',
      reply: () => ({ json: list('/v1/invoices', [invoice('in_1PLm2nK7pLmN3oRsAsDfGhJk', { due_date: 1718096400 })], true) }),
    },
  ],
});
