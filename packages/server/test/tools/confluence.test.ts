/**
 * Every confluence_* tool against the Confluence emulator, through POST /api/v1/execute_tool. The
 * connection's api_config.base_url stands in for https://api.atlassian.com/ex/confluence/{{cloud_id}}.
 */
import { CONFLUENCE_TOKEN, confluenceEmulator } from '../emulators/confluence.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${CONFLUENCE_TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };

toolSuite({
  connector: 'confluence',
  emulator: confluenceEmulator,
  account: {
    oauth_token: {
      access_token: CONFLUENCE_TOKEN,
      scopes: ['read:confluence-content.all', 'write:confluence-content', 'read:confluence-space.summary', 'search:confluence', 'read:me', 'offline_access'],
    },
  },
  cases: [
    {
      tool: 'confluence_search',
      params: { cql: 'type = page AND text ~ "release"', limit: 1 },
      request: { method: 'GET', path: '/wiki/rest/api/search', query: { cql: 'type = page AND text ~ "release"', limit: '1' }, headers: auth },
      data: {
        results: [
          {
            id: '229477',
            type: 'page',
            title: 'Release runbook',
            excerpt: 'Steps to cut a @@@hl@@@release@@@endhl@@@ and roll back…',
            space: 'Engineering',
            url: '/spaces/ENG/pages/229477/Release+runbook',
            last_modified: '2024-04-02T15:30:00.000Z',
          },
        ],
        start: 0,
        size: 1,
        total_size: 3,
        base_url: 'https://acme.atlassian.net/wiki',
      },
    },
    {
      tool: 'confluence_get_page',
      params: { page_id: '229477' },
      request: { method: 'GET', path: '/wiki/api/v2/pages/229477', query: { 'body-format': 'storage' }, headers: auth },
      data: {
        id: '229477',
        title: 'Release runbook',
        status: 'current',
        space_id: '98304',
        parent_id: '98305',
        version: 7,
        author_id: '5b10ac8d82e05b22cc7d4ef5',
        created_at: '2024-03-01T10:00:00.000Z',
        updated_at: '2024-04-02T15:30:00.000Z',
        body: '<h2>Cut</h2><p>Tag the commit.</p>',
        webui: '/spaces/ENG/pages/229477/Release+runbook',
      },
    },
    {
      tool: 'confluence_create_page',
      params: { space_id: '98304', title: 'Q2 goals', body: '<h2>Goals</h2><p>Ship v2.</p>', parent_id: '98305' },
      request: {
        method: 'POST',
        path: '/wiki/api/v2/pages',
        headers: json,
        body: { spaceId: '98304', status: 'current', title: 'Q2 goals', parentId: '98305', body: { representation: 'storage', value: '<h2>Goals</h2><p>Ship v2.</p>' } },
      },
      data: { id: '229999', title: 'Q2 goals', status: 'current', space_id: '98304', parent_id: '98305', version: 1, webui: '/spaces/ENG/pages/229999/Q2+goals' },
    },
    {
      tool: 'confluence_update_page',
      params: { page_id: '229477', title: 'Release runbook', body: '<h2>Cut</h2><p>Tag and sign the commit.</p>', version_number: 8, version_message: 'Signing step' },
      request: {
        method: 'PUT',
        path: '/wiki/api/v2/pages/229477',
        headers: json,
        body: {
          id: '229477',
          status: 'current',
          title: 'Release runbook',
          body: { representation: 'storage', value: '<h2>Cut</h2><p>Tag and sign the commit.</p>' },
          version: { number: 8, message: 'Signing step' },
        },
      },
      data: { id: '229477', title: 'Release runbook', status: 'current', version: 8, updated_at: '2024-04-03T09:30:00.000Z', webui: '/spaces/ENG/pages/229477/Release+runbook' },
    },
    {
      tool: 'confluence_list_spaces',
      params: { limit: 2, type: 'global' },
      request: { method: 'GET', path: '/wiki/api/v2/spaces', query: { type: 'global', limit: '2' }, headers: auth },
      data: {
        spaces: [
          { id: '98304', key: 'ENG', name: 'Engineering', type: 'global', status: 'current', homepage_id: '98305', webui: '/spaces/ENG' },
          { id: '131073', key: '~5b10ac8d82e05b22cc7d4ef5', name: 'Ada Lovelace', type: 'personal', status: 'current', homepage_id: '131074', webui: '/spaces/~5b10ac8d82e05b22cc7d4ef5' },
        ],
        next_link: '/wiki/api/v2/spaces?cursor=eyJpZCI6OTgzMDUsInNwYWNlU29ydE9yZGVyIjp7ImZpZWxkIjoiSUQiLCJkaXJlY3Rpb24iOiJBU0NFTkRJTkcifX0=&limit=2',
      },
    },
    {
      tool: 'confluence_list_spaces',
      params: { keys: 'ENG,HR', cursor: 'eyJpZCI6OTgzMDV9' },
      request: { method: 'GET', path: '/wiki/api/v2/spaces', query: { keys: 'ENG,HR', limit: '25', cursor: 'eyJpZCI6OTgzMDV9' }, headers: auth },
      data: {
        spaces: [
          { id: '98304', key: 'ENG', name: 'Engineering', type: 'global', status: 'current', homepage_id: '98305', webui: '/spaces/ENG' },
          { id: '131073', key: '~5b10ac8d82e05b22cc7d4ef5', name: 'Ada Lovelace', type: 'personal', status: 'current', homepage_id: '131074', webui: '/spaces/~5b10ac8d82e05b22cc7d4ef5' },
        ],
        next_link: '/wiki/api/v2/spaces?cursor=eyJpZCI6OTgzMDUsInNwYWNlU29ydE9yZGVyIjp7ImZpZWxkIjoiSUQiLCJkaXJlY3Rpb24iOiJBU0NFTkRJTkcifX0=&limit=2',
      },
    },
    {
      tool: 'confluence_list_pages_in_space',
      params: { space_id: '98304', sort: '-modified-date' },
      request: { method: 'GET', path: '/wiki/api/v2/spaces/98304/pages', query: { sort: '-modified-date', limit: '25' }, headers: auth },
      data: {
        pages: [
          { id: '98305', title: 'Engineering Home', status: 'current', parent_id: null, version: 7, created_at: '2024-03-01T10:00:00.000Z', webui: '/spaces/ENG/pages/98305/Engineering+Home' },
          { id: '229477', title: 'Release runbook', status: 'current', parent_id: '98305', version: 7, created_at: '2024-03-01T10:00:00.000Z', webui: '/spaces/ENG/pages/229477/Release+runbook' },
        ],
      },
    },
  ],
});
