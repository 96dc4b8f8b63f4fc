/** Every gitlab_* tool against the GitLab emulator, through POST /api/v1/execute_tool. */
import { GITLAB_TOKEN, gitlabEmulator } from '../emulators/gitlab.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${GITLAB_TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };

const engine = {
  id: 278964,
  name: 'Engine',
  path_with_namespace: 'analytical/engine',
  description: 'Analytical engine firmware',
  visibility: 'private',
  default_branch: 'main',
  open_issues_count: 7,
  star_count: 41,
  web_url: 'https://gitlab.com/analytical/engine',
  last_activity_at: '2024-04-02T12:30:00.000Z',
};

toolSuite({
  connector: 'gitlab',
  emulator: gitlabEmulator,
  account: { oauth_token: { access_token: GITLAB_TOKEN, scopes: ['api'] } },
  cases: [
    {
      tool: 'gitlab_get_current_user',
      params: {},
      request: { method: 'GET', path: '/user', headers: auth },
      data: {
        id: 1234567,
        username: 'ada',
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        state: 'active',
        bio: 'First programmer.',
        web_url: 'https://gitlab.com/ada',
        created_at: '2012-05-23T08:00:58.000Z',
      },
    },
    {
      tool: 'gitlab_list_projects',
      params: {},
      request: { method: 'GET', path: '/projects', query: { membership: 'true', order_by: 'last_activity_at', per_page: '20' }, headers: auth },
      data: {
        projects: [
          engine,
          {
            id: 278999,
            name: 'Notes',
            path_with_namespace: 'ada/notes',
            description: null,
            visibility: 'public',
            default_branch: 'main',
            open_issues_count: 0,
            star_count: 2,
            web_url: 'https://gitlab.com/ada/notes',
            last_activity_at: '2024-03-28T07:00:00.000Z',
          },
        ],
        next_page: '',
      },
    },
    {
      tool: 'gitlab_list_projects',
      params: { search: 'engine', owned: true, archived: false, order_by: 'name', sort: 'asc', per_page: 50, page: 1 },
      request: {
        method: 'GET',
        path: '/projects',
        query: { search: 'engine', membership: 'true', owned: 'true', archived: 'false', order_by: 'name', sort: 'asc', per_page: '50', page: '1' },
        headers: auth,
      },
      data: {
        projects: [
          engine,
          {
            id: 278999,
            name: 'Notes',
            path_with_namespace: 'ada/notes',
            description: null,
            visibility: 'public',
            default_branch: 'main',
            open_issues_count: 0,
            star_count: 2,
            web_url: 'https://gitlab.com/ada/notes',
            last_activity_at: '2024-03-28T07:00:00.000Z',
          },
        ],
        next_page: '',
      },
    },
    {
      tool: 'gitlab_get_project',
      params: { project_id: 'analytical/engine' },
      // A full path is one URL-encoded segment, as GitLab requires.
      request: { method: 'GET', path: '/projects/analytical%2Fengine', headers: auth },
      data: {
        id: 278964,
        name: 'Engine',
        path_with_namespace: 'analytical/engine',
        description: 'Analytical engine firmware',
        visibility: 'private',
        default_branch: 'main',
        topics: ['firmware'],
        namespace: 'analytical',
        open_issues_count: 7,
        star_count: 41,
        forks_count: 3,
        archived: false,
        web_url: 'https://gitlab.com/analytical/engine',
        http_url_to_repo: 'https://gitlab.com/analytical/engine.git',
        created_at: '2019-05-01T09:00:00.000Z',
        last_activity_at: '2024-04-02T12:30:00.000Z',
      },
    },
    {
      tool: 'gitlab_list_issues',
      params: { project_id: '278964', labels: 'bug,backend', assignee_username: 'ada', updated_after: '2024-03-01T00:00:00Z', order_by: 'updated_at' },
      request: {
        method: 'GET',
        path: '/projects/278964/issues',
        query: { state: 'opened', labels: 'bug,backend', assignee_username: 'ada', updated_after: '2024-03-01T00:00:00Z', order_by: 'updated_at', per_page: '20' },
        headers: auth,
      },
      data: {
        issues: [
          {
            iid: 12,
            title: 'Carry bit lost on overflow',
            state: 'opened',
            labels: ['bug', 'backend'],
            assignees: ['ada'],
            author: 'ada',
            milestone: 'v1.2',
            due_date: '2024-04-20',
            user_notes_count: 4,
            web_url: 'https://gitlab.com/analytical/engine/-/issues/12',
            created_at: '2024-04-01T10:00:00.000Z',
            updated_at: '2024-04-01T11:00:00.000Z',
          },
        ],
        next_page: '2',
      },
    },
    {
      tool: 'gitlab_create_issue',
      params: { project_id: 'analytical/engine', title: 'Add a printer', description: 'We need **output**.', labels: 'feature,io', assignee_ids: [1234567], due_date: '2024-06-01', confidential: false },
      request: {
        method: 'POST',
        path: '/projects/analytical%2Fengine/issues',
        headers: json,
        body: { title: 'Add a printer', description: 'We need **output**.', labels: 'feature,io', assignee_ids: [1234567], due_date: '2024-06-01', confidential: false },
      },
      data: {
        id: 140000013,
        iid: 13,
        project_id: 278964,
        title: 'Add a printer',
        state: 'opened',
        labels: ['feature', 'io'],
        assignees: ['ada'],
        due_date: '2024-06-01',
        web_url: 'https://gitlab.com/analytical/engine/-/issues/13',
        created_at: '2024-04-03T08:00:00.000Z',
      },
    },
    {
      tool: 'gitlab_create_issue_note',
      params: { project_id: '278964', issue_iid: 12, body: 'Reproduced on main.' },
      request: { method: 'POST', path: '/projects/278964/issues/12/notes', headers: json, body: { body: 'Reproduced on main.' } },
      data: { id: 1611811000, author: 'ada', body: 'Reproduced on main.', internal: false, created_at: '2024-04-03T08:10:00.000Z' },
    },
    {
      tool: 'gitlab_list_merge_requests',
      params: { project_id: 'analytical/engine', target_branch: 'main' },
      request: { method: 'GET', path: '/projects/analytical%2Fengine/merge_requests', query: { state: 'opened', target_branch: 'main', per_page: '20' }, headers: auth },
      data: {
        merge_requests: [
          {
            iid: 45,
            title: 'Draft: Faster multiplication',
            state: 'opened',
            draft: true,
            source_branch: 'fast-mul',
            target_branch: 'main',
            author: 'ada',
            labels: ['performance'],
            detailed_merge_status: 'draft_status',
            merged_at: null,
            web_url: 'https://gitlab.com/analytical/engine/-/merge_requests/45',
            created_at: '2024-03-29T10:00:00.000Z',
            updated_at: '2024-04-02T10:00:00.000Z',
          },
        ],
        next_page: '',
      },
    },
  ],
});
