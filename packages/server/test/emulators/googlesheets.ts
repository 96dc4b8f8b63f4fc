/** Google Sheets API v4 (https://developers.google.com/sheets/api/reference/rest): the endpoints the googlesheets_* tools call. */
import { defineEmulator, type EmulatorReply, type RecordedRequest } from '../helpers/emulator.ts';

export const GOOGLESHEETS_TOKEN = 'ya29.sheets-emulator-token';
export const SPREADSHEET_ID = '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms';

const notFound: EmulatorReply = { status: 404, json: { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } } };

const EXPENSES = [
  ['Date', 'Item', 'Amount'],
  ['2024-10-01', 'Coffee', '3.50'],
  ['2024-10-02', 'Train ticket', '42.00'],
];

/** `values.get`: ROWS or COLUMNS of the fixed Expenses table; an empty range has no `values`. */
function valueRange(range: string, request: RecordedRequest) {
  if (range.startsWith('Empty')) return { range, majorDimension: 'ROWS' };
  const columns = request.query['majorDimension'] === 'COLUMNS';
  const values = columns ? EXPENSES[0]!.map((_, column) => EXPENSES.map((row) => row[column] ?? '')) : EXPENSES;
  return { range: range.includes('!') ? range.replace(/![A-Z]+:[A-Z]+$/, '!A1:C3') : `${range}!A1:C3`, majorDimension: columns ? 'COLUMNS' : 'ROWS', values };
}

function counts(values: unknown[][]) {
  return { updatedRows: values.length, updatedColumns: Math.max(...values.map((row) => row.length)), updatedCells: values.reduce((sum, row) => sum + row.length, 0) };
}

/** POST .../values/{range}:append and :clear (one path segment: the range and the custom verb). */
function rangeAction(request: RecordedRequest): EmulatorReply {
  const segment = request.params['rangeAction'] ?? '';
  const at = segment.lastIndexOf(':');
  const range = segment.slice(0, at);
  const action = segment.slice(at + 1);
  if (action === 'clear') return { json: { spreadsheetId: request.params['id'], clearedRange: range.replace(/:D$/, ':D1000') } };
  if (action !== 'append') return { status: 400, json: { error: { code: 400, message: `Invalid custom method ${action}`, status: 'INVALID_ARGUMENT' } } };
  const values = (request.body as { values: unknown[][] }).values;
  const sheet = range.split('!')[0] ?? 'Sheet1';
  return {
    json: {
      spreadsheetId: request.params['id'],
      tableRange: `${sheet}!A1:C3`,
      updates: { spreadsheetId: request.params['id'], updatedRange: `${sheet}!A4:C${3 + values.length}`, ...counts(values) },
    },
  };
}

export const googlesheetsEmulator = defineEmulator({
  name: 'googlesheets',
  authorized: (request) => request.headers['authorization'] === `Bearer ${GOOGLESHEETS_TOKEN}`,
  unauthorized: {
    status: 401,
    json: { error: { code: 401, message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', status: 'UNAUTHENTICATED' } },
  },
  routes: [
    {
      method: 'GET',
      path: '/v4/spreadsheets/:id',
      reply: (request) =>
        request.params['id'] !== SPREADSHEET_ID
          ? notFound
          : {
              json: {
                spreadsheetId: SPREADSHEET_ID,
                properties: { title: 'Team expenses', locale: 'en_GB', timeZone: 'Europe/London' },
                sheets: [
                  { properties: { sheetId: 0, title: 'Expenses', index: 0, sheetType: 'GRID', gridProperties: { rowCount: 1000, columnCount: 26, frozenRowCount: 1 } } },
                  { properties: { sheetId: 1873465012, title: 'Q3 Summary', index: 1, sheetType: 'GRID', gridProperties: { rowCount: 100, columnCount: 10 } } },
                ],
                spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${SPREADSHEET_ID}/edit`,
              },
            },
    },
    { method: 'GET', path: '/v4/spreadsheets/:id/values/:range', reply: (request) => ({ json: valueRange(request.params['range'] ?? '', request) }) },
    {
      method: 'GET',
      path: '/v4/spreadsheets/:id/values:batchGet',
      reply: (request) => {
        const ranges = request.query['ranges'];
        const list = Array.isArray(ranges) ? ranges : ranges === undefined ? [] : [ranges];
        return { json: { spreadsheetId: request.params['id'], valueRanges: list.map((range) => valueRange(range, request)) } };
      },
    },
    { method: 'POST', path: '/v4/spreadsheets/:id/values/:rangeAction', reply: rangeAction },
    {
      method: 'PUT',
      path: '/v4/spreadsheets/:id/values/:range',
      reply: (request) => {
        const values = (request.body as { values: unknown[][] }).values;
        const range = request.params['range'] ?? '';
        return { json: { spreadsheetId: request.params['id'], updatedRange: range.includes(':') ? range : `${range}:${range.split('!')[1] ?? ''}`, ...counts(values) } };
      },
    },
    {
      method: 'POST',
      path: '/v4/spreadsheets',
      reply: (request) => {
        const body = request.body as { properties: { title: string; locale?: string; timeZone?: string }; sheets?: Array<{ properties: { title: string } }> };
        const sheets = body.sheets ?? [{ properties: { title: 'Sheet1' } }];
        return {
          json: {
            spreadsheetId: '1nEwSpReAdShEeT_0a1b2c3d4e5f',
            properties: { title: body.properties.title, locale: body.properties.locale ?? 'en_US', autoRecalc: 'ON_CHANGE', timeZone: body.properties.timeZone ?? 'Etc/GMT', defaultFormat: { backgroundColor: { red: 1, green: 1, blue: 1 } } },
            sheets: sheets.map((sheet, index) => ({ properties: { sheetId: index === 0 ? 0 : 100 + index, title: sheet.properties.title, index, sheetType: 'GRID', gridProperties: { rowCount: 1000, columnCount: 26 } } })),
            spreadsheetUrl: 'https://docs.google.com/spreadsheets/d/1nEwSpReAdShEeT_0a1b2c3d4e5f/edit',
          },
        };
      },
    },
  ],
});
