/** Every stripe_* tool against the Stripe emulator, through POST /api/v1/execute_tool. */
import assert from 'node:assert/strict';
import { STRIPE_SECRET_KEY, stripeEmulator } from '../emulators/stripe.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${STRIPE_SECRET_KEY}` };
const formHeaders = { ...auth, 'content-type': 'application/x-www-form-urlencoded' };

const jane = {
  id: 'cus_Q1w2E3r4T5y6U7',
  email: 'jane@customer.test',
  name: 'Jane Doe',
  phone: '+4930123456',
  description: null,
  metadata: { crm_id: '8812' },
  created: 1714640043,
};

toolSuite({
  connector: 'stripe',
  emulator: stripeEmulator,
  type: 'BEARER_TOKEN',
  account: { static_auth: { secret_key: STRIPE_SECRET_KEY } },
  cases: [
    {
      tool: 'stripe_list_customers',
      params: {},
      request: { method: 'GET', path: '/v1/customers', query: { limit: '10' }, headers: auth },
      data: {
        customers: [
          { ...jane, balance: 0, currency: 'usd', delinquent: false },
          { id: 'cus_P9o8I7u6Y5t4R3', email: 'ops@acme.test', name: 'Acme Ops', phone: null, description: null, balance: -2500, currency: 'usd', delinquent: true, metadata: {}, created: 1714000000 },
        ],
        has_more: true,
      },
    },
    {
      tool: 'stripe_list_customers',
      params: { email: 'nobody@customer.test', created_after: 1704067200, limit: 3, starting_after: 'cus_P9o8I7u6Y5t4R3' },
      request: { method: 'GET', path: '/v1/customers', query: { email: 'nobody@customer.test', 'created[gte]': '1704067200', limit: '3', starting_after: 'cus_P9o8I7u6Y5t4R3' }, headers: auth },
      data: { customers: [], has_more: false },
    },
    {
      tool: 'stripe_search_customers',
      params: { query: "email~'customer.test' AND metadata['crm_id']:'8812'", page: 'WzE3MTQ2MzAwMDAuMF0=' },
      request: { method: 'GET', path: '/v1/customers/search', query: { query: "email~'customer.test' AND metadata['crm_id']:'8812'", limit: '10', page: 'WzE3MTQ2MzAwMDAuMF0=' }, headers: auth },
      data: { customers: [jane], has_more: true, next_page: 'WzE3MTQ2NDAwNDMuMCwiY3VzX1ExdzJFM3I0VDV5NlU3Il0=' },
    },
    {
      tool: 'stripe_get_customer',
      params: { customer_id: 'cus_Q1w2E3r4T5y6U7' },
      request: { method: 'GET', path: '/v1/customers/cus_Q1w2E3r4T5y6U7', headers: auth },
      data: {
        id: 'cus_Q1w2E3r4T5y6U7',
        email: 'jane@customer.test',
        name: 'Jane Doe',
        phone: '+4930123456',
        description: null,
        address: { city: 'Berlin', country: 'DE', line1: 'Torstraße 1', line2: null, postal_code: '10119', state: null },
        balance: -1500,
        currency: 'usd',
        delinquent: false,
        default_payment_method: 'pm_1PBc2dK7pLmN3oRs9aBcDeFg',
        metadata: { crm_id: '8812' },
        created: 1714640043,
        livemode: false,
      },
    },
    {
      tool: 'stripe_get_customer',
      params: { customer_id: 'cus_Deleted000001' },
      request: { method: 'GET', path: '/v1/customers/cus_Deleted000001', headers: auth },
      data: { id: 'cus_Deleted000001', deleted: true },
    },
    {
      tool: 'stripe_create_customer',
      params: {
        email: 'sam@customer.test',
        name: 'Sam Lee',
        description: 'Signed up via the agent',
        address: { line1: 'Torstraße 1', city: 'Berlin', postal_code: '10119', country: 'DE' },
        metadata: { crm_id: '9931', plan: 'pro' },
      },
      request: {
        method: 'POST',
        path: '/v1/customers',
        headers: formHeaders,
        // The parsed form: nested objects arrive as bracketed keys, the way Stripe reads them.
        body: {
          email: 'sam@customer.test',
          name: 'Sam Lee',
          description: 'Signed up via the agent',
          'address[line1]': 'Torstraße 1',
          'address[city]': 'Berlin',
          'address[postal_code]': '10119',
          'address[country]': 'DE',
          'metadata[crm_id]': '9931',
          'metadata[plan]': 'pro',
        },
      },
      check: (request) => {
        assert.match(request.rawBody, /(^|&)metadata%5Bcrm_id%5D=9931(&|$)/);
        assert.match(request.rawBody, /(^|&)address%5Bline1%5D=Torstra%C3%9Fe\+1(&|$)/);
        assert.doesNotMatch(request.rawBody, /phone/);
      },
      data: {
        id: 'cus_R2nW8xYq3LmPz0',
        email: 'sam@customer.test',
        name: 'Sam Lee',
        phone: null,
        description: 'Signed up via the agent',
        address: { city: 'Berlin', country: 'DE', line1: 'Torstraße 1', line2: null, postal_code: '10119', state: null },
        metadata: { crm_id: '9931', plan: 'pro' },
        created: 1717000000,
        livemode: false,
      },
    },
    {
      tool: 'stripe_create_customer',
      params: { email: 'minimal@customer.test' },
      request: { method: 'POST', path: '/v1/customers', headers: formHeaders, body: { email: 'minimal@customer.test' } },
      data: { id: 'cus_R2nW8xYq3LmPz0', email: 'minimal@customer.test', name: null, phone: null, description: null, address: null, metadata: {}, created: 1717000000, livemode: false },
    },
    {
      tool: 'stripe_update_customer',
      params: { customer_id: 'cus_Q1w2E3r4T5y6U7', phone: '+4930999999', metadata: { plan: 'pro', crm_id: '' } },
      request: { method: 'POST', path: '/v1/customers/cus_Q1w2E3r4T5y6U7', headers: formHeaders, body: { phone: '+4930999999', 'metadata[plan]': 'pro', 'metadata[crm_id]': '' } },
      data: { ...jane, phone: '+4930999999', address: null, metadata: { plan: 'pro' } },
    },
    {
      tool: 'stripe_list_charges',
      params: { customer: 'cus_Q1w2E3r4T5y6U7', created_after: 1714500000 },
      request: { method: 'GET', path: '/v1/charges', query: { customer: 'cus_Q1w2E3r4T5y6U7', 'created[gte]': '1714500000', limit: '10' }, headers: auth },
      data: {
        charges: [
          {
            id: 'ch_3PBc2dK7pLmN3oRs1QwErTy0',
            amount: 4900,
            amount_refunded: 0,
            currency: 'usd',
            status: 'succeeded',
            paid: true,
            refunded: false,
            failure_message: null,
            description: 'Pro plan, May 2024',
            customer: 'cus_Q1w2E3r4T5y6U7',
            payment_intent: 'pi_3PBc2dK7pLmN3oRs0aBcDeFg',
            receipt_url: 'https://pay.stripe.com/receipts/payment/CAcaFwoVYWNjdF8xSGM5eFE',
            created: 1714641000,
          },
          {
            id: 'ch_3PAb1cK7pLmN3oRs0ZxCvBn9',
            amount: 1200,
            amount_refunded: 0,
            currency: 'usd',
            status: 'failed',
            paid: false,
            refunded: false,
            failure_message: 'Your card was declined.',
            description: null,
            customer: 'cus_Q1w2E3r4T5y6U7',
            payment_intent: 'pi_3PAb1cK7pLmN3oRs0ZxCvBn9',
            receipt_url: null,
            created: 1714554600,
          },
        ],
        has_more: false,
      },
    },
    {
      tool: 'stripe_list_invoices',
      params: { customer: 'cus_Q1w2E3r4T5y6U7', status: 'open', limit: 1 },
      request: { method: 'GET', path: '/v1/invoices', query: { customer: 'cus_Q1w2E3r4T5y6U7', status: 'open', limit: '1' }, headers: auth },
      data: {
        invoices: [
          {
            id: 'in_1PLm2nK7pLmN3oRsAsDfGhJk',
            number: '8F1A2B3C-0003',
            customer: 'cus_Q1w2E3r4T5y6U7',
            customer_email: 'jane@customer.test',
            status: 'open',
            amount_due: 4900,
            amount_paid: 0,
            amount_remaining: 4900,
            currency: 'usd',
            due_date: 1718096400,
            period_start: 1714640400,
            period_end: 1717232400,
            subscription: 'sub_1PBc2dK7pLmN3oRsQwErTyUi',
            hosted_invoice_url: 'https://invoice.stripe.com/i/acct_1Hc9xQ/test_YWNjdF8xSGM5eFE',
            invoice_pdf: 'https://pay.stripe.com/invoice/acct_1Hc9xQ/test_YWNjdF8xSGM5eFE/pdf',
            created: 1717232400,
          },
        ],
        has_more: true,
      },
    },
  ],
});
