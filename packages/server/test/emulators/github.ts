/** GitHub REST API (https://docs.github.com/en/rest, version 2022-11-28): the endpoints the github_* tools call. */
import { defineEmulator, type RecordedRequest } from '../helpers/emulator.ts';

export const GITHUB_TOKEN = 'gho_16C7e42F292c6912E7710c838347Ae178B4a';

const API = 'https://api.github.com';

const octocat = {
  login: 'octocat',
  id: 583231,
  node_id: 'MDQ6VXNlcjU4MzIzMQ==',
  avatar_url: 'https://avatars.githubusercontent.com/u/583231?v=4',
  url: `${API}/users/octocat`,
  html_url: 'https://github.com/octocat',
  type: 'User',
  site_admin: false,
};

function repo(name: string, extra: Record<string, unknown> = {}) {
  return {
    id: 1296269,
    node_id: 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5',
    name,
    full_name: `octocat/${name}`,
    owner: octocat,
    private: false,
    html_url: `https://github.com/octocat/${name}`,
    description: 'This your first repo!',
    fork: false,
    url: `${API}/repos/octocat/${name}`,
    issues_url: `${API}/repos/octocat/${name}/issues{/number}`,
    homepage: 'https://github.com',
    language: 'TypeScript',
    forks_count: 9,
    stargazers_count: 80,
    watchers_count: 80,
    size: 108,
    default_branch: 'main',
    open_issues_count: 2,
    is_template: false,
    topics: ['octocat', 'api'],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    archived: false,
    disabled: false,
    visibility: 'public',
    pushed_at: '2024-04-02T09:15:00Z',
    created_at: '2011-01-26T19:01:12Z',
    updated_at: '2024-04-02T09:16:00Z',
    permissions: { admin: true, push: true, pull: true },
    license: { key: 'mit', name: 'MIT License', spdx_id: 'MIT', url: `${API}/licenses/mit`, node_id: 'MDc6TGljZW5zZW1pdA==' },
    ...extra,
  };
}

function label(name: string, color: string) {
  return { id: 208045946, node_id: 'MDU6TGFiZWwyMDgwNDU5NDY=', url: `${API}/repos/octocat/Hello-World/labels/${name}`, name, description: null, color, default: false };
}

function issue(number: number, title: string, extra: Record<string, unknown> = {}) {
  return {
    id: 1 + number,
    node_id: 'MDU6SXNzdWUx',
    url: `${API}/repos/octocat/Hello-World/issues/${number}`,
    repository_url: `${API}/repos/octocat/Hello-World`,
    html_url: `https://github.com/octocat/Hello-World/issues/${number}`,
    number,
    state: 'open',
    title,
    body: 'Details here.',
    user: octocat,
    labels: [],
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    comments: 0,
    closed_at: null,
    created_at: '2024-04-01T10:00:00Z',
    updated_at: '2024-04-01T12:00:00Z',
    author_association: 'OWNER',
    ...extra,
  };
}

function link(request: RecordedRequest, last: number): string {
  const page = Number(request.query['page'] ?? '1');
  const perPage = String(request.query['per_page'] ?? '30');
  return `<${API}${request.path}?per_page=${perPage}&page=${page + 1}>; rel="next", <${API}${request.path}?per_page=${perPage}&page=${last}>; rel="last"`;
}

