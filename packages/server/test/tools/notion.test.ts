/** Every notion_* tool against the Notion emulator, through POST /api/v1/execute_tool. */
import { DATABASE_ID, NOTION_TOKEN, NOTION_VERSION, PAGE_ID, ROW_ID, notionEmulator } from '../emulators/notion.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${NOTION_TOKEN}`, 'notion-version': NOTION_VERSION };
const json = { ...auth, 'content-type': 'application/json' };

const richText = (text: string) => [
  { type: 'text', text: { content: text, link: null }, annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' }, plain_text: text, href: null },
];
const USER = { object: 'user', id: 'ee5f0f84-409a-440f-983a-a5315961c6e4' };

const pageResult = {
  object: 'page',
  id: PAGE_ID,
  url: 'https://www.notion.so/Meeting-notes-598337872cf94fdf8782e53db20768a5',
  title: 'Meeting notes',
  parent: { type: 'workspace', workspace: true },
  created_time: '2024-03-01T10:00:00.000Z',
  last_edited_time: '2024-05-02T08:30:00.000Z',
  archived: false,
};
const databaseResult = {
  object: 'database',
  id: DATABASE_ID,
  url: 'https://www.notion.so/d9824bdc84454327be8b5b47500af6ce',
  database_title: 'Engineering tasks',
  parent: { type: 'page_id', page_id: PAGE_ID },
  created_time: '2024-01-05T08:00:00.000Z',
  last_edited_time: '2024-05-20T09:15:00.000Z',
  archived: false,
};
const rowProperties = {
  Name: { id: 'title', type: 'title', title: richText('Fix login') },
  Status: { id: 'Ql%5EN', type: 'status', status: { id: '1', name: 'In progress', color: 'blue' } },
  Due: { id: 'M%3BBw', type: 'date', date: { start: '2025-06-15', end: null, time_zone: null } },
};

toolSuite({
  connector: 'notion',
  emulator: notionEmulator,
  account: { oauth_token: { access_token: NOTION_TOKEN } },
  cases: [
    {
      tool: 'notion_search',
      params: { query: 'notes' },
      request: { method: 'POST', path: '/v1/search', headers: json, body: { query: 'notes', page_size: 20 } },
      data: { results: [pageResult, databaseResult], has_more: true, next_cursor: ROW_ID },
    },
    {
      tool: 'notion_search',
      params: { filter: { property: 'object', value: 'database' }, sort: { timestamp: 'last_edited_time', direction: 'descending' }, page_size: 5 },
      request: {
        method: 'POST',
        path: '/v1/search',
        headers: json,
        body: { filter: { property: 'object', value: 'database' }, sort: { timestamp: 'last_edited_time', direction: 'descending' }, page_size: 5 },
      },
      data: { results: [databaseResult], has_more: false },
    },
    {
      tool: 'notion_search',
      params: { start_cursor: ROW_ID },
      request: { method: 'POST', path: '/v1/search', headers: json, body: { page_size: 20, start_cursor: ROW_ID } },
      data: {
        results: [
          {
            object: 'page',
            id: ROW_ID,
            url: 'https://www.notion.so/Fix-login-6a1f0e3c2b7d4c1e9f3a8d2e5b4c7a10',
            name: 'Fix login',
            parent: { type: 'database_id', database_id: DATABASE_ID },
            created_time: '2024-04-10T12:00:00.000Z',
            last_edited_time: '2024-05-20T09:15:00.000Z',
            archived: false,
          },
        ],
        has_more: false,
      },
    },
    {
      tool: 'notion_get_page',
      params: { page_id: '598337872cf94fdf8782e53db20768a5' },
      request: { method: 'GET', path: '/v1/pages/598337872cf94fdf8782e53db20768a5', headers: auth },
      data: {
        id: PAGE_ID,
        url: 'https://www.notion.so/Meeting-notes-598337872cf94fdf8782e53db20768a5',
        parent: { type: 'workspace', workspace: true },
        icon: { type: 'emoji', emoji: '📝' },
        created_time: '2024-03-01T10:00:00.000Z',
        last_edited_time: '2024-05-02T08:30:00.000Z',
        archived: false,
        properties: { title: { id: 'title', type: 'title', title: richText('Meeting notes') } },
      },
    },
    {
      tool: 'notion_create_page',
      params: {
        parent_page_id: PAGE_ID,
        properties: { title: { title: [{ text: { content: 'Retro 2024-06-05' } }] } },
        children: [
          { object: 'block', type: 'heading_2', heading_2: { rich_text: [{ type: 'text', text: { content: 'What went well' } }] } },
          { object: 'block', type: 'bulleted_list_item', bulleted_list_item: { rich_text: [{ type: 'text', text: { content: 'Shipped on time' } }] } },
        ],
      },
      request: {
        method: 'POST',
        path: '/v1/pages',
        headers: json,
        body: {
          parent: { page_id: PAGE_ID },
          properties: { title: { title: [{ text: { content: 'Retro 2024-06-05' } }] } },
          children: [
            { object: 'block', type: 'heading_2', heading_2: { rich_text: [{ type: 'text', text: { content: 'What went well' } }] } },
            { object: 'block', type: 'bulleted_list_item', bulleted_list_item: { rich_text: [{ type: 'text', text: { content: 'Shipped on time' } }] } },
          ],
        },
      },
      data: {
        id: 'b55c9c91-384d-452b-81db-d1ef79372b75',
        url: 'https://www.notion.so/b55c9c91384d452b81dbd1ef79372b75',
        created_time: '2024-06-05T11:00:00.000Z',
        parent: { type: 'page_id', page_id: PAGE_ID },
      },
    },
    {
      tool: 'notion_create_page',
      params: {
        parent_database_id: 'd9824bdc84454327be8b5b47500af6ce',
        properties: { Name: { title: [{ text: { content: 'Fix signup' } }] }, Status: { status: { name: 'Not started' } }, Due: { date: { start: '2025-07-01' } } },
      },
      request: {
        method: 'POST',
        path: '/v1/pages',
        headers: json,
        body: {
          parent: { database_id: 'd9824bdc84454327be8b5b47500af6ce' },
          properties: { Name: { title: [{ text: { content: 'Fix signup' } }] }, Status: { status: { name: 'Not started' } }, Due: { date: { start: '2025-07-01' } } },
        },
      },
      data: {
        id: 'b55c9c91-384d-452b-81db-d1ef79372b75',
        url: 'https://www.notion.so/b55c9c91384d452b81dbd1ef79372b75',
        created_time: '2024-06-05T11:00:00.000Z',
        parent: { type: 'database_id', database_id: DATABASE_ID },
      },
    },
    {
      tool: 'notion_update_page',
      params: { page_id: ROW_ID, properties: { Status: { status: { name: 'Done' } } } },
      request: { method: 'PATCH', path: `/v1/pages/${ROW_ID}`, headers: json, body: { properties: { Status: { status: { name: 'Done' } } } } },
      data: {
        id: ROW_ID,
        url: 'https://www.notion.so/Fix-login-6a1f0e3c2b7d4c1e9f3a8d2e5b4c7a10',
        last_edited_time: '2024-06-06T07:45:00.000Z',
        archived: false,
        properties: { ...rowProperties, Status: { status: { name: 'Done' } } },
      },
    },
    {
      tool: 'notion_update_page',
      params: { page_id: ROW_ID, archived: true },
      request: { method: 'PATCH', path: `/v1/pages/${ROW_ID}`, headers: json, body: { archived: true } },
      data: { id: ROW_ID, url: 'https://www.notion.so/Fix-login-6a1f0e3c2b7d4c1e9f3a8d2e5b4c7a10', last_edited_time: '2024-06-06T07:45:00.000Z', archived: true, properties: rowProperties },
    },
    {
      tool: 'notion_query_database',
      params: {
        database_id: DATABASE_ID,
        filter: { and: [{ property: 'Status', status: { equals: 'In progress' } }, { property: 'Due', date: { before: '2025-07-01' } }] },
        sorts: [{ property: 'Due', direction: 'ascending' }],
        page_size: 1,
      },
      request: {
        method: 'POST',
        path: `/v1/databases/${DATABASE_ID}/query`,
        headers: json,
        body: {
          filter: { and: [{ property: 'Status', status: { equals: 'In progress' } }, { property: 'Due', date: { before: '2025-07-01' } }] },
          sorts: [{ property: 'Due', direction: 'ascending' }],
          page_size: 1,
        },
      },
      data: {
        pages: [{ id: ROW_ID, url: 'https://www.notion.so/Fix-login-6a1f0e3c2b7d4c1e9f3a8d2e5b4c7a10', created_time: '2024-04-10T12:00:00.000Z', last_edited_time: '2024-05-20T09:15:00.000Z', properties: rowProperties }],
        has_more: true,
        next_cursor: 'e6c6f4c8-1d8b-4c8b-9a47-2a6a3f9b1c22',
      },
    },
    {
      tool: 'notion_query_database',
      params: { database_id: DATABASE_ID, start_cursor: 'e6c6f4c8-1d8b-4c8b-9a47-2a6a3f9b1c22' },
      request: { method: 'POST', path: `/v1/databases/${DATABASE_ID}/query`, headers: json, body: { page_size: 20, start_cursor: 'e6c6f4c8-1d8b-4c8b-9a47-2a6a3f9b1c22' } },
      data: { pages: [], has_more: false },
    },
    {
      tool: 'notion_get_block_children',
      params: { block_id: PAGE_ID },
      request: { method: 'GET', path: `/v1/blocks/${PAGE_ID}/children`, query: { page_size: '50' }, headers: auth },
      data: {
        blocks: [
          {
            object: 'block',
            id: '7b8f2c1a-0d3e-4f5a-9b6c-1e2d3f4a5b6c',
            parent: { type: 'page_id', page_id: PAGE_ID },
            created_time: '2024-03-01T10:01:00.000Z',
            last_edited_time: '2024-03-01T10:01:00.000Z',
            created_by: USER,
            last_edited_by: USER,
            has_children: false,
            archived: false,
            type: 'heading_2',
            heading_2: { rich_text: richText('Agenda'), is_toggleable: false, color: 'default' },
          },
          {
            object: 'block',
            id: '8c9a3d2b-1e4f-4a6b-8c7d-2f3e4a5b6c7d',
            parent: { type: 'page_id', page_id: PAGE_ID },
            created_time: '2024-03-01T10:01:00.000Z',
            last_edited_time: '2024-03-01T10:01:00.000Z',
            created_by: USER,
            last_edited_by: USER,
            has_children: false,
            archived: false,
            type: 'to_do',
            to_do: { rich_text: richText('Review Q3 numbers'), checked: true, color: 'default' },
          },
        ],
        has_more: false,
      },
    },
    {
      tool: 'notion_append_block_children',
      params: {
        block_id: PAGE_ID,
        children: [
          { object: 'block', type: 'heading_2', heading_2: { rich_text: [{ type: 'text', text: { content: 'Next steps' } }] } },
          { object: 'block', type: 'to_do', to_do: { rich_text: [{ type: 'text', text: { content: 'Send the proposal' } }], checked: false } },
        ],
        after: '7b8f2c1a-0d3e-4f5a-9b6c-1e2d3f4a5b6c',
      },
      request: {
        method: 'PATCH',
        path: `/v1/blocks/${PAGE_ID}/children`,
        headers: json,
        body: {
          children: [
            { object: 'block', type: 'heading_2', heading_2: { rich_text: [{ type: 'text', text: { content: 'Next steps' } }] } },
            { object: 'block', type: 'to_do', to_do: { rich_text: [{ type: 'text', text: { content: 'Send the proposal' } }], checked: false } },
          ],
          after: '7b8f2c1a-0d3e-4f5a-9b6c-1e2d3f4a5b6c',
        },
      },
      data: {
        blocks: [
          { id: '9d0b4e3c-2f5a-4b7c-9d8e-3a4b5c6d7e8f', type: 'heading_2', has_children: false },
          { id: 'a1c2e3f4-3a6b-4c8d-ae9f-4b5c6d7e8f90', type: 'to_do', has_children: false },
        ],
      },
    },
  ],
});
