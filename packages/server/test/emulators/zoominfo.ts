/**
 * ZoomInfo GTM API v1 (https://docs.zoominfo.com, base https://api.zoominfo.com/gtm): JSON:API
 * envelopes (`{data: {type, attributes}}` in, `{data: [...], meta}` out), the endpoints the
 * zoominfo_* tools call.
 */
import { defineEmulator, type EmulatorReply } from '../helpers/emulator.ts';

export const ZOOMINFO_TOKEN = 'eyJraWQiOiJ6aS1lbXVsYXRvciJ9.zoominfo-emulator-token';

const JSON_API = { 'content-type': 'application/vnd.api+json' };

function jsonApi(json: unknown, status = 200): EmulatorReply {
  return { status, json, headers: JSON_API };
}

function badType(expected: string, body: unknown): EmulatorReply | undefined {
  const type = (body as { data?: { type?: string } } | undefined)?.data?.type;
  return type === expected ? undefined : jsonApi({ errors: [{ status: '400', title: 'Bad Request', detail: `data.type must be ${expected}` }] }, 400);
}

function page(query: Record<string, string | string[]>, totalResults: number) {
  const size = Number(query['page[size]'] ?? 25);
  const number = Number(query['page[number]'] ?? 1);
  return {
    links: { first: `/data/v1/search?page[number]=1&page[size]=${size}`, last: `/data/v1/search?page[number]=${Math.ceil(totalResults / size)}&page[size]=${size}` },
    meta: { page: { number, total: Math.ceil(totalResults / size) }, totalResults },
  };
}

export const zoominfoEmulator = defineEmulator({
  name: 'zoominfo',
  authorized: (request) => request.headers['authorization'] === `Bearer ${ZOOMINFO_TOKEN}`,
  unauthorized: { status: 401, headers: JSON_API, json: { errors: [{ status: '401', title: 'Unauthorized', detail: 'The access token is invalid or has expired.' }] } },
  routes: [
    {
      method: 'POST',
      path: '/data/v1/contacts/search',
      reply: (request) =>
        badType('ContactSearch', request.body) ??
        jsonApi({
          data: [
            {
              type: 'Contact',
              id: '4191419698',
              attributes: {
                company: { id: 344589814, name: 'ZoomInfo' },
                contactAccuracyScore: 95,
                directPhoneDoNotCall: false,
                firstName: 'Filip',
                hasCompanyCountry: true,
                hasCompanyPhone: true,
                hasDirectPhone: false,
                hasEmail: true,
                hasMobilePhone: true,
                hasSupplementalEmail: true,
                jobTitle: 'Chief Technology Officer',
                lastName: 'Popovic',
                lastUpdatedDate: '2025-04-04T18:13:00Z',
                mobilePhoneDoNotCall: false,
                validDate: '2024-11-14T22:29:00Z',
              },
            },
            {
              type: 'Contact',
              id: '1260398587',
              attributes: {
                company: { id: 344589814, name: 'ZoomInfo' },
                contactAccuracyScore: 94,
                firstName: 'Henry',
                middleName: 'L.',
                hasDirectPhone: true,
                hasEmail: true,
                hasMobilePhone: false,
                jobTitle: 'Chief Executive Officer & Board Member',
                lastName: 'Schuck',
                lastUpdatedDate: '2024-10-21T14:05:00Z',
              },
            },
          ],
          ...page(request.query, 3016),
        }),
    },
    {
      method: 'POST',
      path: '/data/v1/companies/search',
      reply: (request) =>
        badType('CompanySearch', request.body) ??
        jsonApi({
          data: [
            {
              type: 'Company',
              id: '344589814',
              attributes: { name: 'ZoomInfo', website: 'www.zoominfo.com', employeeCount: 3516, revenue: 1240000, city: 'Vancouver', state: 'Washington', country: 'United States' },
            },
            { type: 'Company', id: '104333869', attributes: { name: 'ZoomInfo Technologies Israel', website: 'www.zoominfo.com', country: 'Israel' } },
          ],
          ...page(request.query, 2),
        }),
    },
    {
      method: 'POST',
      path: '/data/v1/contacts/enrich',
      reply: (request) => {
        const wrong = badType('ContactEnrich', request.body);
        if (wrong !== undefined) return wrong;
        const { matchPersonInput, outputFields } = (request.body as { data: { attributes: { matchPersonInput: Record<string, string>[]; outputFields: string[] } } }).data.attributes;
        const known: Record<string, unknown> = {
          id: 4191419698,
          firstName: 'Filip',
          lastName: 'Popovic',
          email: 'filip.popovic@zoominfo.com',
          phone: '+1 360-555-0142',
          mobilePhone: '+1 360-555-0199',
          jobTitle: 'Chief Technology Officer',
          managementLevel: ['C-Level'],
          companyId: 344589814,
          companyName: 'ZoomInfo',
          city: 'Vancouver',
          state: 'Washington',
          country: 'United States',
          externalUrls: [{ type: 'linkedin.com', url: 'https://www.linkedin.com/in/filip-popovic' }],
          contactAccuracyScore: 95,
        };
        return jsonApi({
          data: matchPersonInput.map((input) =>
            input['personId'] === '4191419698' || input['emailAddress'] === 'filip.popovic@zoominfo.com'
              ? { type: 'Contact', id: '4191419698', attributes: Object.fromEntries(outputFields.map((field) => [field, known[field] ?? null])), meta: { matchStatus: 'FULL_MATCH' } }
              : { type: 'Contact', attributes: {}, meta: { matchStatus: 'NO_MATCH' } },
          ),
        });
      },
    },
    {
      method: 'POST',
      path: '/data/v1/companies/enrich',
      reply: (request) => {
        const wrong = badType('CompanyEnrich', request.body);
        if (wrong !== undefined) return wrong;
        const { outputFields } = (request.body as { data: { attributes: { outputFields: string[] } } }).data.attributes;
        const known: Record<string, unknown> = {
          id: 344589814,
          name: 'ZoomInfo',
          website: 'www.zoominfo.com',
          phone: '(360) 733-1000',
          street: '805 Broadway Street, Suite 900',
          city: 'Vancouver',
          state: 'Washington',
          country: 'United States',
          employeeCount: 3516,
          revenue: 1240000,
          industries: [{ name: 'Software', primary: true }],
          ticker: 'NASDAQ: GTM',
          parentName: null,
        };
        return jsonApi({ data: [{ type: 'Company', id: '344589814', attributes: Object.fromEntries(outputFields.map((field) => [field, known[field] ?? null])), meta: { matchStatus: 'FULL_MATCH' } }] });
      },
    },
  ],
});
