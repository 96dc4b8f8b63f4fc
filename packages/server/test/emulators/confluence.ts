/**
 * Confluence Cloud REST API (https://developer.atlassian.com/cloud/confluence/rest/v2/ and v1 search),
 * as reached through https://api.atlassian.com/ex/confluence/{cloudId}: the endpoints the
 * confluence_* tools call.
 */
import { defineEmulator, type RecordedRequest } from '../helpers/emulator.ts';

export const CONFLUENCE_TOKEN = 'eyJraWQiOiJhdGxhc3NpYW4tZW11bGF0b3IiLCJhbGciOiJSUzI1NiJ9.confluence.emulator';

const BASE = 'https://acme.atlassian.net/wiki';

function page(id: string, title: string, extra: Record<string, unknown> = {}) {
  return {
    parentType: 'page',
    parentId: '98305',
    spaceId: '98304',
    ownerId: '5b10ac8d82e05b22cc7d4ef5',
    lastOwnerId: null,
    createdAt: '2024-03-01T10:00:00.000Z',
    authorId: '5b10ac8d82e05b22cc7d4ef5',
    position: 4521,
    version: { number: 7, message: 'Clarified rollback', minorEdit: false, authorId: '5b10ac8d82e05b22cc7d4ef5', createdAt: '2024-04-02T15:30:00.000Z' },
    title,
    status: 'current',
    id,
    _links: { editui: `/pages/resumedraft.action?draftId=${id}`, webui: `/spaces/ENG/pages/${id}/${title.replace(/ /g, '+')}`, edituiv2: `/spaces/ENG/pages/edit-v2/${id}`, tinyui: '/x/AQAB' },
    ...extra,
  };
}

const notFound = { status: 404, json: { errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }] } };
const knownSpace = (request: RecordedRequest) => request.params['id'] === '98304';

