/** GitLab REST API v4 (https://docs.gitlab.com/api/rest/): the endpoints the gitlab_* tools call. */
import { defineEmulator, type RecordedRequest } from '../helpers/emulator.ts';

export const GITLAB_TOKEN = 'glpat-emulator-0123456789abcdef';

const user = {
  id: 1234567,
  username: 'ada',
  name: 'Ada Lovelace',
  state: 'active',
  locked: false,
  avatar_url: 'https://secure.gravatar.com/avatar/ada?s=80&d=identicon',
  web_url: 'https://gitlab.com/ada',
};

function pages(request: RecordedRequest, totalPages: number): Record<string, string> {
  const page = Number(request.query['page'] ?? '1');
  const perPage = String(request.query['per_page'] ?? '20');
  return {
    'x-page': String(page),
    'x-per-page': perPage,
    'x-next-page': page < totalPages ? String(page + 1) : '',
    'x-prev-page': page > 1 ? String(page - 1) : '',
    'x-total': String(totalPages * Number(perPage)),
    'x-total-pages': String(totalPages),
  };
}

const project = {
  id: 278964,
  description: 'Analytical engine firmware',
  name: 'Engine',
  name_with_namespace: 'Analytical / Engine',
  path: 'engine',
  path_with_namespace: 'analytical/engine',
  created_at: '2019-05-01T09:00:00.000Z',
  default_branch: 'main',
  tag_list: ['firmware'],
  topics: ['firmware'],
  ssh_url_to_repo: 'git@gitlab.com:analytical/engine.git',
  http_url_to_repo: 'https://gitlab.com/analytical/engine.git',
  web_url: 'https://gitlab.com/analytical/engine',
  readme_url: 'https://gitlab.com/analytical/engine/-/blob/main/README.md',
  forks_count: 3,
  star_count: 41,
  last_activity_at: '2024-04-02T12:30:00.000Z',
  namespace: { id: 9001, name: 'Analytical', path: 'analytical', kind: 'group', full_path: 'analytical', parent_id: null, web_url: 'https://gitlab.com/groups/analytical' },
  visibility: 'private',
  archived: false,
  issues_enabled: true,
  open_issues_count: 7,
  merge_requests_enabled: true,
  creator_id: 1234567,
};

function issue(iid: number, title: string, extra: Record<string, unknown> = {}) {
  return {
    id: 140000000 + iid,
    iid,
    project_id: 278964,
    title,
    description: 'Steps to reproduce…',
    state: 'opened',
    created_at: '2024-04-01T10:00:00.000Z',
    updated_at: '2024-04-01T11:00:00.000Z',
    closed_at: null,
    closed_by: null,
    labels: [],
    milestone: null,
    assignees: [],
    author: user,
    type: 'ISSUE',
    assignee: null,
    user_notes_count: 0,
    upvotes: 0,
    downvotes: 0,
    due_date: null,
    confidential: false,
    web_url: `https://gitlab.com/analytical/engine/-/issues/${iid}`,
    references: { short: `#${iid}`, relative: `#${iid}`, full: `analytical/engine#${iid}` },
    ...extra,
  };
}

const projectNotFound = { status: 404, json: { message: '404 Project Not Found' } };
const knownProject = (request: RecordedRequest) => ['278964', 'analytical/engine'].includes(request.params['id'] ?? '');

