/**
 * Every linear_* tool against the Linear GraphQL emulator, through POST /api/v1/execute_tool. Each
 * case asserts the exact GraphQL body: the tool's query document and the variables built from the
 * parameters (left-out filters disappear instead of being sent as null).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { BACKENDS, type TestGateway } from '../helpers/test-gateway.ts';
import { LINEAR_TOKEN, linearEmulator } from '../emulators/linear.ts';
import { startToolAccount, toolSuite, type ToolAccount } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${LINEAR_TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };

const file = JSON.parse(readFileSync(new URL('../../catalog/tools/linear.json', import.meta.url), 'utf8')) as { tools: { name: string; request: { body: { query: string } } }[] };
function query(tool: string): string {
  const found = file.tools.find((t) => t.name === tool);
  if (found === undefined) throw new Error(`no tool ${tool}`);
  return found.request.body.query;
}

const ENG_ID = '9cfb482a-81e3-4154-b5b9-2c805e70a02d';
const ADA_ID = 'a8b0f1c2-3d4e-4f50-8a6b-7c8d9e0f1a2b';

const listedIssues = [
  {
    id: 'b7f1e4a2-0c3d-4e5f-9a8b-1c2d3e4f5a6b',
    identifier: 'ENG-123',
    title: 'Crash when exporting CSV',
    state: 'In Progress',
    state_type: 'started',
    priority: 2,
    priority_label: 'High',
    assignee: 'Ada Lovelace',
    assignee_id: ADA_ID,
    team: 'ENG',
    project: 'Q2 Reliability',
    labels: ['Bug', 'Export'],
    due_date: '2024-04-30',
    url: 'https://linear.app/acme/issue/ENG-123/crash-when-exporting-csv',
    created_at: '2024-04-01T09:00:00.000Z',
    updated_at: '2024-04-02T14:00:00.000Z',
  },
  {
    id: 'c8a2f5b3-1d4e-4f6a-8b9c-2d3e4f5a6b7c',
    identifier: 'ENG-124',
    title: 'Flaky login test',
    state: 'Backlog',
    state_type: 'backlog',
    priority: 0,
    priority_label: 'No priority',
    team: 'ENG',
    labels: [],
    due_date: null,
    url: 'https://linear.app/acme/issue/ENG-124/flaky-login-test',
    created_at: '2024-03-30T09:00:00.000Z',
    updated_at: '2024-04-01T08:00:00.000Z',
  },
];

toolSuite({
  connector: 'linear',
  emulator: linearEmulator,
  account: { oauth_token: { access_token: LINEAR_TOKEN, scopes: ['read', 'write'] } },
  cases: [
    {
      tool: 'linear_get_viewer',
      params: {},
      request: { method: 'POST', path: '/graphql', headers: json, body: { query: query('linear_get_viewer') } },
      data: { id: ADA_ID, name: 'Ada Lovelace', display_name: 'ada', email: 'ada@acme.dev', admin: true, organization: 'Acme', organization_url_key: 'acme' },
    },
    {
      tool: 'linear_list_teams',
      params: {},
      request: { method: 'POST', path: '/graphql', headers: json, body: { query: query('linear_list_teams'), variables: { first: 50 } } },
      data: {
        teams: [
          { id: ENG_ID, key: 'ENG', name: 'Engineering', description: 'Product engineering', private: false },
          { id: '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a', key: 'DES', name: 'Design', description: null, private: true },
        ],
        has_next_page: true,
        next_cursor: '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a',
      },
    },
    {
      // The last page: endCursor is null, so next_cursor is null rather than absent.
      tool: 'linear_list_teams',
      params: { first: 2, after: '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a' },
      request: { method: 'POST', path: '/graphql', headers: json, body: { query: query('linear_list_teams'), variables: { first: 2, after: '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a' } } },
      data: { teams: [], has_next_page: false },
    },
    {
      tool: 'linear_list_workflow_states',
      params: { team_key: 'ENG' },
      request: { method: 'POST', path: '/graphql', headers: json, body: { query: query('linear_list_workflow_states'), variables: { first: 100, filter: { team: { key: { eq: 'ENG' } } } } } },
      data: {
        states: [
          { id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', name: 'Backlog', type: 'backlog', position: 0, team: 'ENG' },
          { id: '5e1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d', name: 'In Progress', type: 'started', position: 2, team: 'ENG' },
          { id: '7f8e9d0c-1b2a-4c3d-9e4f-5a6b7c8d9e0f', name: 'Done', type: 'completed', position: 3, team: 'ENG' },
        ],
      },
    },
    {
      // No filter parameters: the whole filter variable is left out.
      tool: 'linear_list_issues',
      params: {},
      request: { method: 'POST', path: '/graphql', headers: json, body: { query: query('linear_list_issues'), variables: { first: 25 } } },
      data: { issues: listedIssues, has_next_page: true, next_cursor: 'c8a2f5b3-1d4e-4f6a-8b9c-2d3e4f5a6b7c' },
    },
    {
      // Only the given filters are built, each as Linear's comparator object.
      tool: 'linear_list_issues',
      params: { team_key: 'ENG', assigned_to_me: true, state_type: 'started', title_contains: 'crash', first: 10, after: 'a1b2' },
      request: {
        method: 'POST',
        path: '/graphql',
        headers: json,
        body: {
          query: query('linear_list_issues'),
          variables: {
            first: 10,
            after: 'a1b2',
            filter: { team: { key: { eq: 'ENG' } }, assignee: { isMe: { eq: true } }, state: { type: { eq: 'started' } }, title: { containsIgnoreCase: 'crash' } },
          },
        },
      },
      data: { issues: listedIssues, has_next_page: true, next_cursor: 'c8a2f5b3-1d4e-4f6a-8b9c-2d3e4f5a6b7c' },
    },
    {
      tool: 'linear_get_issue',
      params: { id: 'ENG-123' },
      request: { method: 'POST', path: '/graphql', headers: json, body: { query: query('linear_get_issue'), variables: { id: 'ENG-123' } } },
      data: {
        id: 'b7f1e4a2-0c3d-4e5f-9a8b-1c2d3e4f5a6b',
        identifier: 'ENG-123',
        title: 'Crash when exporting CSV',
        description: 'Exporting a **large** board crashes the tab.',
        state: 'In Progress',
        state_type: 'started',
        priority: 2,
        priority_label: 'High',
        assignee: 'Ada Lovelace',
        assignee_id: ADA_ID,
        creator: 'Grace Hopper',
        team: 'ENG',
        team_id: ENG_ID,
        project: 'Q2 Reliability',
        labels: ['Bug', 'Export'],
        due_date: '2024-04-30',
        url: 'https://linear.app/acme/issue/ENG-123/crash-when-exporting-csv',
        created_at: '2024-04-01T09:00:00.000Z',
        updated_at: '2024-04-02T14:00:00.000Z',
        completed_at: null,
        comments: [{ id: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', author: 'Grace Hopper', body: 'Reproduced with 10k rows.', created_at: '2024-04-01T10:00:00.000Z' }],
      },
    },
    {
      tool: 'linear_create_issue',
      params: { team_id: ENG_ID, title: 'Add retry to webhook sender', description: 'Retry **3 times** with backoff.', priority: 2, assignee_id: ADA_ID, label_ids: ['l-1', 'l-2'], due_date: '2024-05-15' },
      request: {
        method: 'POST',
        path: '/graphql',
        headers: json,
        body: {
          query: query('linear_create_issue'),
          variables: { input: { teamId: ENG_ID, title: 'Add retry to webhook sender', description: 'Retry **3 times** with backoff.', priority: 2, assigneeId: ADA_ID, labelIds: ['l-1', 'l-2'], dueDate: '2024-05-15' } },
        },
      },
      data: {
        id: 'd9b3a6c4-2e5f-4a7b-9c0d-3e4f5a6b7c8d',
        identifier: 'ENG-125',
        title: 'Add retry to webhook sender',
        url: 'https://linear.app/acme/issue/ENG-125/add-retry-to-webhook-sender',
        priority: 2,
        state: 'Backlog',
        assignee: 'Ada Lovelace',
        team: 'ENG',
      },
    },
    {
      tool: 'linear_update_issue',
      params: { id: 'ENG-123', state_id: '7f8e9d0c-1b2a-4c3d-9e4f-5a6b7c8d9e0f', priority: 0 },
      request: {
        method: 'POST',
        path: '/graphql',
        headers: json,
        body: { query: query('linear_update_issue'), variables: { id: 'ENG-123', input: { priority: 0, stateId: '7f8e9d0c-1b2a-4c3d-9e4f-5a6b7c8d9e0f' } } },
      },
      data: {
        id: 'b7f1e4a2-0c3d-4e5f-9a8b-1c2d3e4f5a6b',
        identifier: 'ENG-123',
        title: 'Crash when exporting CSV',
        url: 'https://linear.app/acme/issue/ENG-123/crash-when-exporting-csv',
        priority: 0,
        state: 'Done',
        state_type: 'completed',
        assignee: 'Ada Lovelace',
        updated_at: '2024-04-03T12:00:00.000Z',
      },
    },
    {
      tool: 'linear_create_comment',
      params: { issue_id: 'ENG-123', body: 'Fixed in `a1b2c3`.' },
      request: { method: 'POST', path: '/graphql', headers: json, body: { query: query('linear_create_comment'), variables: { input: { issueId: 'ENG-123', body: 'Fixed in `a1b2c3`.' } } } },
      data: {
        id: 'e0f1a2b3-c4d5-4e6f-8a7b-9c0d1e2f3a4b',
        url: 'https://linear.app/acme/issue/ENG-123/crash-when-exporting-csv#comment-e0f1a2b3',
        author: 'Ada Lovelace',
        created_at: '2024-04-03T12:05:00.000Z',
      },
    },
  ],
});

for (const backend of BACKENDS) {
  describe(`linear tools: GraphQL errors in a 200 answer are tool errors (${backend})`, () => {
    let gw: TestGateway;
    let accountId: string;
    let running: ToolAccount | undefined;
    before(async () => {
      running = await startToolAccount(backend, { connector: 'linear', emulator: linearEmulator, account: { oauth_token: { access_token: LINEAR_TOKEN } } });
      ({ gw, accountId } = running);
    });
    after(async () => {
      await running?.close();
    });

    it('an unknown issue (200 with errors: [Entity not found]) is a tool_error naming INPUT_ERROR, not empty data', async () => {
      const response = await gw.api('POST', '/api/v1/execute_tool', { tool_name: 'linear_get_issue', connected_account_id: accountId, params: { id: 'ENG-999' } });
      assert.equal(response.status, 400, response.text);
      assert.equal(response.body.error.code, 'tool_error');
      assert.equal(response.body.error.details.tool_error.provider_code, 'INPUT_ERROR');
      assert.equal(response.body.error.details.tool_error.upstream_status, 200);
      assert.match(response.body.error.message, /Entity not found/);
    });
  });
}
