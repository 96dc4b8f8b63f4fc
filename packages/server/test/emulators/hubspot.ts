/** HubSpot CRM API v3 (https://developers.hubspot.com/docs/api/crm/contacts): the endpoints the hubspot_* tools call. */
import { defineEmulator, type RecordedRequest } from '../helpers/emulator.ts';

export const HUBSPOT_TOKEN = 'CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4.hubspot-emulator';

const CORRELATION = 'aeb5f871-7f07-4993-9211-075dc63e7cbf';

function propertiesOf(request: RecordedRequest, all: Record<string, string | null>, defaults: readonly string[]): Record<string, string | null> {
  const asked = request.query['properties'];
  const names = asked === undefined ? defaults : Array.isArray(asked) ? asked : asked.split(',');
  return Object.fromEntries(names.map((name) => [name, all[name] ?? null]));
}

const ADA: Record<string, string | null> = {
  email: 'ada@example.com',
  firstname: 'Ada',
  lastname: 'Lovelace',
  company: 'Analytical Engines',
  phone: '+44 20 7946 0018',
  lifecyclestage: 'lead',
  createdate: '2024-03-01T10:00:00.000Z',
  lastmodifieddate: '2024-05-02T08:30:00.000Z',
  hs_object_id: '51',
};
const CONTACT_DEFAULTS = ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'];

const contact = (request: RecordedRequest, id: string, all: Record<string, string | null>) => ({
  id,
  properties: propertiesOf(request, all, CONTACT_DEFAULTS),
  createdAt: '2024-03-01T10:00:00.000Z',
  updatedAt: '2024-05-02T08:30:00.000Z',
  archived: false,
});

const notFound = { status: 404, json: { status: 'error', message: 'Object not found.  objectId are usually numeric.', correlationId: CORRELATION, context: { id: ['nobody'] }, category: 'OBJECT_NOT_FOUND' } };

export const hubspotEmulator = defineEmulator({
  name: 'hubspot',
  authorized: (request) => request.headers['authorization'] === `Bearer ${HUBSPOT_TOKEN}`,
  unauthorized: {
    status: 401,
    json: {
      status: 'error',
      message: 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      correlationId: CORRELATION,
      category: 'INVALID_AUTHENTICATION',
    },
  },
  routes: [
    {
      method: 'GET',
      path: '/crm/v3/objects/contacts',
      reply: (request) => ({
        json: {
          results: [
            contact(request, '51', ADA),
            contact(request, '52', { ...ADA, email: 'grace@example.com', firstname: 'Grace', lastname: 'Hopper', company: 'Navy', hs_object_id: '52' }),
          ],
          paging: { next: { after: '53', link: 'https://api.hubapi.com/crm/v3/objects/contacts?after=53' } },
        },
      }),
    },
    {
      method: 'POST',
      path: '/crm/v3/objects/contacts/search',
      reply: (request) => {
        const body = request.body as { after?: string; properties?: string[] };
        const props = (all: Record<string, string | null>) => Object.fromEntries((body.properties ?? CONTACT_DEFAULTS).map((name) => [name, all[name] ?? null]));
        if (body.after === '20') return { json: { total: 21, results: [{ id: '77', properties: props({ ...ADA, hs_object_id: '77' }), createdAt: '2024-03-01T10:00:00.000Z', updatedAt: '2024-05-02T08:30:00.000Z', archived: false }] } };
        return {
          json: {
            total: 21,
            results: [{ id: '51', properties: props(ADA), createdAt: '2024-03-01T10:00:00.000Z', updatedAt: '2024-05-02T08:30:00.000Z', archived: false }],
            paging: { next: { after: '20' } },
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/crm/v3/objects/contacts/:id',
      reply: (request) => {
        const id = request.params['id'] ?? '';
        const known = request.query['idProperty'] === 'email' ? id === 'ada@example.com' : id === '51';
        return known ? { json: contact(request, '51', ADA) } : notFound;
      },
    },
    {
      method: 'POST',
      path: '/crm/v3/objects/contacts',
      reply: (request) => {
        const properties = (request.body as { properties: Record<string, string> }).properties;
        if (properties['email'] === 'ada@example.com') {
          return { status: 409, json: { status: 'error', message: 'Contact already exists. Existing ID: 51', correlationId: CORRELATION, category: 'CONFLICT' } };
        }
        return {
          status: 201,
          json: {
            id: '601',
            properties: { ...properties, createdate: '2024-06-01T12:00:00.000Z', hs_object_id: '601', lastmodifieddate: '2024-06-01T12:00:00.000Z' },
            createdAt: '2024-06-01T12:00:00.000Z',
            updatedAt: '2024-06-01T12:00:00.000Z',
            archived: false,
          },
        };
      },
    },
    {
      method: 'PATCH',
      path: '/crm/v3/objects/contacts/:id',
      reply: (request) => {
        const id = request.params['id'] ?? '';
        const known = request.query['idProperty'] === 'email' ? id === 'ada@example.com' : id === '51';
        if (!known) return notFound;
        const properties = (request.body as { properties: Record<string, string> }).properties;
        return { json: { id: '51', properties: { ...properties, hs_object_id: '51', lastmodifieddate: '2024-06-02T09:00:00.000Z' }, createdAt: '2024-03-01T10:00:00.000Z', updatedAt: '2024-06-02T09:00:00.000Z', archived: false } };
      },
    },
    {
      method: 'GET',
      path: '/crm/v3/objects/companies',
      reply: (request) => ({
        json: {
          results: [
            {
              id: '9001',
              properties: propertiesOf(request, { name: 'Analytical Engines', domain: 'engines.example', industry: 'COMPUTER_SOFTWARE', createdate: '2023-11-20T15:00:00.000Z', hs_lastmodifieddate: '2024-04-01T00:00:00.000Z', hs_object_id: '9001' }, ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name']),
              createdAt: '2023-11-20T15:00:00.000Z',
              updatedAt: '2024-04-01T00:00:00.000Z',
              archived: false,
            },
          ],
        },
      }),
    },
    {
      method: 'POST',
      path: '/crm/v3/objects/deals',
      reply: (request) => ({
        status: 201,
        json: {
          id: '15001',
          properties: { ...(request.body as { properties: Record<string, string> }).properties, hs_object_id: '15001', createdate: '2024-06-03T10:00:00.000Z' },
          createdAt: '2024-06-03T10:00:00.000Z',
          updatedAt: '2024-06-03T10:00:00.000Z',
          archived: false,
        },
      }),
    },
  ],
});
