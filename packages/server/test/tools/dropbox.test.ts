/** Every dropbox_* tool against the Dropbox emulator, through POST /api/v1/execute_tool. */
import { DROPBOX_TOKEN, dropboxEmulator } from '../emulators/dropbox.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${DROPBOX_TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };

const reports = { type: 'folder', name: 'Reports', path: '/Reports', id: 'id:a4ayc_80_OEAAAAAAAAAXz' };
const q3 = {
  type: 'file',
  name: 'Q3 summary.pdf',
  path: '/Reports/Q3 summary.pdf',
  id: 'id:a4ayc_80_OEAAAAAAAAAYa',
  size: 184320,
  server_modified: '2024-09-30T16:01:05Z',
  client_modified: '2024-09-30T16:01:02Z',
  rev: '0161d7e5ba2c8b200000001a2b3c4d5',
};
const notes = { ...q3, name: 'notes.txt', path: '/notes.txt', id: 'id:a4ayc_80_OEAAAAAAAAAYb', size: 1024, rev: '0161d7e5ba2c8b200000001a2b3c4d6' };

toolSuite({
  connector: 'dropbox',
  emulator: dropboxEmulator,
  account: { oauth_token: { access_token: DROPBOX_TOKEN, scopes: ['account_info.read', 'files.metadata.read', 'files.content.read', 'files.content.write', 'sharing.write'] } },
  cases: [
    {
      // No arguments: no body and no Content-Type, as Dropbox wants.
      tool: 'dropbox_get_current_account',
      params: {},
      request: { method: 'POST', path: '/2/users/get_current_account', headers: auth },
      check: (request) => {
        if (request.headers['content-type'] !== undefined) throw new Error(`unexpected content-type ${request.headers['content-type']}`);
      },
      data: { account_id: 'dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc', display_name: 'Ada Lovelace', email: 'ada@example.com', email_verified: true, country: 'GB', locale: 'en', account_type: 'pro' },
    },
    {
      tool: 'dropbox_list_folder',
      params: {},
      request: { method: 'POST', path: '/2/files/list_folder', headers: json, body: { path: '', recursive: false, limit: 100 } },
      data: { entries: [reports, notes], has_more: true, cursor: 'ZtkX9_EHj3x7PMkVuFIhwKYXEpwpLwyxp9vMKomUhllil9q7eWiAu' },
    },
    {
      tool: 'dropbox_list_folder',
      params: { path: '/Reports', recursive: true, limit: 500, include_deleted: false },
      request: { method: 'POST', path: '/2/files/list_folder', headers: json, body: { path: '/Reports', recursive: true, limit: 500, include_deleted: false } },
      data: { entries: [q3], has_more: false, cursor: 'AAGvCw7ZsALq9fJ0nOqPIrv' },
    },
    {
      tool: 'dropbox_list_folder_continue',
      params: { cursor: 'ZtkX9_EHj3x7PMkVuFIhwKYXEpwpLwyxp9vMKomUhllil9q7eWiAu' },
      request: { method: 'POST', path: '/2/files/list_folder/continue', headers: json, body: { cursor: 'ZtkX9_EHj3x7PMkVuFIhwKYXEpwpLwyxp9vMKomUhllil9q7eWiAu' } },
      data: { entries: [q3], has_more: false, cursor: 'AAHbmNRRHVIw2LHc8Gl4x3' },
    },
    {
      tool: 'dropbox_get_metadata',
      params: { path: '/Reports/Q3 summary.pdf' },
      request: { method: 'POST', path: '/2/files/get_metadata', headers: json, body: { path: '/Reports/Q3 summary.pdf' } },
      data: q3,
    },
    {
      tool: 'dropbox_get_metadata',
      params: { path: 'id:a4ayc_80_OEAAAAAAAAAXz' },
      request: { method: 'POST', path: '/2/files/get_metadata', headers: json, body: { path: 'id:a4ayc_80_OEAAAAAAAAAXz' } },
      data: reports,
    },
    {
      tool: 'dropbox_search',
      params: { query: 'q3 summary' },
      request: { method: 'POST', path: '/2/files/search_v2', headers: json, body: { query: 'q3 summary', options: { max_results: 25 } } },
      data: {
        matches: [
          { type: 'file', name: 'Q3 summary.pdf', path: '/Reports/Q3 summary.pdf', id: 'id:a4ayc_80_OEAAAAAAAAAYa', size: 184320, server_modified: '2024-09-30T16:01:05Z', match_type: 'filename' },
          { type: 'file', name: 'notes.txt', path: '/notes.txt', id: 'id:a4ayc_80_OEAAAAAAAAAYb', size: 1024, server_modified: '2024-09-30T16:01:05Z', match_type: 'content' },
        ],
        has_more: false,
      },
    },
    {
      tool: 'dropbox_search',
      params: { query: 'summary', path: '/Reports', max_results: 5, filename_only: true, file_extensions: ['pdf'], file_status: 'active' },
      request: {
        method: 'POST',
        path: '/2/files/search_v2',
        headers: json,
        body: { query: 'summary', options: { path: '/Reports', max_results: 5, filename_only: true, file_extensions: ['pdf'], file_status: 'active' } },
      },
      data: {
        matches: [{ type: 'file', name: 'Q3 summary.pdf', path: '/Reports/Q3 summary.pdf', id: 'id:a4ayc_80_OEAAAAAAAAAYa', size: 184320, server_modified: '2024-09-30T16:01:05Z', match_type: 'filename' }],
        has_more: false,
      },
    },
    {
      tool: 'dropbox_create_folder',
      params: { path: '/Projects/Apollo' },
      request: { method: 'POST', path: '/2/files/create_folder_v2', headers: json, body: { path: '/Projects/Apollo', autorename: false } },
      data: { name: 'Apollo', path: '/Projects/Apollo', id: 'id:a4ayc_80_OEAAAAAAAAAZc' },
    },
    {
      tool: 'dropbox_create_folder',
      params: { path: '/Reports', autorename: true },
      request: { method: 'POST', path: '/2/files/create_folder_v2', headers: json, body: { path: '/Reports', autorename: true } },
      data: { name: 'Reports (1)', path: '/Reports (1)', id: 'id:a4ayc_80_OEAAAAAAAAAZc' },
    },
    {
      tool: 'dropbox_move',
      params: { from_path: '/notes.txt', to_path: '/Reports/notes 2024.txt' },
      request: { method: 'POST', path: '/2/files/move_v2', headers: json, body: { from_path: '/notes.txt', to_path: '/Reports/notes 2024.txt', autorename: false } },
      data: { ...notes, name: 'notes 2024.txt', path: '/Reports/notes 2024.txt' },
    },
    {
      tool: 'dropbox_delete',
      params: { path: '/Reports' },
      request: { method: 'POST', path: '/2/files/delete_v2', headers: json, body: { path: '/Reports' } },
      data: reports,
    },
    {
      tool: 'dropbox_create_shared_link',
      params: { path: '/Reports/Q3 summary.pdf' },
      request: { method: 'POST', path: '/2/sharing/create_shared_link_with_settings', headers: json, body: { path: '/Reports/Q3 summary.pdf' } },
      data: {
        url: 'https://www.dropbox.com/scl/fi/7rh5vq2x0d3k1/Q3%20summary.pdf?rlkey=1lzt8bq4kfyr3ql8x0xqg9q7m&dl=0',
        type: 'file',
        name: 'Q3 summary.pdf',
        path: '/reports/q3 summary.pdf',
        id: 'id:a4ayc_80_OEAAAAAAAAAYa',
        audience: 'public',
        access: 'viewer',
      },
    },
    {
      tool: 'dropbox_create_shared_link',
      params: { path: '/Reports', audience: 'team', access: 'editor', expires: '2024-12-31T23:59:59Z' },
      request: {
        method: 'POST',
        path: '/2/sharing/create_shared_link_with_settings',
        headers: json,
        body: { path: '/Reports', settings: { audience: 'team', access: 'editor', expires: '2024-12-31T23:59:59Z' } },
      },
      data: {
        url: 'https://www.dropbox.com/scl/fi/7rh5vq2x0d3k1/Reports?rlkey=1lzt8bq4kfyr3ql8x0xqg9q7m&dl=0',
        type: 'folder',
        name: 'Reports',
        path: '/reports',
        id: 'id:a4ayc_80_OEAAAAAAAAAXz',
        expires: '2024-12-31T23:59:59Z',
        audience: 'team',
        access: 'editor',
      },
    },
  ],
});
