/** Dropbox API v2 (https://www.dropbox.com/developers/documentation/http/documentation): the RPC endpoints the dropbox_* tools call. */
import { defineEmulator, type EmulatorReply, type RecordedRequest } from '../helpers/emulator.ts';

export const DROPBOX_TOKEN = 'sl.BemulatorDropboxAccessToken-0123456789';

/** Dropbox's 409 for an endpoint error: `error_summary` plus the tagged union. */
const pathError = (tag: string, reason: string): EmulatorReply => ({ status: 409, json: { error_summary: `${tag}/${reason}/..`, error: { '.tag': tag, [tag]: { '.tag': reason } } } });

const REPORTS = { '.tag': 'folder', name: 'Reports', path_lower: '/reports', path_display: '/Reports', id: 'id:a4ayc_80_OEAAAAAAAAAXz' };
const Q3 = {
  '.tag': 'file',
  name: 'Q3 summary.pdf',
  path_lower: '/reports/q3 summary.pdf',
  path_display: '/Reports/Q3 summary.pdf',
  id: 'id:a4ayc_80_OEAAAAAAAAAYa',
  client_modified: '2024-09-30T16:01:02Z',
  server_modified: '2024-09-30T16:01:05Z',
  rev: '0161d7e5ba2c8b200000001a2b3c4d5',
  size: 184320,
  is_downloadable: true,
  content_hash: '599d71033d700ac892a0e48fa61b125d2f5994d8aef8d1f8b9b0ec3e6c9a4d1e',
};
const NOTES = { ...Q3, name: 'notes.txt', path_lower: '/notes.txt', path_display: '/notes.txt', id: 'id:a4ayc_80_OEAAAAAAAAAYb', size: 1024, rev: '0161d7e5ba2c8b200000001a2b3c4d6' };

const bodyOf = (request: RecordedRequest) => request.body as Record<string, unknown>;

function metadataAt(path: unknown): Record<string, unknown> | undefined {
  return [REPORTS, Q3, NOTES].find((entry) => entry.path_lower === String(path).toLowerCase() || entry.id === path);
}

