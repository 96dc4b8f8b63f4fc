/**
 * Jira Cloud platform REST API v3 (https://developer.atlassian.com/cloud/jira/platform/rest/v3/), as
 * reached through https://api.atlassian.com/ex/jira/{cloudId}: the endpoints the jira_* tools call.
 */
import { defineEmulator, type RecordedRequest } from '../helpers/emulator.ts';

export const JIRA_TOKEN = 'eyJraWQiOiJhdGxhc3NpYW4tZW11bGF0b3IiLCJhbGciOiJSUzI1NiJ9.jira.emulator';

const SITE = 'https://api.atlassian.com/ex/jira/11223344-a1b2-3b33-c444-def123456789';

const ada = {
  self: `${SITE}/rest/api/3/user?accountId=5b10ac8d82e05b22cc7d4ef5`,
  accountId: '5b10ac8d82e05b22cc7d4ef5',
  avatarUrls: { '48x48': 'https://avatar-management.services.atlassian.com/ada/48' },
  displayName: 'Ada Lovelace',
  active: true,
  timeZone: 'Europe/London',
  accountType: 'atlassian',
};
const grace = { ...ada, accountId: '712020:2f1c8a8e-5c1d-4e7e-9d58-0c6f2b9f1c11', displayName: 'Grace Hopper', timeZone: 'America/New_York' };

