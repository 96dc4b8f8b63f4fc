/** Every googledrive_* tool against the Google Drive emulator, through POST /api/v1/execute_tool. */
import { GOOGLEDRIVE_TOKEN, MEMO_ID, googledriveEmulator } from '../emulators/googledrive.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${GOOGLEDRIVE_TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };
const FILE_FIELDS = 'id,name,mimeType,description,parents,createdTime,modifiedTime,size,webViewLink,webContentLink,owners(displayName,emailAddress),lastModifyingUser(displayName,emailAddress),shared,starred,trashed';
const LIST_FIELDS = 'nextPageToken,incompleteSearch,files(id,name,mimeType,parents,modifiedTime,size,webViewLink,owners(displayName,emailAddress))';
const BUDGET_ID = '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms';
const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };

/** BUDGET of the emulator, as get_file and update_file shape it. */
const budget = {
  id: BUDGET_ID,
  name: 'Budget 2025',
  mime_type: 'application/vnd.google-apps.spreadsheet',
  description: 'Draft numbers, do not share outside finance.',
  parents: ['0B7_finance_folder'],
  created_time: '2024-09-02T08:15:00.000Z',
  modified_time: '2024-09-30T17:01:22.512Z',
  web_view_link: `https://docs.google.com/spreadsheets/d/${BUDGET_ID}/edit?usp=drivesdk`,
  owners: [ada],
  last_modified_by: 'bob@example.com',
  shared: true,
  starred: false,
  trashed: false,
};