export const gitlabEmulator = defineEmulator({
  name: 'gitlab',
  authorized: (request) => request.headers['authorization'] === `Bearer ${GITLAB_TOKEN}`,
  unauthorized: { status: 401, json: { message: '401 Unauthorized' } },
  routes: [
    {
      method: 'GET',
      path: '/user',
      reply: () => ({
        json: {
          ...user,
          created_at: '2012-05-23T08:00:58.000Z',
          bio: 'First programmer.',
          location: 'London',
          public_email: '',
          skype: '',
          linkedin: '',
          twitter: '',
          website_url: '',
          organization: '',
          last_sign_in_at: '2024-04-01T08:00:00.000Z',
          confirmed_at: '2012-05-23T09:05:22.000Z',
          email: 'ada@example.com',
          theme_id: 1,
          two_factor_enabled: true,
          can_create_project: true,
        },
      }),
    },
    {
      method: 'GET',
      path: '/projects',
      reply: (request) => ({
        headers: pages(request, 1),
        json: [project, { ...project, id: 278999, name: 'Notes', path: 'notes', path_with_namespace: 'ada/notes', description: null, visibility: 'public', open_issues_count: 0, star_count: 2, web_url: 'https://gitlab.com/ada/notes', last_activity_at: '2024-03-28T07:00:00.000Z' }],
      }),
    },
    { method: 'GET', path: '/projects/:id', reply: (request) => (knownProject(request) ? { json: project } : projectNotFound) },
    {
      method: 'GET',
      path: '/projects/:id/issues',
      reply: (request) =>
        !knownProject(request)
          ? projectNotFound
          : {
              headers: pages(request, 3),
              json: [
                issue(12, 'Carry bit lost on overflow', {
                  labels: ['bug', 'backend'],
                  milestone: { id: 77, iid: 3, title: 'v1.2', state: 'active', due_date: '2024-05-01' },
                  assignees: [user],
                  assignee: user,
                  user_notes_count: 4,
                  due_date: '2024-04-20',
                }),
              ],
            },
    },
    {
      method: 'POST',
      path: '/projects/:id/issues',
      reply: (request) => {
        if (!knownProject(request)) return projectNotFound;
        const body = request.body as { title?: string; description?: string; labels?: string; assignee_ids?: number[]; due_date?: string; confidential?: boolean };
        if (body.title === undefined) return { status: 400, json: { error: 'title is missing' } };
        const assignees = (body.assignee_ids ?? []).map((id) => (id === user.id ? user : { ...user, id, username: `user${id}` }));
        return {
          status: 201,
          json: issue(13, body.title, {
            description: body.description ?? null,
            labels: body.labels === undefined ? [] : body.labels.split(','),
            assignees,
            due_date: body.due_date ?? null,
            confidential: body.confidential ?? false,
            created_at: '2024-04-03T08:00:00.000Z',
            updated_at: '2024-04-03T08:00:00.000Z',
          }),
        };
      },
    },
    {
      method: 'POST',
      path: '/projects/:id/issues/:iid/notes',
      reply: (request) => {
        const body = request.body as { body?: string; internal?: boolean };
        return {
          status: 201,
          json: {
            id: 1611811000,
            type: null,
            body: body.body,
            attachment: null,
            author: user,
            created_at: '2024-04-03T08:10:00.000Z',
            updated_at: '2024-04-03T08:10:00.000Z',
            system: false,
            noteable_id: 140000012,
            noteable_type: 'Issue',
            project_id: 278964,
            resolvable: false,
            confidential: body.internal ?? false,
            internal: body.internal ?? false,
            noteable_iid: Number(request.params['iid']),
            commands_changes: {},
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/projects/:id/merge_requests',
      reply: (request) => ({
        headers: pages(request, 1),
        json: [
          {
            id: 290000001,
            iid: 45,
            project_id: 278964,
            title: 'Draft: Faster multiplication',
            description: 'Uses the new mill.',
            state: 'opened',
            created_at: '2024-03-29T10:00:00.000Z',
            updated_at: '2024-04-02T10:00:00.000Z',
            merged_by: null,
            merged_at: null,
            closed_at: null,
            target_branch: 'main',
            source_branch: 'fast-mul',
            author: user,
            assignees: [],
            reviewers: [],
            labels: ['performance'],
            draft: true,
            work_in_progress: true,
            merge_status: 'can_be_merged',
            detailed_merge_status: 'draft_status',
            sha: '8888888888888888888888888888888888888888',
            web_url: 'https://gitlab.com/analytical/engine/-/merge_requests/45',
            references: { short: '!45', relative: '!45', full: 'analytical/engine!45' },
          },
        ],
      }),
    },
  ],
});