const notFound = { status: 404, json: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/repos/repos#get-a-repository', status: '404' } };

export const githubEmulator = defineEmulator({
  name: 'github',
  authorized: (request) => request.headers['authorization'] === `Bearer ${GITHUB_TOKEN}`,
  unauthorized: { status: 401, json: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' } },
  routes: [
    {
      method: 'GET',
      path: '/user',
      reply: () => ({
        json: {
          ...octocat,
          name: 'The Octocat',
          company: '@github',
          blog: 'https://github.blog',
          location: 'San Francisco',
          email: 'octocat@github.com',
          hireable: null,
          bio: 'A cat with eight legs.',
          twitter_username: null,
          public_repos: 8,
          public_gists: 8,
          followers: 3938,
          following: 9,
          created_at: '2011-01-25T18:44:36Z',
          updated_at: '2024-03-22T11:24:32Z',
          private_gists: 0,
          total_private_repos: 2,
          owned_private_repos: 2,
          two_factor_authentication: true,
          plan: { name: 'pro', space: 976562499, private_repos: 9999, collaborators: 0 },
        },
      }),
    },
    {
      method: 'GET',
      path: '/user/repos',
      reply: (request) => ({
        headers: { link: link(request, 3) },
        json: [repo('Hello-World'), repo('secret-plans', { id: 1296270, private: true, visibility: 'private', description: null, language: null, topics: [], stargazers_count: 0, open_issues_count: 0, license: null })],
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo',
      reply: (request) => (request.params['owner'] === 'octocat' && request.params['repo'] === 'Hello-World' ? { json: repo('Hello-World') } : notFound),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/issues',
      reply: (request) => ({
        headers: { link: link(request, 2) },
        json: [
          issue(1347, 'Found a bug', { labels: [label('bug', 'f29513')], assignee: octocat, assignees: [octocat], comments: 3 }),
          issue(1348, 'Add dark mode', {
            pull_request: {
              url: `${API}/repos/octocat/Hello-World/pulls/1348`,
              html_url: 'https://github.com/octocat/Hello-World/pull/1348',
              diff_url: 'https://github.com/octocat/Hello-World/pull/1348.diff',
              patch_url: 'https://github.com/octocat/Hello-World/pull/1348.patch',
              merged_at: null,
            },
          }),
        ],
      }),
    },
    {
      method: 'POST',
      path: '/repos/:owner/:repo/issues',
      reply: (request) => {
        const body = request.body as { title?: string; body?: string; labels?: string[]; assignees?: string[] };
        if (body.title === undefined) return { status: 422, json: { message: 'Invalid request.\n\n"title" wasn\'t supplied.', documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue', status: '422' } };
        return {
          status: 201,
          headers: { location: `${API}/repos/octocat/Hello-World/issues/1349` },
          json: issue(1349, body.title, {
            body: body.body ?? null,
            labels: (body.labels ?? []).map((name) => label(name, 'ededed')),
            assignees: (body.assignees ?? []).map((login) => ({ ...octocat, login })),
            created_at: '2024-04-03T08:00:00Z',
            updated_at: '2024-04-03T08:00:00Z',
          }),
        };
      },
    },
    {
      method: 'POST',
      path: '/repos/:owner/:repo/issues/:number/comments',
      reply: (request) => ({
        status: 201,
        json: {
          id: 1146825,
          node_id: 'IC_kwDOAAABc84ARgMJ',
          url: `${API}/repos/octocat/Hello-World/issues/comments/1146825`,
          html_url: `https://github.com/octocat/Hello-World/issues/${request.params['number']}#issuecomment-1146825`,
          body: (request.body as { body?: string }).body,
          user: octocat,
          created_at: '2024-04-03T08:05:00Z',
          updated_at: '2024-04-03T08:05:00Z',
          issue_url: `${API}/repos/octocat/Hello-World/issues/${request.params['number']}`,
          author_association: 'OWNER',
        },
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/pulls',
      reply: () => ({
        json: [
          {
            url: `${API}/repos/octocat/Hello-World/pulls/1348`,
            id: 1,
            node_id: 'MDExOlB1bGxSZXF1ZXN0MQ==',
            html_url: 'https://github.com/octocat/Hello-World/pull/1348',
            number: 1348,
            state: 'open',
            locked: false,
            title: 'Add dark mode',
            user: { ...octocat, login: 'hubot' },
            body: 'Adds a dark theme.',
            labels: [label('enhancement', 'a2eeef')],
            created_at: '2024-03-30T16:00:00Z',
            updated_at: '2024-04-02T17:00:00Z',
            closed_at: null,
            merged_at: null,
            merge_commit_sha: 'e5bd3914e2e596debea16f433f57875b5b90bcd6',
            draft: true,
            head: { label: 'hubot:dark-mode', ref: 'dark-mode', sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e', user: octocat },
            base: { label: 'octocat:main', ref: 'main', sha: '6dcb09b5b57875f334f61aebed695e2e4193db5f', user: octocat },
            author_association: 'CONTRIBUTOR',
          },
        ],
      }),
    },
  ],
});
