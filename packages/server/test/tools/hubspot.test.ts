/** Every hubspot_* tool against the HubSpot emulator, through POST /api/v1/execute_tool. */
import { HUBSPOT_TOKEN, hubspotEmulator } from '../emulators/hubspot.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${HUBSPOT_TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };
const created = '2024-03-01T10:00:00.000Z';
const updated = '2024-05-02T08:30:00.000Z';

toolSuite({
  connector: 'hubspot',
  emulator: hubspotEmulator,
  account: {
    oauth_token: {
      access_token: HUBSPOT_TOKEN,
      scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.companies.read', 'crm.objects.deals.write'],
    },
  },
  cases: [
    {
      tool: 'hubspot_list_contacts',
      params: { properties: ['email', 'firstname', 'company'] },
      request: { method: 'GET', path: '/crm/v3/objects/contacts', query: { limit: '20', properties: ['email', 'firstname', 'company'] }, headers: auth },
      data: {
        contacts: [
          { id: '51', properties: { email: 'ada@example.com', firstname: 'Ada', company: 'Analytical Engines' }, created_at: created, updated_at: updated },
          { id: '52', properties: { email: 'grace@example.com', firstname: 'Grace', company: 'Navy' }, created_at: created, updated_at: updated },
        ],
        next_after: '53',
      },
    },
    {
      tool: 'hubspot_list_contacts',
      params: { limit: 2, after: '51', archived: false },
      request: { method: 'GET', path: '/crm/v3/objects/contacts', query: { limit: '2', after: '51', archived: 'false' }, headers: auth },
      data: {
        contacts: [
          {
            id: '51',
            properties: { createdate: created, email: 'ada@example.com', firstname: 'Ada', hs_object_id: '51', lastmodifieddate: updated, lastname: 'Lovelace' },
            created_at: created,
            updated_at: updated,
          },
          {
            id: '52',
            properties: { createdate: created, email: 'grace@example.com', firstname: 'Grace', hs_object_id: '52', lastmodifieddate: updated, lastname: 'Hopper' },
            created_at: created,
            updated_at: updated,
          },
        ],
        next_after: '53',
      },
    },
    {
      tool: 'hubspot_search_contacts',
      params: {
        filters: [
          { propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@example.com' },
          { propertyName: 'lifecyclestage', operator: 'IN', values: ['lead', 'opportunity'] },
        ],
        properties: ['email', 'lifecyclestage'],
        sort_property: 'createdate',
        sort_direction: 'DESCENDING',
        limit: 1,
      },
      request: {
        method: 'POST',
        path: '/crm/v3/objects/contacts/search',
        headers: json,
        body: {
          filterGroups: [
            {
              filters: [
                { propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@example.com' },
                { propertyName: 'lifecyclestage', operator: 'IN', values: ['lead', 'opportunity'] },
              ],
            },
          ],
          sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
          properties: ['email', 'lifecyclestage'],
          limit: 1,
        },
      },
      data: { total: 21, contacts: [{ id: '51', properties: { email: 'ada@example.com', lifecyclestage: 'lead' }, created_at: created, updated_at: updated }], next_after: '20' },
    },
    {
      // A free-text query alone: the empty filter group and sort drop to [], the last page has no next_after.
      tool: 'hubspot_search_contacts',
      params: { query: 'lovelace', after: '20' },
      request: { method: 'POST', path: '/crm/v3/objects/contacts/search', headers: json, body: { query: 'lovelace', filterGroups: [], sorts: [], limit: 20, after: '20' } },
      data: {
        total: 21,
        contacts: [
          {
            id: '77',
            properties: { createdate: created, email: 'ada@example.com', firstname: 'Ada', hs_object_id: '77', lastmodifieddate: updated, lastname: 'Lovelace' },
            created_at: created,
            updated_at: updated,
          },
        ],
      },
    },
    {
      tool: 'hubspot_get_contact',
      params: { contact_id: 'ada@example.com', id_property: 'email', properties: ['email', 'phone', 'lifecyclestage'] },
      request: {
        method: 'GET',
        path: '/crm/v3/objects/contacts/ada%40example.com',
        query: { idProperty: 'email', properties: ['email', 'phone', 'lifecyclestage'] },
        headers: auth,
      },
      data: { id: '51', properties: { email: 'ada@example.com', phone: '+44 20 7946 0018', lifecyclestage: 'lead' }, created_at: created, updated_at: updated, archived: false },
    },
    {
      tool: 'hubspot_create_contact',
      params: { properties: { email: 'grace@example.com', firstname: 'Grace', lastname: 'Hopper', jobtitle: 'Rear Admiral' } },
      request: {
        method: 'POST',
        path: '/crm/v3/objects/contacts',
        headers: json,
        body: { properties: { email: 'grace@example.com', firstname: 'Grace', lastname: 'Hopper', jobtitle: 'Rear Admiral' } },
      },
      data: {
        id: '601',
        properties: {
          email: 'grace@example.com',
          firstname: 'Grace',
          lastname: 'Hopper',
          jobtitle: 'Rear Admiral',
          createdate: '2024-06-01T12:00:00.000Z',
          hs_object_id: '601',
          lastmodifieddate: '2024-06-01T12:00:00.000Z',
        },
        created_at: '2024-06-01T12:00:00.000Z',
      },
    },
    {
      tool: 'hubspot_update_contact',
      params: { contact_id: '51', properties: { lifecyclestage: 'customer', phone: '' } },
      request: { method: 'PATCH', path: '/crm/v3/objects/contacts/51', headers: json, body: { properties: { lifecyclestage: 'customer', phone: '' } } },
      data: { id: '51', properties: { lifecyclestage: 'customer', phone: '', hs_object_id: '51', lastmodifieddate: '2024-06-02T09:00:00.000Z' }, updated_at: '2024-06-02T09:00:00.000Z' },
    },
    {
      tool: 'hubspot_list_companies',
      params: { properties: ['name', 'domain', 'industry'], limit: 50 },
      request: { method: 'GET', path: '/crm/v3/objects/companies', query: { limit: '50', properties: ['name', 'domain', 'industry'] }, headers: auth },
      data: {
        companies: [
          { id: '9001', properties: { name: 'Analytical Engines', domain: 'engines.example', industry: 'COMPUTER_SOFTWARE' }, created_at: '2023-11-20T15:00:00.000Z', updated_at: '2024-04-01T00:00:00.000Z' },
        ],
      },
    },
    {
      tool: 'hubspot_create_deal',
      params: { properties: { dealname: 'Acme renewal', amount: '52000', dealstage: 'contractsent', pipeline: 'default', closedate: '2025-06-30T00:00:00Z' } },
      request: {
        method: 'POST',
        path: '/crm/v3/objects/deals',
        headers: json,
        body: { properties: { dealname: 'Acme renewal', amount: '52000', dealstage: 'contractsent', pipeline: 'default', closedate: '2025-06-30T00:00:00Z' } },
      },
      data: {
        id: '15001',
        properties: { dealname: 'Acme renewal', amount: '52000', dealstage: 'contractsent', pipeline: 'default', closedate: '2025-06-30T00:00:00Z', hs_object_id: '15001', createdate: '2024-06-03T10:00:00.000Z' },
        created_at: '2024-06-03T10:00:00.000Z',
      },
    },
  ],
});
