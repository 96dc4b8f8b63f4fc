/**
 * Salesforce REST API v60.0 (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/):
 * the endpoints the salesforce_* tools call, answering like an org's instance URL.
 */
import { defineEmulator, type RecordedRequest } from '../helpers/emulator.ts';

export const SALESFORCE_TOKEN = '00DRO000000Hk3Z!AQEAQH.salesforce-emulator-token';

const V = '/services/data/v60.0';

const INVALID_FIELD = (request: RecordedRequest) => ({
  status: 400,
  json: [{ message: `No such column 'Nope' on sobject of type ${request.params['sobject'] ?? ''}`, errorCode: 'INVALID_FIELD' }],
});

export const salesforceEmulator = defineEmulator({
  name: 'salesforce',
  authorized: (request) => request.headers['authorization'] === `Bearer ${SALESFORCE_TOKEN}`,
  unauthorized: { status: 401, json: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] },
  routes: [
    {
      method: 'GET',
      path: `${V}/query`,
      reply: (request) => {
        const q = String(request.query['q'] ?? '');
        if (!/^SELECT\s/i.test(q)) return { status: 400, json: [{ message: `unexpected token: '${q.split(' ')[0] ?? ''}'`, errorCode: 'MALFORMED_QUERY' }] };
        return {
          json: {
            totalSize: 2402,
            done: false,
            nextRecordsUrl: `${V}/query/01gRO0000016PIAYA2-2000`,
            records: [
              { attributes: { type: 'Account', url: `${V}/sobjects/Account/001RO00000B2xJ4YAJ` }, Id: '001RO00000B2xJ4YAJ', Name: 'Acme Energy', Industry: 'Energy' },
              { attributes: { type: 'Account', url: `${V}/sobjects/Account/001RO00000B2xJ5YAJ` }, Id: '001RO00000B2xJ5YAJ', Name: 'Borealis Power', Industry: 'Energy' },
            ],
          },
        };
      },
    },
    {
      method: 'GET',
      path: `${V}/query/:locator`,
      reply: () => ({
        json: {
          totalSize: 2402,
          done: true,
          records: [{ attributes: { type: 'Account', url: `${V}/sobjects/Account/001RO00000B2zZZYAZ` }, Id: '001RO00000B2zZZYAZ', Name: 'Zephyr Wind', Industry: 'Energy' }],
        },
      }),
    },
    {
      method: 'GET',
      path: `${V}/search`,
      reply: () => ({
        json: {
          searchRecords: [
            { attributes: { type: 'Contact', url: `${V}/sobjects/Contact/003RO00000Fq1aBYAR` }, Id: '003RO00000Fq1aBYAR', Name: 'Ada Lovelace', Email: 'ada@example.com' },
            { attributes: { type: 'Lead', url: `${V}/sobjects/Lead/00QRO000005sN2kYAE` }, Id: '00QRO000005sN2kYAE', Name: 'Ada Byron', Email: 'ada@example.com' },
          ],
        },
      }),
    },
    {
      method: 'GET',
      path: `${V}/sobjects/:sobject/describe`,
      reply: (request) =>
        request.params['sobject'] !== 'Opportunity'
          ? { status: 404, json: [{ message: `The requested resource does not exist`, errorCode: 'NOT_FOUND' }] }
          : {
              json: {
                name: 'Opportunity',
                label: 'Opportunity',
                labelPlural: 'Opportunities',
                keyPrefix: '006',
                custom: false,
                createable: true,
                updateable: true,
                deletable: true,
                queryable: true,
                searchable: true,
                urls: { sobject: `${V}/sobjects/Opportunity`, describe: `${V}/sobjects/Opportunity/describe` },
                childRelationships: [],
                recordTypeInfos: [],
                fields: [
                  {
                    name: 'Id', label: 'Opportunity ID', type: 'id', length: 18, nillable: false, createable: false, updateable: false, defaultedOnCreate: true,
                    referenceTo: [], picklistValues: [], soapType: 'tns:ID', unique: false, externalId: false,
                  },
                  {
                    name: 'AccountId', label: 'Account ID', type: 'reference', length: 18, nillable: true, createable: true, updateable: true, defaultedOnCreate: false,
                    referenceTo: ['Account'], relationshipName: 'Account', picklistValues: [], soapType: 'tns:ID', unique: false, externalId: false,
                  },
                  {
                    name: 'StageName', label: 'Stage', type: 'picklist', length: 255, nillable: false, createable: true, updateable: true, defaultedOnCreate: false,
                    referenceTo: [],
                    picklistValues: [
                      { active: true, defaultValue: false, label: 'Prospecting', validFor: null, value: 'Prospecting' },
                      { active: true, defaultValue: false, label: 'Closed Won', validFor: null, value: 'Closed Won' },
                    ],
                    soapType: 'xsd:string', unique: false, externalId: false,
                  },
                ],
              },
            },
    },
    {
      method: 'POST',
      path: `${V}/sobjects/:sobject/`,
      reply: (request) => {
        const fields = request.body as Record<string, unknown>;
        if (request.params['sobject'] === 'Contact' && fields['LastName'] === undefined) {
          return { status: 400, json: [{ message: 'Required fields are missing: [LastName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] }] };
        }
        return { status: 201, json: { id: '003RO00000Fq9xQYAR', success: true, errors: [] } };
      },
    },
    {
      method: 'GET',
      path: `${V}/sobjects/:sobject/:id`,
      reply: (request) => {
        if (String(request.query['fields'] ?? '').includes('Nope')) return INVALID_FIELD(request);
        const all = {
          attributes: { type: 'Account', url: `${V}/sobjects/Account/${request.params['id'] ?? ''}` },
          Id: request.params['id'],
          Name: 'Acme Energy',
          Industry: 'Energy',
          AnnualRevenue: 125000000,
          BillingCity: 'Houston',
          OwnerId: '005RO000001vYhVYAU',
          CreatedDate: '2024-02-11T09:14:03.000+0000',
        };
        const wanted = request.query['fields'];
        if (typeof wanted !== 'string') return { json: all };
        const picked: Record<string, unknown> = { attributes: all.attributes };
        for (const field of wanted.split(',')) picked[field] = (all as Record<string, unknown>)[field];
        return { json: picked };
      },
    },
    { method: 'PATCH', path: `${V}/sobjects/:sobject/:id`, reply: () => ({ status: 204 }) },
  ],
});
