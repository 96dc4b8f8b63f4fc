/** Every airtable_* tool against the Airtable emulator, through POST /api/v1/execute_tool. */
import { AIRTABLE_TOKEN, BASE_ID, airtableEmulator } from '../emulators/airtable.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${AIRTABLE_TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };
const table = `/v0/${BASE_ID}/Sales%20Pipeline`;
const owner = { id: 'usrVMNxslc6jG0Xed', email: 'ada@example.com', name: 'Ada Lovelace' };

toolSuite({
  connector: 'airtable',
  emulator: airtableEmulator,
  account: { oauth_token: { access_token: AIRTABLE_TOKEN, scopes: ['data.records:read', 'data.records:write', 'schema.bases:read', 'user.email:read'] } },
  cases: [
    {
      tool: 'airtable_list_bases',
      params: {},
      request: { method: 'GET', path: '/v0/meta/bases', headers: auth },
      data: {
        bases: [
          { id: BASE_ID, name: 'Sales CRM', permission_level: 'create' },
          { id: 'appAzD7mE0mWxdKjp', name: 'Content calendar', permission_level: 'edit' },
        ],
        offset: 'itrUaBJVFxH9Y5wNL/appSW9R5uCNmRmfl6',
      },
    },
    {
      tool: 'airtable_list_bases',
      params: { offset: 'itrUaBJVFxH9Y5wNL/appSW9R5uCNmRmfl6' },
      request: { method: 'GET', path: '/v0/meta/bases', query: { offset: 'itrUaBJVFxH9Y5wNL/appSW9R5uCNmRmfl6' }, headers: auth },
      data: { bases: [{ id: 'appSW9R5uCNmRmfl6', name: 'Hiring', permission_level: 'read' }] },
    },
    {
      tool: 'airtable_get_base_schema',
      params: { base_id: BASE_ID },
      request: { method: 'GET', path: `/v0/meta/bases/${BASE_ID}/tables`, headers: auth },
      data: {
        tables: [
          {
            id: 'tblx0lQwT3RBAcXGx',
            name: 'Sales Pipeline',
            description: 'Open and closed deals',
            primary_field_id: 'fldJ4vTkmSdi8WLqN',
            fields: [
              { id: 'fldJ4vTkmSdi8WLqN', name: 'Name', type: 'singleLineText' },
              {
                id: 'fldqCjrs1UhXgHUIc',
                name: 'Status',
                type: 'singleSelect',
                description: 'Where the deal stands',
                options: { choices: [{ id: 'selXfrsp0pvQhsq5Q', name: 'Open', color: 'blueLight2' }, { id: 'selO1dTRdJk6gDmpn', name: 'Won', color: 'greenLight2' }] },
              },
              { id: 'fldlGdXI6G8Mv3hHg', name: 'Amount', type: 'currency', options: { precision: 2, symbol: '$' } },
              { id: 'fldGsyOt5NLiwj8Cv', name: 'Contacts', type: 'multipleRecordLinks', options: { linkedTableId: 'tblQpYjI1b3bVS5Jq', isReversed: false, prefersSingleRecordLink: false, inverseLinkFieldId: 'fldr8jLUJZy6Xeojn' } },
            ],
            views: [
              { id: 'viwQpsuEDqHFqegkp', name: 'Grid view', type: 'grid' },
              { id: 'viwt8pVwo1G6QMXAk', name: 'By stage', type: 'kanban' },
            ],
          },
        ],
      },
    },
    {
      tool: 'airtable_list_records',
      params: {
        base_id: BASE_ID,
        table: 'Sales Pipeline',
        filter_by_formula: "AND({Status} = 'Open', {Amount} > 1000)",
        fields: ['Name', 'Status', 'Amount', 'Owner'],
        sort_field: 'Amount',
        sort_direction: 'desc',
        max_records: 50,
        view: 'Grid view',
      },
      request: {
        method: 'GET',
        path: table,
        query: {
          filterByFormula: "AND({Status} = 'Open', {Amount} > 1000)",
          view: 'Grid view',
          'fields[]': ['Name', 'Status', 'Amount', 'Owner'],
          'sort[0][field]': 'Amount',
          'sort[0][direction]': 'desc',
          maxRecords: '50',
          pageSize: '25',
        },
        headers: auth,
      },
      data: {
        records: [{ id: 'rec560UJdUtocSouk', created_time: '2024-01-15T09:12:44.000Z', fields: { Name: 'Acme renewal', Status: 'Open', Amount: 1200, Owner: owner } }],
        offset: 'itrx8ZlqQj1Y0Jq3D/rec3lbPRG4aVqkeOQ',
      },
    },
    {
      tool: 'airtable_list_records',
      params: { base_id: BASE_ID, table: 'tblx0lQwT3RBAcXGx', page_size: 1, offset: 'itrx8ZlqQj1Y0Jq3D/rec3lbPRG4aVqkeOQ' },
      request: { method: 'GET', path: `/v0/${BASE_ID}/tblx0lQwT3RBAcXGx`, query: { pageSize: '1', offset: 'itrx8ZlqQj1Y0Jq3D/rec3lbPRG4aVqkeOQ' }, headers: auth },
      data: { records: [{ id: 'rec3lbPRG4aVqkeOQ', created_time: '2024-02-02T16:40:03.000Z', fields: { Name: 'Borealis expansion', Status: 'Open', Amount: 5400 } }] },
    },
    {
      tool: 'airtable_get_record',
      params: { base_id: BASE_ID, table: 'Sales Pipeline', record_id: 'rec560UJdUtocSouk' },
      request: { method: 'GET', path: `${table}/rec560UJdUtocSouk`, headers: auth },
      data: { id: 'rec560UJdUtocSouk', created_time: '2024-01-15T09:12:44.000Z', fields: { Name: 'Acme renewal', Status: 'Open', Amount: 1200, Owner: owner } },
    },
    {
      tool: 'airtable_create_records',
      params: {
        base_id: BASE_ID,
        table: 'Sales Pipeline',
        records: [
          { Name: 'Cobalt pilot', Status: 'Open', Amount: 800, Contacts: ['rec560UJdUtocSouk'] },
          { Name: 'Delta upsell', Status: 'Negotiation' },
        ],
        typecast: true,
      },
      request: {
        method: 'POST',
        path: table,
        headers: json,
        body: {
          records: [{ fields: { Name: 'Cobalt pilot', Status: 'Open', Amount: 800, Contacts: ['rec560UJdUtocSouk'] } }, { fields: { Name: 'Delta upsell', Status: 'Negotiation' } }],
          typecast: true,
        },
      },
      data: {
        records: [
          { id: 'recV3ziNHqEUvxDbI', created_time: '2024-06-05T11:00:00.000Z', fields: { Name: 'Cobalt pilot', Status: 'Open', Amount: 800, Contacts: ['rec560UJdUtocSouk'] } },
          { id: 'recBf0T1xXx4Ok6Xk', created_time: '2024-06-05T11:00:00.000Z', fields: { Name: 'Delta upsell', Status: 'Negotiation' } },
        ],
      },
    },
    {
      tool: 'airtable_update_records',
      params: { base_id: BASE_ID, table: 'Sales Pipeline', records: [{ id: 'rec560UJdUtocSouk', fields: { Status: 'Won', Owner: null } }] },
      request: { method: 'PATCH', path: table, headers: json, body: { records: [{ id: 'rec560UJdUtocSouk', fields: { Status: 'Won', Owner: null } }] } },
      data: { records: [{ id: 'rec560UJdUtocSouk', created_time: '2024-01-15T09:12:44.000Z', fields: { Name: 'Acme renewal', Status: 'Won', Amount: 1200 } }] },
    },
    {
      tool: 'airtable_delete_records',
      params: { base_id: BASE_ID, table: 'Sales Pipeline', record_ids: ['rec560UJdUtocSouk', 'rec3lbPRG4aVqkeOQ'] },
      request: { method: 'DELETE', path: table, query: { 'records[]': ['rec560UJdUtocSouk', 'rec3lbPRG4aVqkeOQ'] }, headers: auth },
      data: { records: [{ id: 'rec560UJdUtocSouk', deleted: true }, { id: 'rec3lbPRG4aVqkeOQ', deleted: true }] },
    },
  ],
});
