/** Every googlesheets_* tool against the Google Sheets emulator, through POST /api/v1/execute_tool. */
import { GOOGLESHEETS_TOKEN, SPREADSHEET_ID, googlesheetsEmulator } from '../emulators/googlesheets.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${GOOGLESHEETS_TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };
const EXPENSES = [
  ['Date', 'Item', 'Amount'],
  ['2024-10-01', 'Coffee', '3.50'],
  ['2024-10-02', 'Train ticket', '42.00'],
];

toolSuite({
  connector: 'googlesheets',
  emulator: googlesheetsEmulator,
  account: { oauth_token: { access_token: GOOGLESHEETS_TOKEN, scopes: ['https://www.googleapis.com/auth/spreadsheets'] } },
  cases: [
    {
      tool: 'googlesheets_get_spreadsheet',
      params: { spreadsheet_id: SPREADSHEET_ID },
      request: {
        method: 'GET',
        path: `/v4/spreadsheets/${SPREADSHEET_ID}`,
        query: { fields: 'spreadsheetId,spreadsheetUrl,properties(title,locale,timeZone),sheets(properties(sheetId,title,index,sheetType,gridProperties(rowCount,columnCount,frozenRowCount)))' },
        headers: auth,
      },
      data: {
        spreadsheet_id: SPREADSHEET_ID,
        title: 'Team expenses',
        locale: 'en_GB',
        time_zone: 'Europe/London',
        url: `https://docs.google.com/spreadsheets/d/${SPREADSHEET_ID}/edit`,
        sheets: [
          { sheet_id: 0, title: 'Expenses', index: 0, type: 'GRID', row_count: 1000, column_count: 26, frozen_row_count: 1 },
          { sheet_id: 1873465012, title: 'Q3 Summary', index: 1, type: 'GRID', row_count: 100, column_count: 10 },
        ],
      },
    },
    {
      // The A1 range is one path segment: `:` is percent-encoded, `!` and `'` stay as they are.
      tool: 'googlesheets_read_values',
      params: { spreadsheet_id: SPREADSHEET_ID, range: 'Expenses!A:C' },
      request: { method: 'GET', path: `/v4/spreadsheets/${SPREADSHEET_ID}/values/Expenses!A%3AC`, headers: auth },
      data: { range: 'Expenses!A1:C3', major_dimension: 'ROWS', values: EXPENSES },
    },
    {
      tool: 'googlesheets_read_values',
      params: { spreadsheet_id: SPREADSHEET_ID, range: "'Q3 Summary'", major_dimension: 'COLUMNS', value_render_option: 'UNFORMATTED_VALUE' },
      request: { method: 'GET', path: `/v4/spreadsheets/${SPREADSHEET_ID}/values/'Q3%20Summary'`, query: { majorDimension: 'COLUMNS', valueRenderOption: 'UNFORMATTED_VALUE' }, headers: auth },
      data: {
        range: "'Q3 Summary'!A1:C3",
        major_dimension: 'COLUMNS',
        values: [
          ['Date', '2024-10-01', '2024-10-02'],
          ['Item', 'Coffee', 'Train ticket'],
          ['Amount', '3.50', '42.00'],
        ],
      },
    },
    {
      tool: 'googlesheets_read_values',
      params: { spreadsheet_id: SPREADSHEET_ID, range: 'Empty!A1:B2' },
      request: { method: 'GET', path: `/v4/spreadsheets/${SPREADSHEET_ID}/values/Empty!A1%3AB2`, headers: auth },
      data: { range: 'Empty!A1:B2', major_dimension: 'ROWS' },
    },
    {
      tool: 'googlesheets_batch_read_values',
      params: { spreadsheet_id: SPREADSHEET_ID, ranges: ['Expenses!A:C', 'Empty!A1:B2'] },
      request: { method: 'GET', path: `/v4/spreadsheets/${SPREADSHEET_ID}/values:batchGet`, query: { ranges: ['Expenses!A:C', 'Empty!A1:B2'] }, headers: auth },
      data: { value_ranges: [{ range: 'Expenses!A1:C3', major_dimension: 'ROWS', values: EXPENSES }, { range: 'Empty!A1:B2', major_dimension: 'ROWS' }] },
    },
    {
      tool: 'googlesheets_append_values',
      params: { spreadsheet_id: SPREADSHEET_ID, range: 'Expenses!A:C', values: [['2024-10-03', 'Lunch', 12.9], ['2024-10-03', 'Parking', '=2*3']] },
      request: {
        method: 'POST',
        path: `/v4/spreadsheets/${SPREADSHEET_ID}/values/Expenses!A%3AC:append`,
        query: { valueInputOption: 'USER_ENTERED', insertDataOption: 'INSERT_ROWS' },
        headers: json,
        body: { majorDimension: 'ROWS', values: [['2024-10-03', 'Lunch', 12.9], ['2024-10-03', 'Parking', '=2*3']] },
      },
      data: { spreadsheet_id: SPREADSHEET_ID, table_range: 'Expenses!A1:C3', updated_range: 'Expenses!A4:C5', updated_rows: 2, updated_columns: 3, updated_cells: 6 },
    },
    {
      tool: 'googlesheets_update_values',
      params: { spreadsheet_id: SPREADSHEET_ID, range: 'Expenses!D1', values: [['Approved'], [true], [false]], value_input_option: 'RAW' },
      request: {
        method: 'PUT',
        path: `/v4/spreadsheets/${SPREADSHEET_ID}/values/Expenses!D1`,
        query: { valueInputOption: 'RAW' },
        headers: json,
        body: { values: [['Approved'], [true], [false]] },
      },
      data: { spreadsheet_id: SPREADSHEET_ID, updated_range: 'Expenses!D1:D1', updated_rows: 3, updated_columns: 1, updated_cells: 3 },
    },
    {
      tool: 'googlesheets_update_values',
      params: { spreadsheet_id: SPREADSHEET_ID, range: 'Expenses!E1:E2', values: [['Note', 'ok']], major_dimension: 'COLUMNS' },
      request: {
        method: 'PUT',
        path: `/v4/spreadsheets/${SPREADSHEET_ID}/values/Expenses!E1%3AE2`,
        query: { valueInputOption: 'USER_ENTERED' },
        headers: json,
        body: { majorDimension: 'COLUMNS', values: [['Note', 'ok']] },
      },
      data: { spreadsheet_id: SPREADSHEET_ID, updated_range: 'Expenses!E1:E2', updated_rows: 1, updated_columns: 2, updated_cells: 2 },
    },
    {
      tool: 'googlesheets_clear_values',
      params: { spreadsheet_id: SPREADSHEET_ID, range: 'Expenses!A2:D' },
      request: { method: 'POST', path: `/v4/spreadsheets/${SPREADSHEET_ID}/values/Expenses!A2%3AD:clear`, headers: json, body: {} },
      data: { spreadsheet_id: SPREADSHEET_ID, cleared_range: 'Expenses!A2:D1000' },
    },
    {
      tool: 'googlesheets_create_spreadsheet',
      params: { title: 'Travel 2025', sheet_titles: ['Trips', 'Summary'], time_zone: 'Europe/Berlin' },
      request: {
        method: 'POST',
        path: '/v4/spreadsheets',
        headers: json,
        body: { properties: { title: 'Travel 2025', timeZone: 'Europe/Berlin' }, sheets: [{ properties: { title: 'Trips' } }, { properties: { title: 'Summary' } }] },
      },
      data: {
        spreadsheet_id: '1nEwSpReAdShEeT_0a1b2c3d4e5f',
        title: 'Travel 2025',
        url: 'https://docs.google.com/spreadsheets/d/1nEwSpReAdShEeT_0a1b2c3d4e5f/edit',
        sheets: [{ sheet_id: 0, title: 'Trips' }, { sheet_id: 101, title: 'Summary' }],
      },
    },
    {
      tool: 'googlesheets_create_spreadsheet',
      params: { title: 'Scratch' },
      request: { method: 'POST', path: '/v4/spreadsheets', headers: json, body: { properties: { title: 'Scratch' } } },
      data: { spreadsheet_id: '1nEwSpReAdShEeT_0a1b2c3d4e5f', title: 'Scratch', url: 'https://docs.google.com/spreadsheets/d/1nEwSpReAdShEeT_0a1b2c3d4e5f/edit', sheets: [{ sheet_id: 0, title: 'Sheet1' }] },
    },
  ],
});
