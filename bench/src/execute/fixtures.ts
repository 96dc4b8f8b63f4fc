/** @module What the mock upstream and the load agree on: the per-account tokens and the answer to GET /user. */

/** The access token of bench account `i`: 40 characters, like a GitHub OAuth token. */
export function benchToken(i: number): string {
  return `gho_bench${String(i).padStart(6, '0')}`.padEnd(40, 'x');
}

/** A GitHub-user-like answer (≈310 bytes), built once. */
export const USER_BODY = Buffer.from(
  JSON.stringify({
    login: 'octocat',
    id: 583231,
    node_id: 'MDQ6VXNlcjU4MzIzMQ==',
    avatar_url: 'https://avatars.githubusercontent.com/u/583231?v=4',
    html_url: 'https://github.com/octocat',
    type: 'User',
    name: 'The Octocat',
    company: '@github',
    location: 'San Francisco',
    email: null,
    bio: null,
    public_repos: 8,
    followers: 9000,
    following: 9,
    created_at: '2011-01-25T18:44:36Z',
  }),
);
