/**
 * Every jira_* tool against the Jira emulator, through POST /api/v1/execute_tool. The connector's
 * base is https://api.atlassian.com/ex/jira/{{cloud_id}}; the connection's api_config.base_url
 * points it at the emulator, so recorded paths start at /rest/api/3.
 */
import { JIRA_TOKEN, jiraEmulator } from '../emulators/jira.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${JIRA_TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };
const searchFields = ['summary', 'status', 'issuetype', 'priority', 'assignee', 'reporter', 'labels', 'project', 'created', 'updated'];
const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

toolSuite({
  connector: 'jira',
  emulator: jiraEmulator,
  account: { oauth_token: { access_token: JIRA_TOKEN, scopes: ['read:jira-work', 'write:jira-work', 'read:jira-user', 'read:me', 'offline_access'] } },
  cases: [
    {
      tool: 'jira_search_issues',
      params: { jql: 'project = ENG AND statusCategory != Done ORDER BY updated DESC' },
      request: {
        method: 'POST',
        path: '/rest/api/3/search/jql',
        headers: json,
        body: { jql: 'project = ENG AND statusCategory != Done ORDER BY updated DESC', maxResults: 25, fields: searchFields },
      },
      data: {
        issues: [
          {
            key: 'ENG-42',
            id: '10042',
            summary: 'Login fails with SSO',
            status: 'In Progress',
            status_category: 'indeterminate',
            issue_type: 'Bug',
            priority: 'High',
            assignee: 'Ada Lovelace',
            assignee_account_id: '5b10ac8d82e05b22cc7d4ef5',
            reporter: 'Grace Hopper',
            labels: ['auth', 'sso'],
            project: 'ENG',
            created: '2024-04-01T09:12:44.123+0000',
            updated: '2024-04-02T16:03:10.500+0000',
          },
        ],
        is_last: false,
        next_page_token: 'CAEaAggD',
      },
    },
    {
      // The second page: an unassigned issue has no assignee keys, and the last page has no token.
      tool: 'jira_search_issues',
      params: { jql: 'project = ENG', max_results: 1, next_page_token: 'CAEaAggD' },
      request: { method: 'POST', path: '/rest/api/3/search/jql', headers: json, body: { jql: 'project = ENG', maxResults: 1, nextPageToken: 'CAEaAggD', fields: searchFields } },
      data: {
        issues: [
          {
            key: 'ENG-43',
            id: '10043',
            summary: 'Write the release notes',
            status: 'To Do',
            status_category: 'new',
            issue_type: 'Task',
            priority: 'Medium',
            reporter: 'Ada Lovelace',
            labels: [],
            project: 'ENG',
            created: '2024-04-02T08:00:00.000+0000',
            updated: '2024-04-02T08:00:00.000+0000',
          },
        ],
        is_last: true,
      },
    },
    {
      tool: 'jira_get_issue',
      params: { issue_key: 'ENG-42' },
      request: {
        method: 'GET',
        path: '/rest/api/3/issue/ENG-42',
        query: { fields: 'summary,status,issuetype,priority,assignee,reporter,labels,project,parent,duedate,created,updated,description,comment' },
        headers: auth,
      },
      data: {
        key: 'ENG-42',
        id: '10042',
        summary: 'Login fails with SSO',
        status: 'In Progress',
        status_category: 'indeterminate',
        issue_type: 'Bug',
        priority: 'High',
        assignee: 'Ada Lovelace',
        assignee_account_id: '5b10ac8d82e05b22cc7d4ef5',
        reporter: 'Grace Hopper',
        labels: ['auth', 'sso'],
        project: 'ENG',
        parent: 'ENG-1',
        due_date: '2024-04-30',
        created: '2024-04-01T09:12:44.123+0000',
        updated: '2024-04-02T16:03:10.500+0000',
        description: adf('SSO login redirects back to the login page.'),
        comments: [{ id: '10100', author: 'Grace Hopper', body: adf('Seen on Safari only.'), created: '2024-04-01T10:00:00.000+0000' }],
        comment_total: 1,
      },
    },
    {
      tool: 'jira_create_issue',
      params: { project_key: 'ENG', summary: 'Rotate signing keys', description: 'Keys expire on May 1.' },
      request: {
        method: 'POST',
        path: '/rest/api/3/issue',
        headers: json,
        body: { fields: { project: { key: 'ENG' }, summary: 'Rotate signing keys', issuetype: { name: 'Task' }, description: adf('Keys expire on May 1.') } },
      },
      data: { key: 'ENG-44', id: '10044', self: 'https://api.atlassian.com/ex/jira/11223344-a1b2-3b33-c444-def123456789/rest/api/3/issue/10044' },
    },
    {
      tool: 'jira_create_issue',
      params: {
        project_key: 'ENG',
        summary: 'Safari SSO redirect loop',
        description: 'Happens after the cookie change.',
        issue_type: 'Bug',
        priority: 'High',
        labels: ['auth', 'safari'],
        assignee_account_id: '5b10ac8d82e05b22cc7d4ef5',
        parent_key: 'ENG-1',
        due_date: '2024-04-30',
      },
      request: {
        method: 'POST',
        path: '/rest/api/3/issue',
        headers: json,
        body: {
          fields: {
            project: { key: 'ENG' },
            summary: 'Safari SSO redirect loop',
            issuetype: { name: 'Bug' },
            description: adf('Happens after the cookie change.'),
            priority: { name: 'High' },
            labels: ['auth', 'safari'],
            assignee: { accountId: '5b10ac8d82e05b22cc7d4ef5' },
            parent: { key: 'ENG-1' },
            duedate: '2024-04-30',
          },
        },
      },
      data: { key: 'ENG-44', id: '10044', self: 'https://api.atlassian.com/ex/jira/11223344-a1b2-3b33-c444-def123456789/rest/api/3/issue/10044' },
    },
    {
      tool: 'jira_add_comment',
      params: { issue_key: 'ENG-42', body: 'Fixed by the cookie SameSite change.' },
      request: { method: 'POST', path: '/rest/api/3/issue/ENG-42/comment', headers: json, body: { body: adf('Fixed by the cookie SameSite change.') } },
      data: { id: '10101', author: 'Ada Lovelace', created: '2024-04-03T11:00:00.000+0000' },
    },
    {
      tool: 'jira_list_projects',
      params: { query: 'e', start_at: 0 },
      request: { method: 'GET', path: '/rest/api/3/project/search', query: { query: 'e', maxResults: '50', startAt: '0' }, headers: auth },
      data: {
        projects: [
          { key: 'ENG', id: '10000', name: 'Engineering', type: 'software', style: 'classic' },
          { key: 'MKT', id: '10001', name: 'Marketing', type: 'business', style: 'next-gen' },
        ],
        start_at: 0,
        max_results: 50,
        total: 2,
        is_last: true,
      },
    },
    {
      tool: 'jira_list_transitions',
      params: { issue_key: 'ENG-42' },
      request: { method: 'GET', path: '/rest/api/3/issue/ENG-42/transitions', headers: auth },
      data: {
        transitions: [
          { id: '11', name: 'To Do', to_status: 'To Do', to_status_category: 'new', has_screen: false },
          { id: '31', name: 'Done', to_status: 'Done', to_status_category: 'done', has_screen: true },
        ],
      },
    },
    {
      tool: 'jira_transition_issue',
      params: { issue_key: 'ENG-42', transition_id: '31' },
      request: { method: 'POST', path: '/rest/api/3/issue/ENG-42/transitions', headers: json, body: { transition: { id: '31' } } },
      data: { transitioned: true },
    },
  ],
});
