/** Airtable Web API (https://airtable.com/developers/web/api/introduction): the endpoints the airtable_* tools call. */
import { defineEmulator, type RecordedRequest } from '../helpers/emulator.ts';

export const AIRTABLE_TOKEN = 'oaaTnNTGsJ2rGSEd8.v1.eyJ1c2VySWQiOiJ1c3JlbXVsYXRvciJ9.airtable-emulator';
export const BASE_ID = 'appLkNDICXNqxSDhG';

const notFound = { status: 404, json: { error: 'NOT_FOUND' } };
const tableNotFound = { status: 404, json: { error: { type: 'TABLE_NOT_FOUND', message: 'Could not find table Nope in application appLkNDICXNqxSDhG' } } };

const RECORDS = [
  { id: 'rec560UJdUtocSouk', createdTime: '2024-01-15T09:12:44.000Z', fields: { Name: 'Acme renewal', Status: 'Open', Amount: 1200, Owner: { id: 'usrVMNxslc6jG0Xed', email: 'ada@example.com', name: 'Ada Lovelace' } } },
  { id: 'rec3lbPRG4aVqkeOQ', createdTime: '2024-02-02T16:40:03.000Z', fields: { Name: 'Borealis expansion', Status: 'Open', Amount: 5400 } },
];

function checkTable(request: RecordedRequest) {
  if (request.params['base'] !== BASE_ID) return notFound;
  if (request.params['table'] !== 'Sales Pipeline' && request.params['table'] !== 'tblx0lQwT3RBAcXGx') return tableNotFound;
  return undefined;
}

export const airtableEmulator = defineEmulator({
  name: 'airtable',
  authorized: (request) => request.headers['authorization'] === `Bearer ${AIRTABLE_TOKEN}`,
  unauthorized: { status: 401, json: { error: { type: 'AUTHENTICATION_REQUIRED', message: 'Authentication required' } } },
  routes: [
    {
      method: 'GET',
      path: '/v0/meta/bases',
      reply: (request) =>
        request.query['offset'] === 'itrUaBJVFxH9Y5wNL/appSW9R5uCNmRmfl6'
          ? { json: { bases: [{ id: 'appSW9R5uCNmRmfl6', name: 'Hiring', permissionLevel: 'read' }] } }
          : {
              json: {
                bases: [
                  { id: BASE_ID, name: 'Sales CRM', permissionLevel: 'create' },
                  { id: 'appAzD7mE0mWxdKjp', name: 'Content calendar', permissionLevel: 'edit' },
                ],
                offset: 'itrUaBJVFxH9Y5wNL/appSW9R5uCNmRmfl6',
              },
            },
    },
    {
      method: 'GET',
      path: '/v0/meta/bases/:base/tables',
      reply: (request) =>
        request.params['base'] !== BASE_ID
          ? notFound
          : {
              json: {
                tables: [
                  {
                    id: 'tblx0lQwT3RBAcXGx',
                    name: 'Sales Pipeline',
                    description: 'Open and closed deals',
                    primaryFieldId: 'fldJ4vTkmSdi8WLqN',
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
    },
    {
      method: 'GET',
      path: '/v0/:base/:table',
      reply: (request) => {
        const problem = checkTable(request);
        if (problem !== undefined) return problem;
        const formula = request.query['filterByFormula'];
        if (typeof formula === 'string' && !formula.includes('{')) {
          return { status: 422, json: { error: { type: 'INVALID_FILTER_BY_FORMULA', message: `The formula for filtering records is invalid: Unknown field names: ${formula}` } } };
        }
        if (request.query['offset'] === 'itrx8ZlqQj1Y0Jq3D/rec3lbPRG4aVqkeOQ') return { json: { records: [RECORDS[1]] } };
        return { json: { records: [RECORDS[0]], offset: 'itrx8ZlqQj1Y0Jq3D/rec3lbPRG4aVqkeOQ' } };
      },
    },
    {
      method: 'GET',
      path: '/v0/:base/:table/:record',
      reply: (request) => checkTable(request) ?? (request.params['record'] === RECORDS[0]?.id ? { json: RECORDS[0] } : notFound),
    },
    {
      method: 'POST',
      path: '/v0/:base/:table',
      reply: (request) => {
        const problem = checkTable(request);
        if (problem !== undefined) return problem;
        const { records } = request.body as { records: { fields: Record<string, unknown> }[] };
        const ids = ['recV3ziNHqEUvxDbI', 'recBf0T1xXx4Ok6Xk'];
        return { json: { records: records.map((record, index) => ({ id: ids[index] ?? `rec${String(index).padStart(14, '0')}`, createdTime: '2024-06-05T11:00:00.000Z', fields: record.fields })) } };
      },
    },
    {
      method: 'PATCH',
      path: '/v0/:base/:table',
      reply: (request) => {
        const problem = checkTable(request);
        if (problem !== undefined) return problem;
        const { records } = request.body as { records: { id: string; fields: Record<string, unknown> }[] };
        return {
          json: {
            records: records.map((change) => {
              const current = RECORDS.find((record) => record.id === change.id);
              const fields: Record<string, unknown> = { ...current?.fields };
              for (const [name, value] of Object.entries(change.fields)) {
                if (value === null) delete fields[name];
                else fields[name] = value;
              }
              return { id: change.id, createdTime: current?.createdTime ?? '2024-06-05T11:00:00.000Z', fields };
            }),
          },
        };
      },
    },
    {
      method: 'DELETE',
      path: '/v0/:base/:table',
      reply: (request) => {
        const problem = checkTable(request);
        if (problem !== undefined) return problem;
        const ids = request.query['records[]'];
        return { json: { records: (Array.isArray(ids) ? ids : [ids ?? '']).map((id) => ({ id, deleted: true })) } };
      },
    },
  ],
});