const statusInProgress = {
  self: `${SITE}/rest/api/3/status/3`,
  description: '',
  name: 'In Progress',
  id: '3',
  statusCategory: { self: `${SITE}/rest/api/3/statuscategory/4`, id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
};
const statusToDo = { ...statusInProgress, name: 'To Do', id: '10000', statusCategory: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' } };

const eng = { self: `${SITE}/rest/api/3/project/10000`, id: '10000', key: 'ENG', name: 'Engineering', projectTypeKey: 'software', simplified: false };

function adf(text: string) {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

const eng42 = {
  expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
  id: '10042',
  self: `${SITE}/rest/api/3/issue/10042`,
  key: 'ENG-42',
  fields: {
    summary: 'Login fails with SSO',
    status: statusInProgress,
    issuetype: { self: `${SITE}/rest/api/3/issuetype/10004`, id: '10004', name: 'Bug', subtask: false, hierarchyLevel: 0 },
    priority: { self: `${SITE}/rest/api/3/priority/2`, id: '2', name: 'High' },
    assignee: ada,
    reporter: grace,
    labels: ['auth', 'sso'],
    project: eng,
    parent: { id: '10001', key: 'ENG-1', fields: { summary: 'Auth epic' } },
    duedate: '2024-04-30',
    created: '2024-04-01T09:12:44.123+0000',
    updated: '2024-04-02T16:03:10.500+0000',
    description: adf('SSO login redirects back to the login page.'),
    comment: {
      comments: [
        {
          self: `${SITE}/rest/api/3/issue/10042/comment/10100`,
          id: '10100',
          author: grace,
          body: adf('Seen on Safari only.'),
          updateAuthor: grace,
          created: '2024-04-01T10:00:00.000+0000',
          updated: '2024-04-01T10:00:00.000+0000',
          jsdPublic: true,
        },
      ],
      self: `${SITE}/rest/api/3/issue/10042/comment`,
      maxResults: 1,
      total: 1,
      startAt: 0,
    },
  },
};

const eng43 = {
  id: '10043',
  self: `${SITE}/rest/api/3/issue/10043`,
  key: 'ENG-43',
  fields: {
    summary: 'Write the release notes',
    status: statusToDo,
    issuetype: { id: '10001', name: 'Task', subtask: false },
    priority: { id: '3', name: 'Medium' },
    assignee: null,
    reporter: ada,
    labels: [],
    project: eng,
    created: '2024-04-02T08:00:00.000+0000',
    updated: '2024-04-02T08:00:00.000+0000',
  },
};

const issueNotFound = { status: 404, json: { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} } };
const knownIssue = (request: RecordedRequest) => request.params['key'] === 'ENG-42' || request.params['key'] === '10042';

export const jiraEmulator = defineEmulator({
  name: 'jira',
  authorized: (request) => request.headers['authorization'] === `Bearer ${JIRA_TOKEN}`,
  unauthorized: { status: 401, json: { code: 401, message: 'Unauthorized' } },
  routes: [
    {
      method: 'POST',
      path: '/rest/api/3/search/jql',
      reply: (request) => {
        const body = request.body as { jql?: string; nextPageToken?: string };
        if (body.jql === undefined || /^\s*order by/i.test(body.jql)) {
          return { status: 400, json: { errorMessages: ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'], errors: {} } };
        }
        if (body.nextPageToken !== undefined) return { json: { issues: [eng43], isLast: true } };
        return { json: { issues: [{ ...eng42, fields: { ...eng42.fields, description: undefined, comment: undefined, parent: undefined, duedate: undefined } }], nextPageToken: 'CAEaAggD', isLast: false } };
      },
    },
    { method: 'GET', path: '/rest/api/3/issue/:key', reply: (request) => (knownIssue(request) ? { json: eng42 } : issueNotFound) },
    {
      method: 'POST',
      path: '/rest/api/3/issue',
      reply: (request) => {
        const fields = (request.body as { fields?: { summary?: string; project?: { key?: string } } }).fields;
        if (fields?.summary === undefined) return { status: 400, json: { errorMessages: [], errors: { summary: 'You must specify a summary of the issue.' } } };
        if (fields.project?.key !== 'ENG') return { status: 400, json: { errorMessages: [], errors: { project: 'valid project is required' } } };
        return { status: 201, json: { id: '10044', key: 'ENG-44', self: `${SITE}/rest/api/3/issue/10044` } };
      },
    },
    {
      method: 'POST',
      path: '/rest/api/3/issue/:key/comment',
      reply: (request) =>
        knownIssue(request)
          ? {
              status: 201,
              json: {
                self: `${SITE}/rest/api/3/issue/10042/comment/10101`,
                id: '10101',
                author: ada,
                body: (request.body as { body?: unknown }).body,
                updateAuthor: ada,
                created: '2024-04-03T11:00:00.000+0000',
                updated: '2024-04-03T11:00:00.000+0000',
                jsdPublic: true,
              },
            }
          : issueNotFound,
    },
    {
      method: 'GET',
      path: '/rest/api/3/project/search',
      reply: (request) => ({
        json: {
          self: `${SITE}/rest/api/3/project/search?maxResults=${String(request.query['maxResults'] ?? '50')}&startAt=0`,
          maxResults: Number(request.query['maxResults'] ?? '50'),
          startAt: Number(request.query['startAt'] ?? '0'),
          total: 2,
          isLast: true,
          values: [
            { expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight', ...eng, avatarUrls: {}, style: 'classic', isPrivate: false, properties: {} },
            { self: `${SITE}/rest/api/3/project/10001`, id: '10001', key: 'MKT', name: 'Marketing', projectTypeKey: 'business', simplified: true, style: 'next-gen', isPrivate: false },
          ],
        },
      }),
    },
    {
      method: 'GET',
      path: '/rest/api/3/issue/:key/transitions',
      reply: (request) =>
        knownIssue(request)
          ? {
              json: {
                expand: 'transitions',
                transitions: [
                  { id: '11', name: 'To Do', to: statusToDo, hasScreen: false, isGlobal: true, isInitial: false, isAvailable: true, isConditional: false, isLooped: false },
                  {
                    id: '31',
                    name: 'Done',
                    to: { ...statusInProgress, name: 'Done', id: '10002', statusCategory: { id: 3, key: 'done', colorName: 'green', name: 'Done' } },
                    hasScreen: true,
                    isGlobal: true,
                    isInitial: false,
                    isAvailable: true,
                    isConditional: false,
                    isLooped: false,
                  },
                ],
              },
            }
          : issueNotFound,
    },
    {
      method: 'POST',
      path: '/rest/api/3/issue/:key/transitions',
      reply: (request) => {
        if (!knownIssue(request)) return issueNotFound;
        const id = (request.body as { transition?: { id?: string } }).transition?.id;
        return id === '11' || id === '31' ? { status: 204 } : { status: 400, json: { errorMessages: [`Transition id '${String(id)}' is not valid for this issue.`], errors: {} } };
      },
    },
  ],
});