export const dropboxEmulator = defineEmulator({
  name: 'dropbox',
  authorized: (request) => request.headers['authorization'] === `Bearer ${DROPBOX_TOKEN}`,
  unauthorized: { status: 401, json: { error_summary: 'invalid_access_token/...', error: { '.tag': 'invalid_access_token' } } },
  routes: [
    {
      method: 'POST',
      path: '/2/users/get_current_account',
      reply: (request) =>
        // An endpoint without arguments takes no body (or the JSON `null`).
        request.rawBody !== '' && request.rawBody !== 'null'
          ? { status: 400, text: 'Error in call to API function "users/get_current_account": request body: could not decode input as JSON' }
          : {
              json: {
                account_id: 'dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc',
                name: { given_name: 'Ada', surname: 'Lovelace', familiar_name: 'Ada', display_name: 'Ada Lovelace', abbreviated_name: 'AL' },
                email: 'ada@example.com',
                email_verified: true,
                disabled: false,
                country: 'GB',
                locale: 'en',
                referral_link: 'https://db.tt/ZITNuhtI',
                is_paired: false,
                account_type: { '.tag': 'pro' },
                root_info: { '.tag': 'user', root_namespace_id: '3235641', home_namespace_id: '3235641' },
              },
            },
    },
    {
      method: 'POST',
      path: '/2/files/list_folder',
      reply: (request) => {
        const body = bodyOf(request);
        if (body['path'] === '/') return { status: 400, text: 'Error in call to API function "files/list_folder": request body: path: Specify the root folder as an empty string rather than as "/".' };
        if (body['path'] === '') return { json: { entries: [REPORTS, NOTES], cursor: 'ZtkX9_EHj3x7PMkVuFIhwKYXEpwpLwyxp9vMKomUhllil9q7eWiAu', has_more: true } };
        if (body['path'] === '/Reports') return { json: { entries: [Q3], cursor: 'AAGvCw7ZsALq9fJ0nOqPIrv', has_more: false } };
        return pathError('path', 'not_found');
      },
    },
    {
      method: 'POST',
      path: '/2/files/list_folder/continue',
      reply: (request) =>
        bodyOf(request)['cursor'] === 'ZtkX9_EHj3x7PMkVuFIhwKYXEpwpLwyxp9vMKomUhllil9q7eWiAu'
          ? { json: { entries: [Q3], cursor: 'AAHbmNRRHVIw2LHc8Gl4x3', has_more: false } }
          : { status: 409, json: { error_summary: 'reset/...', error: { '.tag': 'reset' } } },
    },
    { method: 'POST', path: '/2/files/get_metadata', reply: (request) => { const entry = metadataAt(bodyOf(request)['path']); return entry === undefined ? pathError('path', 'not_found') : { json: entry }; } },
    {
      method: 'POST',
      path: '/2/files/search_v2',
      reply: (request) => {
        const body = bodyOf(request) as { query: string; options?: { path?: string } };
        if (body.query === 'nothing') return { json: { matches: [], has_more: false } };
        return {
          json: {
            matches: [
              { match_type: { '.tag': 'filename' }, metadata: { '.tag': 'metadata', metadata: Q3 } },
              ...(body.options?.path === '/Reports' ? [] : [{ match_type: { '.tag': 'content' }, metadata: { '.tag': 'metadata', metadata: NOTES } }]),
            ],
            has_more: false,
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/2/files/create_folder_v2',
      reply: (request) => {
        const body = bodyOf(request) as { path: string; autorename?: boolean };
        const exists = body.path.toLowerCase() === REPORTS.path_lower;
        if (exists && body.autorename !== true) return pathError('path', 'conflict');
        const path = exists ? `${body.path} (1)` : body.path;
        return { json: { metadata: { name: path.split('/').at(-1), path_lower: path.toLowerCase(), path_display: path, id: 'id:a4ayc_80_OEAAAAAAAAAZc' } } };
      },
    },
    {
      method: 'POST',
      path: '/2/files/move_v2',
      reply: (request) => {
        const body = bodyOf(request) as { from_path: string; to_path: string };
        const entry = metadataAt(body.from_path);
        if (entry === undefined) return pathError('from_lookup', 'not_found');
        return { json: { metadata: { ...entry, name: body.to_path.split('/').at(-1), path_lower: body.to_path.toLowerCase(), path_display: body.to_path } } };
      },
    },
    { method: 'POST', path: '/2/files/delete_v2', reply: (request) => { const entry = metadataAt(bodyOf(request)['path']); return entry === undefined ? pathError('path_lookup', 'not_found') : { json: { metadata: entry } }; } },
    {
      method: 'POST',
      path: '/2/sharing/create_shared_link_with_settings',
      reply: (request) => {
        const body = bodyOf(request) as { path: string; settings?: { audience?: string; access?: string; expires?: string } };
        const entry = metadataAt(body.path);
        if (entry === undefined) return pathError('path', 'not_found');
        const audience = body.settings?.audience ?? 'public';
        return {
          json: {
            '.tag': entry['.tag'],
            url: `https://www.dropbox.com/scl/fi/7rh5vq2x0d3k1/${encodeURIComponent(String(entry['name']))}?rlkey=1lzt8bq4kfyr3ql8x0xqg9q7m&dl=0`,
            name: entry['name'],
            path_lower: entry['path_lower'],
            id: entry['id'],
            ...(body.settings?.expires === undefined ? {} : { expires: body.settings.expires }),
            link_permissions: {
              can_revoke: true,
              resolved_visibility: { '.tag': audience === 'public' ? 'public' : 'team_only' },
              effective_audience: { '.tag': audience },
              link_access_level: { '.tag': body.settings?.access ?? 'viewer' },
              allow_download: true,
            },
          },
        };
      },
    },
  ],
});