export const confluenceEmulator = defineEmulator({
  name: 'confluence',
  authorized: (request) => request.headers['authorization'] === `Bearer ${CONFLUENCE_TOKEN}`,
  unauthorized: { status: 401, json: { code: 401, message: 'Unauthorized' } },
  routes: [
    {
      method: 'GET',
      path: '/wiki/rest/api/search',
      reply: (request) => ({
        json: {
          results: [
            {
              content: {
                id: '229477',
                type: 'page',
                status: 'current',
                title: 'Release runbook',
                childTypes: {},
                macroRenderedOutput: {},
                restrictions: {},
                _expandable: { container: '', metadata: '', extensions: '', operations: '', children: '', history: '/rest/api/content/229477/history', ancestors: '', body: '', version: '', descendants: '', space: '/rest/api/space/ENG' },
                _links: { webui: '/spaces/ENG/pages/229477/Release+runbook', self: `${BASE}/rest/api/content/229477`, tinyui: '/x/ZYAD' },
              },
              title: '@@@hl@@@Release@@@endhl@@@ runbook',
              excerpt: 'Steps to cut a @@@hl@@@release@@@endhl@@@ and roll back…',
              url: '/spaces/ENG/pages/229477/Release+runbook',
              resultGlobalContainer: { title: 'Engineering', displayUrl: '/spaces/ENG' },
              breadcrumbs: [],
              entityType: 'content',
              iconCssClass: 'aui-icon content-type-page',
              lastModified: '2024-04-02T15:30:00.000Z',
              friendlyLastModified: 'Apr 02, 2024',
              score: 0,
            },
          ],
          start: Number(request.query['start'] ?? '0'),
          limit: Number(request.query['limit'] ?? '25'),
          size: 1,
          totalSize: 3,
          cqlQuery: request.query['cql'],
          searchDuration: 42,
          _links: {
            base: BASE,
            context: '/wiki',
            next: '/rest/api/search?next=true&cursor=_f_MjU%3D_sa_WyJcdDIyOTQ3NyJd&limit=1&start=1&cql=type+%3D+page',
            self: `${BASE}/rest/api/search`,
          },
        },
      }),
    },
    {
      method: 'GET',
      path: '/wiki/api/v2/pages/:id',
      reply: (request) =>
        request.params['id'] === '229477'
          ? { json: page('229477', 'Release runbook', { body: { storage: { representation: 'storage', value: '<h2>Cut</h2><p>Tag the commit.</p>' } } }) }
          : notFound,
    },
    {
      method: 'POST',
      path: '/wiki/api/v2/pages',
      reply: (request) => {
        const body = request.body as { spaceId?: string; title?: string; parentId?: string; status?: string; body?: { value?: string } };
        if (body.spaceId !== '98304') return { status: 400, json: { errors: [{ status: 400, code: 'INVALID_REQUEST_PARAMETER', title: 'Provided value {spaceId} for spaceId is not the correct type.', detail: null }] } };
        return {
          json: page('229999', body.title ?? '', {
            parentId: body.parentId ?? '98305',
            status: body.status ?? 'current',
            createdAt: '2024-04-03T09:00:00.000Z',
            version: { number: 1, message: '', minorEdit: false, authorId: '5b10ac8d82e05b22cc7d4ef5', createdAt: '2024-04-03T09:00:00.000Z' },
            body: { storage: { representation: 'storage', value: body.body?.value } },
          }),
        };
      },
    },
    {
      method: 'PUT',
      path: '/wiki/api/v2/pages/:id',
      reply: (request) => {
        const body = request.body as { title?: string; version?: { number?: number; message?: string } };
        if (request.params['id'] !== '229477') return notFound;
        if (body.version?.number !== 8) return { status: 409, json: { errors: [{ status: 409, code: 'CONFLICT', title: 'Version must be incremented when updating a page. Current Version: [7]. Provided version: [' + String(body.version?.number) + ']', detail: null }] } };
        return { json: page('229477', body.title ?? '', { version: { number: 8, message: body.version.message ?? '', minorEdit: false, authorId: '5b10ac8d82e05b22cc7d4ef5', createdAt: '2024-04-03T09:30:00.000Z' } }) };
      },
    },
    {
      method: 'GET',
      path: '/wiki/api/v2/spaces',
      reply: () => ({
        headers: { link: '</wiki/api/v2/spaces?cursor=eyJpZCI6OTgzMDUsInNwYWNlU29ydE9yZGVyIjp7ImZpZWxkIjoiSUQiLCJkaXJlY3Rpb24iOiJBU0NFTkRJTkcifX0=&limit=2>; rel="next", <https://acme.atlassian.net/wiki>; rel="base"' },
        json: {
          results: [
            {
              id: '98304',
              key: 'ENG',
              name: 'Engineering',
              type: 'global',
              status: 'current',
              authorId: '5b10ac8d82e05b22cc7d4ef5',
              createdAt: '2021-06-01T08:00:00.000Z',
              homepageId: '98305',
              spaceOwnerId: '5b10ac8d82e05b22cc7d4ef5',
              currentActiveAlias: 'ENG',
              description: null,
              icon: null,
              _links: { webui: '/spaces/ENG' },
            },
            { id: '131073', key: '~5b10ac8d82e05b22cc7d4ef5', name: 'Ada Lovelace', type: 'personal', status: 'current', authorId: '5b10ac8d82e05b22cc7d4ef5', createdAt: '2021-06-02T08:00:00.000Z', homepageId: '131074', description: null, icon: null, _links: { webui: '/spaces/~5b10ac8d82e05b22cc7d4ef5' } },
          ],
          _links: { next: '/wiki/api/v2/spaces?cursor=eyJpZCI6OTgzMDUsInNwYWNlU29ydE9yZGVyIjp7ImZpZWxkIjoiSUQiLCJkaXJlY3Rpb24iOiJBU0NFTkRJTkcifX0=&limit=2', base: 'https://acme.atlassian.net/wiki' },
        },
      }),
    },
    {
      method: 'GET',
      path: '/wiki/api/v2/spaces/:id/pages',
      reply: (request) => (knownSpace(request) ? { json: { results: [page('98305', 'Engineering Home', { parentId: null, parentType: null }), page('229477', 'Release runbook')], _links: { base: 'https://acme.atlassian.net/wiki' } } } : notFound),
    },
  ],
});