toolSuite({
  connector: 'googledrive',
  emulator: googledriveEmulator,
  account: { oauth_token: { access_token: GOOGLEDRIVE_TOKEN, scopes: ['https://www.googleapis.com/auth/drive'] } },
  cases: [
    {
      tool: 'googledrive_list_files',
      params: {},
      request: { method: 'GET', path: '/drive/v3/files', query: { q: 'trashed = false', pageSize: '25', fields: LIST_FIELDS }, headers: auth },
      data: {
        files: [
          { id: BUDGET_ID, name: 'Budget 2025', mime_type: 'application/vnd.google-apps.spreadsheet', parents: ['0B7_finance_folder'], modified_time: '2024-09-30T17:01:22.512Z', web_view_link: budget.web_view_link, owners: [ada] },
          {
            id: '1Zq8pdf_invoice_0042',
            name: 'invoice-0042.pdf',
            mime_type: 'application/pdf',
            parents: ['0B7_finance_folder'],
            modified_time: '2024-09-12T10:00:00.000Z',
            size: '48213',
            web_view_link: 'https://drive.google.com/file/d/1Zq8pdf_invoice_0042/view?usp=drivesdk',
            owners: [ada],
          },
        ],
        incomplete_search: false,
        next_page_token: '~!!~AI9FV7Sx1',
      },
    },
    {
      tool: 'googledrive_list_files',
      params: { q: "name contains 'nothing'", order_by: 'modifiedTime desc', page_size: 100, include_shared_drives: true, page_token: '~!!~AI9FV7Sx1' },
      request: {
        method: 'GET',
        path: '/drive/v3/files',
        query: { q: "name contains 'nothing'", orderBy: 'modifiedTime desc', pageSize: '100', pageToken: '~!!~AI9FV7Sx1', includeItemsFromAllDrives: 'true', supportsAllDrives: 'true', fields: LIST_FIELDS },
        headers: auth,
      },
      data: { files: [], incomplete_search: false },
    },
    {
      tool: 'googledrive_get_file',
      params: { file_id: BUDGET_ID },
      request: { method: 'GET', path: `/drive/v3/files/${BUDGET_ID}`, query: { fields: FILE_FIELDS, supportsAllDrives: 'true' }, headers: auth },
      data: budget,
    },
    {
      tool: 'googledrive_export_file',
      params: { file_id: MEMO_ID },
      request: { method: 'GET', path: `/drive/v3/files/${MEMO_ID}/export`, query: { mimeType: 'text/plain' }, headers: { ...auth, accept: 'text/plain' } },
      data: { content: '\ufeffOffsite memo\r\n\r\nWe meet on 14 November in Lyon.\r\n' },
    },
    {
      tool: 'googledrive_export_file',
      params: { file_id: BUDGET_ID, mime_type: 'text/csv' },
      request: { method: 'GET', path: `/drive/v3/files/${BUDGET_ID}/export`, query: { mimeType: 'text/csv' }, headers: { ...auth, accept: 'text/csv' } },
      data: { content: 'Item,Q1,Q2\r\nTravel,1200,950\r\nSoftware,430,430\r\n' },
    },
    {
      tool: 'googledrive_create_folder',
      params: { name: 'Q4 reports', parent_id: '0B7_finance_folder' },
      request: {
        method: 'POST',
        path: '/drive/v3/files',
        query: { fields: 'id,name,mimeType,parents,createdTime,webViewLink', supportsAllDrives: 'true' },
        headers: json,
        body: { name: 'Q4 reports', mimeType: 'application/vnd.google-apps.folder', parents: ['0B7_finance_folder'] },
      },
      data: {
        id: '1fOlDeR_new_9x8y7z',
        name: 'Q4 reports',
        mime_type: 'application/vnd.google-apps.folder',
        parents: ['0B7_finance_folder'],
        created_time: '2024-10-01T12:00:00.000Z',
        web_view_link: 'https://drive.google.com/drive/folders/1fOlDeR_new_9x8y7z',
      },
    },
    {
      // Without parent_id the one-element template list comes out empty; Drive reads `parents: []` as "not set" (My Drive's top level).
      tool: 'googledrive_create_folder',
      params: { name: 'Scratch', description: 'Temporary files' },
      request: {
        method: 'POST',
        path: '/drive/v3/files',
        query: { fields: 'id,name,mimeType,parents,createdTime,webViewLink', supportsAllDrives: 'true' },
        headers: json,
        body: { name: 'Scratch', mimeType: 'application/vnd.google-apps.folder', parents: [], description: 'Temporary files' },
      },
      data: {
        id: '1fOlDeR_new_9x8y7z',
        name: 'Scratch',
        mime_type: 'application/vnd.google-apps.folder',
        parents: ['0AAda_root_folder'],
        created_time: '2024-10-01T12:00:00.000Z',
        web_view_link: 'https://drive.google.com/drive/folders/1fOlDeR_new_9x8y7z',
      },
    },
    {
      tool: 'googledrive_update_file',
      params: { file_id: BUDGET_ID, name: 'Budget 2025 (final)', add_parent_id: '0B7_archive', remove_parent_id: '0B7_finance_folder' },
      request: {
        method: 'PATCH',
        path: `/drive/v3/files/${BUDGET_ID}`,
        query: { addParents: '0B7_archive', removeParents: '0B7_finance_folder', fields: FILE_FIELDS, supportsAllDrives: 'true' },
        headers: json,
        body: { name: 'Budget 2025 (final)' },
      },
      data: { ...budget, name: 'Budget 2025 (final)', parents: ['0B7_archive'], modified_time: '2024-10-01T12:00:00.000Z' },
    },
    {
      tool: 'googledrive_update_file',
      params: { file_id: BUDGET_ID, trashed: true, starred: false },
      request: { method: 'PATCH', path: `/drive/v3/files/${BUDGET_ID}`, query: { fields: FILE_FIELDS, supportsAllDrives: 'true' }, headers: json, body: { starred: false, trashed: true } },
      data: { ...budget, trashed: true, modified_time: '2024-10-01T12:00:00.000Z' },
    },
    {
      tool: 'googledrive_delete_file',
      params: { file_id: '1Zq8pdf_invoice_0042' },
      request: { method: 'DELETE', path: '/drive/v3/files/1Zq8pdf_invoice_0042', query: { supportsAllDrives: 'true' }, headers: auth },
      data: { deleted: true },
    },
    {
      tool: 'googledrive_share_file',
      params: { file_id: BUDGET_ID, role: 'commenter', email_address: 'carol@example.com', message: 'Comments welcome by Friday.' },
      request: {
        method: 'POST',
        path: `/drive/v3/files/${BUDGET_ID}/permissions`,
        query: { emailMessage: 'Comments welcome by Friday.', supportsAllDrives: 'true', fields: 'id,type,role,emailAddress,domain,displayName' },
        headers: json,
        body: { type: 'user', role: 'commenter', emailAddress: 'carol@example.com' },
      },
      data: { permission_id: '13894529781036227931', type: 'user', role: 'commenter', email_address: 'carol@example.com', display_name: 'Carol Jones' },
    },
    {
      tool: 'googledrive_share_file',
      params: { file_id: BUDGET_ID, role: 'reader', type: 'anyone', send_notification: false },
      request: {
        method: 'POST',
        path: `/drive/v3/files/${BUDGET_ID}/permissions`,
        query: { sendNotificationEmail: 'false', supportsAllDrives: 'true', fields: 'id,type,role,emailAddress,domain,displayName' },
        headers: json,
        body: { type: 'anyone', role: 'reader' },
      },
      data: { permission_id: 'anyoneWithLink', type: 'anyone', role: 'reader' },
    },
  ],
});
