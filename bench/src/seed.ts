/** @module Creates the data a benchmark reads, through the public API like a user would. */
import type { GatewayProcess } from './gateway-process.ts';

async function call(gateway: GatewayProcess, token: string, method: string, path: string, body: unknown): Promise<any> {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** A bearer token for the admin credential (client credentials grant). */
export async function adminToken(gateway: GatewayProcess): Promise<string> {
  const tokenResponse = await fetch(`${gateway.url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: gateway.clientId, client_secret: gateway.clientSecret }),
  });
  const json = (await tokenResponse.json()) as { access_token?: string };
  if (!tokenResponse.ok || json.access_token === undefined) throw new Error(`POST /oauth/token: ${tokenResponse.status} ${JSON.stringify(json)}`);
  return json.access_token;
}

/** Runs `task(i)` for i in [0, count) with at most `parallel` in flight; results in order. */
async function inParallel<T>(count: number, parallel: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return results;
}

export async function seedAccounts(gateway: GatewayProcess, count: number): Promise<{ token: string; accountIds: string[] }> {
  const token = await adminToken(gateway);
  await call(gateway, token, 'POST', '/api/v1/connections', { connection: { provider: 'stripe', name: 'stripe-bench', type: 'BEARER_TOKEN' } });
  const accountIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const { connected_account } = await call(gateway, token, 'POST', '/api/v1/connected_accounts', {
      connection_name: 'stripe-bench',
      identifier: `user-${i}`,
      authorization_details: { static_auth: { secret_key: `sk_test_${'x'.repeat(24)}${i}` } },
    });
    accountIds.push(connected_account.id as string);
  }
  return { token, accountIds };
}

/**
 * One GitHub OAuth connection whose `api_config.base_url` is the bench's upstream, and one account per
 * token, each holding its access token (no expiry, so no refresh ever runs during the bench).
 */
export async function seedGithubAccounts(gateway: GatewayProcess, upstreamUrl: string, tokens: readonly string[]): Promise<{ token: string; accountIds: string[] }> {
  const token = await adminToken(gateway);
  await call(gateway, token, 'POST', '/api/v1/connections', {
    connection: {
      provider: 'github',
      name: 'github-bench',
      type: 'OAUTH',
      oauth_config: { client_id: 'bench-client', client_secret: 'bench-secret' },
      api_config: { base_url: upstreamUrl },
    },
  });
  const accountIds = await inParallel(tokens.length, 4, async (i) => {
    const { connected_account } = await call(gateway, token, 'POST', '/api/v1/connected_accounts', {
      connection_name: 'github-bench',
      identifier: `octocat-${i}`,
      authorization_details: { oauth_token: { access_token: tokens[i], token_type: 'bearer' } },
    });
    return connected_account.id as string;
  });
  return { token, accountIds };
}
