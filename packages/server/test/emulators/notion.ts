/** Notion API, version 2022-06-28 (https://developers.notion.com/reference): the endpoints the notion_* tools call. */
import { defineEmulator, type EmulatorReply, type RecordedRequest } from '../helpers/emulator.ts';

export const NOTION_TOKEN = 'secret_ntn_emulator_4f1c2b7a9d3e';
export const NOTION_VERSION = '2022-06-28';

export const PAGE_ID = '59833787-2cf9-4fdf-8782-e53db20768a5';
export const DATABASE_ID = 'd9824bdc-8445-4327-be8b-5b47500af6ce';
export const ROW_ID = '6a1f0e3c-2b7d-4c1e-9f3a-8d2e5b4c7a10';

const USER = { object: 'user', id: 'ee5f0f84-409a-440f-983a-a5315961c6e4' };

function error(status: number, code: string, message: string): EmulatorReply {
  return { status, json: { object: 'error', status, code, message, request_id: 'c3d1a0f2-55e4-4b9e-8a5c-2f6b7e9d1c03' } };
}

const title = (text: string) => [{ type: 'text', text: { content: text, link: null }, annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' }, plain_text: text, href: null }];

const PAGE = {
  object: 'page',
  id: PAGE_ID,
  created_time: '2024-03-01T10:00:00.000Z',
  last_edited_time: '2024-05-02T08:30:00.000Z',
  created_by: USER,
  last_edited_by: USER,
  cover: null,
  icon: { type: 'emoji', emoji: '📝' },
  parent: { type: 'workspace', workspace: true },
  archived: false,
  properties: { title: { id: 'title', type: 'title', title: title('Meeting notes') } },
  url: 'https://www.notion.so/Meeting-notes-598337872cf94fdf8782e53db20768a5',
  public_url: null,
};

const ROW = {
  object: 'page',
  id: ROW_ID,
  created_time: '2024-04-10T12:00:00.000Z',
  last_edited_time: '2024-05-20T09:15:00.000Z',
  created_by: USER,
  last_edited_by: USER,
  cover: null,
  icon: null,
  parent: { type: 'database_id', database_id: DATABASE_ID },
  archived: false,
  properties: {
    Name: { id: 'title', type: 'title', title: title('Fix login') },
    Status: { id: 'Ql%5EN', type: 'status', status: { id: '1', name: 'In progress', color: 'blue' } },
    Due: { id: 'M%3BBw', type: 'date', date: { start: '2025-06-15', end: null, time_zone: null } },
  },
  url: 'https://www.notion.so/Fix-login-6a1f0e3c2b7d4c1e9f3a8d2e5b4c7a10',
  public_url: null,
};

const DATABASE = {
  object: 'database',
  id: DATABASE_ID,
  created_time: '2024-01-05T08:00:00.000Z',
  last_edited_time: '2024-05-20T09:15:00.000Z',
  title: title('Engineering tasks'),
  description: [],
  parent: { type: 'page_id', page_id: PAGE_ID },
  archived: false,
  is_inline: false,
  properties: { Name: { id: 'title', name: 'Name', type: 'title', title: {} } },
  url: 'https://www.notion.so/d9824bdc84454327be8b5b47500af6ce',
};

const uuid = (id: string | undefined) => (id ?? '').replace(/^(.{8})-?(.{4})-?(.{4})-?(.{4})-?(.{12})$/, '$1-$2-$3-$4-$5');

function block(id: string, type: string, content: unknown, hasChildren = false) {
  return {
    object: 'block',
    id,
    parent: { type: 'page_id', page_id: PAGE_ID },
    created_time: '2024-03-01T10:01:00.000Z',
    last_edited_time: '2024-03-01T10:01:00.000Z',
    created_by: USER,
    last_edited_by: USER,
    has_children: hasChildren,
    archived: false,
    type,
    [type]: content,
  };
}

const list = (results: unknown[], next: string | null, extra: Record<string, unknown> = {}) => ({ object: 'list', results, next_cursor: next, has_more: next !== null, type: 'page_or_database', ...extra });

export const notionEmulator = defineEmulator({
  name: 'notion',
  authorized: (request) => request.headers['authorization'] === `Bearer ${NOTION_TOKEN}`,
  unauthorized: error(401, 'unauthorized', 'API token is invalid.'),
  routes: [
    {
      method: 'POST',
      path: '/v1/search',
      reply: (request) => {
        const versionProblem = checkVersion(request);
        if (versionProblem !== undefined) return versionProblem;
        const body = request.body as { filter?: { value: string }; start_cursor?: string };
        if (body.filter?.value === 'database') return { json: list([DATABASE], null) };
        if (body.start_cursor === ROW_ID) return { json: list([ROW], null) };
        return { json: list([PAGE, DATABASE], ROW_ID) };
      },
    },
    {
      method: 'GET',
      path: '/v1/pages/:id',
      reply: (request) => checkVersion(request) ?? (uuid(request.params['id']) === PAGE_ID ? { json: PAGE } : error(404, 'object_not_found', `Could not find page with ID: ${request.params['id'] ?? ''}. Make sure the relevant pages and databases are shared with your integration.`)),
    },
    {
      method: 'POST',
      path: '/v1/pages',
      reply: (request) => {
        const versionProblem = checkVersion(request);
        if (versionProblem !== undefined) return versionProblem;
        const body = request.body as { parent: { page_id?: string; database_id?: string }; properties: Record<string, unknown> };
        if (body.parent.page_id === undefined && body.parent.database_id === undefined) {
          return error(400, 'validation_error', 'body failed validation. Fix one: body.parent.page_id should be defined, instead was `undefined`. body.parent.database_id should be defined, instead was `undefined`.');
        }
        const parent = body.parent.page_id !== undefined ? { type: 'page_id', page_id: uuid(body.parent.page_id) } : { type: 'database_id', database_id: uuid(body.parent.database_id) };
        return {
          json: {
            ...PAGE,
            id: 'b55c9c91-384d-452b-81db-d1ef79372b75',
            created_time: '2024-06-05T11:00:00.000Z',
            last_edited_time: '2024-06-05T11:00:00.000Z',
            parent,
            icon: null,
            properties: body.properties,
            url: 'https://www.notion.so/b55c9c91384d452b81dbd1ef79372b75',
          },
        };
      },
    },
    {
      method: 'PATCH',
      path: '/v1/pages/:id',
      reply: (request) => {
        const versionProblem = checkVersion(request);
        if (versionProblem !== undefined) return versionProblem;
        const body = request.body as { properties?: Record<string, unknown>; archived?: boolean };
        return {
          json: {
            ...ROW,
            last_edited_time: '2024-06-06T07:45:00.000Z',
            archived: body.archived ?? false,
            properties: { ...ROW.properties, ...body.properties },
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/v1/databases/:id/query',
      reply: (request) => {
        const versionProblem = checkVersion(request);
        if (versionProblem !== undefined) return versionProblem;
        if (uuid(request.params['id']) !== DATABASE_ID) return error(404, 'object_not_found', `Could not find database with ID: ${request.params['id'] ?? ''}.`);
        const body = request.body as { start_cursor?: string };
        return body.start_cursor === undefined ? { json: list([ROW], 'e6c6f4c8-1d8b-4c8b-9a47-2a6a3f9b1c22', { type: 'page_or_database', page_or_database: {} }) } : { json: list([], null, { page_or_database: {} }) };
      },
    },
    {
      method: 'GET',
      path: '/v1/blocks/:id/children',
      reply: (request) =>
        checkVersion(request) ?? {
          json: {
            ...list(
              [
                block('7b8f2c1a-0d3e-4f5a-9b6c-1e2d3f4a5b6c', 'heading_2', { rich_text: title('Agenda'), is_toggleable: false, color: 'default' }),
                block('8c9a3d2b-1e4f-4a6b-8c7d-2f3e4a5b6c7d', 'to_do', { rich_text: title('Review Q3 numbers'), checked: true, color: 'default' }),
              ],
              null,
            ),
            type: 'block',
            block: {},
          },
        },
    },
    {
      method: 'PATCH',
      path: '/v1/blocks/:id/children',
      reply: (request) => {
        const versionProblem = checkVersion(request);
        if (versionProblem !== undefined) return versionProblem;
        const { children } = request.body as { children: { type: string; [key: string]: unknown }[] };
        const ids = ['9d0b4e3c-2f5a-4b7c-9d8e-3a4b5c6d7e8f', 'a1c2e3f4-3a6b-4c8d-ae9f-4b5c6d7e8f90'];
        return { json: { ...list(children.map((child, index) => block(ids[index] ?? `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, child.type, child[child.type])), null), type: 'block', block: {} } };
      },
    },
  ],
});

function checkVersion(request: RecordedRequest): EmulatorReply | undefined {
  const version = request.headers['notion-version'];
  if (version === undefined) return error(400, 'missing_version', 'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.');
  return version === NOTION_VERSION ? undefined : error(400, 'validation_error', `The Notion-Version ${version} is not supported by this emulator.`);
}
