/** Every github_* tool against the GitHub emulator, through POST /api/v1/execute_tool. */
import assert from 'node:assert/strict';
import { GITHUB_TOKEN, githubEmulator } from '../emulators/github.ts';
import type { RecordedRequest } from '../helpers/emulator.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

// The connector sends GitHub's versioned media type and API version on every call.
const auth = { authorization: `Bearer ${GITHUB_TOKEN}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };
const json = { ...auth, 'content-type': 'application/json' };
// GitHub refuses requests without a User-Agent.
const hasUserAgent = (request: RecordedRequest) => assert.ok((request.headers['user-agent'] ?? '') !== '', 'a User-Agent header');

const helloWorld = {
  full_name: 'octocat/Hello-World',
  name: 'Hello-World',
  owner: 'octocat',
  private: false,
  visibility: 'public',
  fork: false,
  archived: false,
  default_branch: 'main',
  description: 'This your first repo!',
  language: 'TypeScript',
  stargazers_count: 80,
  open_issues_count: 2,
  html_url: 'https://github.com/octocat/Hello-World',
  pushed_at: '2024-04-02T09:15:00Z',
  updated_at: '2024-04-02T09:16:00Z',
};

toolSuite({
  connector: 'github',
  emulator: githubEmulator,
  account: { oauth_token: { access_token: GITHUB_TOKEN, scopes: ['repo', 'read:user'] } },
  cases: [
    {
      tool: 'github_get_user',
      params: {},
      request: { method: 'GET', path: '/user', headers: auth },
      check: hasUserAgent,
      data: {
        login: 'octocat',
        id: 583231,
        name: 'The Octocat',
        email: 'octocat@github.com',
        company: '@github',
        location: 'San Francisco',
        bio: 'A cat with eight legs.',
        public_repos: 8,
        followers: 3938,
        following: 9,
        html_url: 'https://github.com/octocat',
        created_at: '2011-01-25T18:44:36Z',
      },
    },
    {
      tool: 'github_list_repos',
      params: { visibility: 'all', affiliation: 'owner,collaborator', per_page: 2, page: 1 },
      request: { method: 'GET', path: '/user/repos', query: { visibility: 'all', affiliation: 'owner,collaborator', sort: 'updated', per_page: '2', page: '1' }, headers: auth },
      data: {
        repositories: [
          helloWorld,
          {
            full_name: 'octocat/secret-plans',
            name: 'secret-plans',
            owner: 'octocat',
            private: true,
            visibility: 'private',
            fork: false,
            archived: false,
            default_branch: 'main',
            description: null,
            language: null,
            stargazers_count: 0,
            open_issues_count: 0,
            html_url: 'https://github.com/octocat/secret-plans',
            pushed_at: '2024-04-02T09:15:00Z',
            updated_at: '2024-04-02T09:16:00Z',
          },
        ],
        link: '<https://api.github.com/user/repos?per_page=2&page=2>; rel="next", <https://api.github.com/user/repos?per_page=2&page=3>; rel="last"',
      },
    },
    {
      tool: 'github_get_repo',
      params: { owner: 'octocat', repo: 'Hello-World' },
      request: { method: 'GET', path: '/repos/octocat/Hello-World', headers: auth },
      data: {
        full_name: 'octocat/Hello-World',
        description: 'This your first repo!',
        private: false,
        visibility: 'public',
        fork: false,
        archived: false,
        default_branch: 'main',
        language: 'TypeScript',
        topics: ['octocat', 'api'],
        license: 'MIT',
        has_issues: true,
        stargazers_count: 80,
        forks_count: 9,
        open_issues_count: 2,
        html_url: 'https://github.com/octocat/Hello-World',
        created_at: '2011-01-26T19:01:12Z',
        pushed_at: '2024-04-02T09:15:00Z',
      },
    },
    {
      tool: 'github_list_issues',
      params: { owner: 'octocat', repo: 'Hello-World', labels: 'bug', since: '2024-03-01T00:00:00Z', page: 1 },
      request: {
        method: 'GET',
        path: '/repos/octocat/Hello-World/issues',
        query: { state: 'open', labels: 'bug', since: '2024-03-01T00:00:00Z', per_page: '30', page: '1' },
        headers: auth,
      },
      data: {
        issues: [
          {
            number: 1347,
            title: 'Found a bug',
            state: 'open',
            user: 'octocat',
            labels: ['bug'],
            assignees: ['octocat'],
            comments: 3,
            html_url: 'https://github.com/octocat/Hello-World/issues/1347',
            created_at: '2024-04-01T10:00:00Z',
            updated_at: '2024-04-01T12:00:00Z',
          },
          {
            number: 1348,
            title: 'Add dark mode',
            state: 'open',
            user: 'octocat',
            labels: [],
            assignees: [],
            comments: 0,
            pull_request: 'https://github.com/octocat/Hello-World/pull/1348',
            html_url: 'https://github.com/octocat/Hello-World/issues/1348',
            created_at: '2024-04-01T10:00:00Z',
            updated_at: '2024-04-01T12:00:00Z',
          },
        ],
        link: '<https://api.github.com/repos/octocat/Hello-World/issues?per_page=30&page=2>; rel="next", <https://api.github.com/repos/octocat/Hello-World/issues?per_page=30&page=2>; rel="last"',
      },
    },
    {
      tool: 'github_create_issue',
      params: { owner: 'octocat', repo: 'Hello-World', title: 'Crash on save', body: 'Steps:\n1. Open\n2. Save', labels: ['bug', 'p1'], assignees: ['octocat'] },
      request: {
        method: 'POST',
        path: '/repos/octocat/Hello-World/issues',
        headers: json,
        body: { title: 'Crash on save', body: 'Steps:\n1. Open\n2. Save', labels: ['bug', 'p1'], assignees: ['octocat'] },
      },
      data: {
        number: 1349,
        title: 'Crash on save',
        state: 'open',
        labels: ['bug', 'p1'],
        assignees: ['octocat'],
        html_url: 'https://github.com/octocat/Hello-World/issues/1349',
        created_at: '2024-04-03T08:00:00Z',
      },
    },
    {
      tool: 'github_create_issue',
      params: { owner: 'my-org', repo: 'docs.site', title: 'Typo' },
      request: { method: 'POST', path: '/repos/my-org/docs.site/issues', headers: json, body: { title: 'Typo' } },
      data: { number: 1349, title: 'Typo', state: 'open', labels: [], assignees: [], html_url: 'https://github.com/octocat/Hello-World/issues/1349', created_at: '2024-04-03T08:00:00Z' },
    },
    {
      tool: 'github_create_issue_comment',
      params: { owner: 'octocat', repo: 'Hello-World', issue_number: 1347, body: 'Fixed in #1350.' },
      request: { method: 'POST', path: '/repos/octocat/Hello-World/issues/1347/comments', headers: json, body: { body: 'Fixed in #1350.' } },
      data: { id: 1146825, user: 'octocat', html_url: 'https://github.com/octocat/Hello-World/issues/1347#issuecomment-1146825', created_at: '2024-04-03T08:05:00Z' },
    },
    {
      tool: 'github_list_pull_requests',
      params: { owner: 'octocat', repo: 'Hello-World', base: 'main', sort: 'updated', direction: 'desc' },
      request: { method: 'GET', path: '/repos/octocat/Hello-World/pulls', query: { state: 'open', base: 'main', sort: 'updated', direction: 'desc', per_page: '30' }, headers: auth },
      data: {
        pull_requests: [
          {
            number: 1348,
            title: 'Add dark mode',
            state: 'open',
            draft: true,
            user: 'hubot',
            head: 'dark-mode',
            base: 'main',
            labels: ['enhancement'],
            merged_at: null,
            html_url: 'https://github.com/octocat/Hello-World/pull/1348',
            created_at: '2024-03-30T16:00:00Z',
            updated_at: '2024-04-02T17:00:00Z',
          },
        ],
      },
    },
  ],
});
