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

export async function seedAccounts(gateway: GatewayProcess, count: number): Promise<{ token: string; accountIds: string[] }> {
  const tokenResponse = await fetch(`${gateway.url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: gateway.clientId, client_secret: gateway.clientSecret }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
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
