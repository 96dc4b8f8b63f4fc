/** Google Drive API v3 (https://developers.google.com/drive/api/reference/rest/v3): the endpoints the googledrive_* tools call. */
import { defineEmulator, type RecordedRequest } from '../helpers/emulator.ts';

export const GOOGLEDRIVE_TOKEN = 'ya29.drive-emulator-token';

const notFound = (id: string) => ({
  status: 404,
  json: { error: { code: 404, message: `File not found: ${id}.`, errors: [{ message: `File not found: ${id}.`, domain: 'global', reason: 'notFound', location: 'fileId', locationType: 'parameter' }] } },
});

const ADA = { kind: 'drive#user', displayName: 'Ada Lovelace', photoLink: 'https://lh3.googleusercontent.com/a/ada=s64', me: true, permissionId: '07170947218036227931', emailAddress: 'ada@example.com' };

/** A files resource with the fields googledrive_get_file asks for. */
export const BUDGET = {
  id: '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms',
  name: 'Budget 2025',
  mimeType: 'application/vnd.google-apps.spreadsheet',
  description: 'Draft numbers, do not share outside finance.',
  parents: ['0B7_finance_folder'],
  createdTime: '2024-09-02T08:15:00.000Z',
  modifiedTime: '2024-09-30T17:01:22.512Z',
  webViewLink: 'https://docs.google.com/spreadsheets/d/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/edit?usp=drivesdk',
  owners: [ADA],
  lastModifyingUser: { kind: 'drive#user', displayName: 'Bob Stone', me: false, permissionId: '1234', emailAddress: 'bob@example.com' },
  shared: true,
  starred: false,
  trashed: false,
};

/** A Google Doc that googledrive_export_file reads as text. */
export const MEMO_ID = '1dOcMeMo_offsite_2024';

const INVOICE = {
  id: '1Zq8pdf_invoice_0042',
  name: 'invoice-0042.pdf',
  mimeType: 'application/pdf',
  parents: ['0B7_finance_folder'],
  modifiedTime: '2024-09-12T10:00:00.000Z',
  size: '48213',
  webViewLink: 'https://drive.google.com/file/d/1Zq8pdf_invoice_0042/view?usp=drivesdk',
  owners: [ADA],
};

function patched(request: RecordedRequest) {
  const body = request.body as Record<string, unknown>;
  const add = request.query['addParents'];
  const remove = request.query['removeParents'];
  const parents = BUDGET.parents.filter((parent) => parent !== remove).concat(typeof add === 'string' ? [add] : []);
  return { json: { ...BUDGET, ...body, parents, modifiedTime: '2024-10-01T12:00:00.000Z' } };
}

export const googledriveEmulator = defineEmulator({
  name: 'googledrive',
  authorized: (request) => request.headers['authorization'] === `Bearer ${GOOGLEDRIVE_TOKEN}`,
  unauthorized: {
    status: 401,
    json: { error: { code: 401, message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', errors: [{ message: 'Invalid Credentials', domain: 'global', reason: 'authError', location: 'Authorization', locationType: 'header' }], status: 'UNAUTHENTICATED' } },
  },
  routes: [
    {
      method: 'GET',
      path: '/drive/v3/files',
      reply: (request) =>
        request.query['q'] === "name contains 'nothing'"
          ? { json: { incompleteSearch: false, files: [] } }
          : {
              json: {
                nextPageToken: '~!!~AI9FV7Sx1',
                incompleteSearch: false,
                files: [
                  { id: BUDGET.id, name: BUDGET.name, mimeType: BUDGET.mimeType, parents: BUDGET.parents, modifiedTime: BUDGET.modifiedTime, webViewLink: BUDGET.webViewLink, owners: [ADA] },
                  INVOICE,
                ],
              },
            },
    },
    { method: 'GET', path: '/drive/v3/files/:id', reply: (request) => (request.params['id'] === BUDGET.id ? { json: BUDGET } : notFound(request.params['id'] ?? '')) },
    {
      method: 'GET',
      path: '/drive/v3/files/:id/export',
      reply: (request) => {
        const type = request.query['mimeType'];
        if (request.params['id'] === BUDGET.id && type === 'text/csv') return { text: 'Item,Q1,Q2\r\nTravel,1200,950\r\nSoftware,430,430\r\n', headers: { 'content-type': 'text/csv' } };
        if (request.params['id'] === MEMO_ID && type === 'text/plain') return { text: '\ufeffOffsite memo\r\n\r\nWe meet on 14 November in Lyon.\r\n', headers: { 'content-type': 'text/plain; charset=utf-8' } };
        return { status: 400, json: { error: { code: 400, message: 'Export only supports Docs Editors files.', errors: [{ message: 'Export only supports Docs Editors files.', domain: 'global', reason: 'fileNotExportable' }] } } };
      },
    },
    {
      method: 'POST',
      path: '/drive/v3/files',
      reply: (request) => {
        const body = request.body as { name: string; mimeType: string; parents?: string[] };
        return {
          json: {
            id: '1fOlDeR_new_9x8y7z',
            name: body.name,
            mimeType: body.mimeType,
            parents: body.parents !== undefined && body.parents.length > 0 ? body.parents : ['0AAda_root_folder'],
            createdTime: '2024-10-01T12:00:00.000Z',
            webViewLink: 'https://drive.google.com/drive/folders/1fOlDeR_new_9x8y7z',
          },
        };
      },
    },
    { method: 'PATCH', path: '/drive/v3/files/:id', reply: (request) => (request.params['id'] === BUDGET.id ? patched(request) : notFound(request.params['id'] ?? '')) },
    { method: 'DELETE', path: '/drive/v3/files/:id', reply: (request) => (request.params['id'] === INVOICE.id ? { status: 204 } : notFound(request.params['id'] ?? '')) },
    {
      method: 'POST',
      path: '/drive/v3/files/:id/permissions',
      reply: (request) => {
        const body = request.body as { type: string; role: string; emailAddress?: string; domain?: string };
        if (body.type === 'anyone') return { json: { id: 'anyoneWithLink', type: 'anyone', role: body.role } };
        return { json: { id: '13894529781036227931', type: body.type, role: body.role, emailAddress: body.emailAddress, displayName: 'Carol Jones' } };
      },
    },
  ],
});
