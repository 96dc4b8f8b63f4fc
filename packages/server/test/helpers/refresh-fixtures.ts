/**
 * @module Fixtures of the token refresh tests: an ACTIVE OAuth account holding real tokens of the test
 * authorization server (the hosted flow with `user_verification: none`), the refresh calls, the stored
 * tokens (decrypted straight from the store) and the refresh history.
 */
import assert from 'node:assert/strict';
import { openCredentials } from '../../src/domain/accounts/authorization-details.ts';
import { CookieJar, accountOf, adminEnvironmentId, createLink, publicUrlOf, runFlow, type AsConnection } from './browser-leg.ts';
import type { TestAuthorizationServer } from './test-authorization-server.ts';
import { unique, type ApiResponse, type TestGateway } from './test-gateway.ts';

/** Turns user verification off, so a completed flow leaves the account ACTIVE at once. */
export async function skipVerification(gw: TestGateway): Promise<void> {
  const patched = await gw.api('PATCH', '/api/v1/settings', { user_verification: 'none' });
  assert.equal(patched.status, 200, patched.text);
}

/** Runs the hosted flow for a new identifier; returns the ACTIVE account's id. */
export async function connectAccount(gw: TestGateway, conn: AsConnection, loginHint = 'refresh-user'): Promise<string> {
  const identifier = unique('user');
  const { link } = await createLink(gw, { connection_name: conn.name, identifier });
  const { callback } = await runFlow(link, new CookieJar(), { loginHint });
  assert.ok(callback.location?.startsWith(`${publicUrlOf(gw)}/connect/success`), `the flow did not succeed: ${callback.status} ${callback.location} ${callback.text.slice(0, 300)}`);
  const account = await accountOf(gw, conn.name, identifier);
  assert.equal(account.status, 'ACTIVE');
  return account.id as string;
}

export function refresh(gw: TestGateway, accountId: string, options: { token?: string } = {}): Promise<ApiResponse> {
  return gw.api('POST', `/api/v1/connected_accounts/${accountId}:refresh`, undefined, options.token === undefined ? {} : { token: options.token });
}

export interface StoredTokens {
  status: string;
  version: number;
  accessToken: string;
  refreshToken: string | undefined;
  expiresAt: Date | null;
}

/** The account's tokens as stored (decrypted with the gateway's vault). */
export async function storedTokens(gw: TestGateway, accountId: string): Promise<StoredTokens> {
  const account = await gw.gateway.store.accounts.findById(await adminEnvironmentId(gw), accountId);
  assert.ok(account !== undefined && account.credentialsSealed !== null, `account ${accountId} has no credentials`);
  const credentials = openCredentials(gw.gateway.ctx.vault, accountId, account.credentialsSealed);
  assert.equal(credentials.kind, 'oauth_token');
  return { status: account.status, version: account.version, accessToken: credentials.access_token, refreshToken: credentials.refresh_token, expiresAt: account.tokenExpiresAt };
}

/** Refresh attempts, newest first. */
export async function historyOf(gw: TestGateway, accountId: string): Promise<{ trigger: string; outcome: string; reason: string | null; duration_ms: number; started_at: string }[]> {
  const response = await gw.api('GET', `/api/v1/connected_accounts/${accountId}/refresh_history?page_size=100`);
  assert.equal(response.status, 200, response.text);
  return response.body.refresh_attempts;
}

/** refresh_token grants the AS answered (or was told to fail). */
export function refreshGrants(as: TestAuthorizationServer): number {
  return as.hits.tokenRequests.filter((r) => r.grant_type === 'refresh_token').length;
}

/** Whether the AS still accepts a token (RFC 7662 introspection with the connection's client). */
export async function isActiveAtAs(as: TestAuthorizationServer, conn: AsConnection, token: string): Promise<boolean> {
  const response = await fetch(as.endpoints.introspection, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, client_id: conn.clientId, client_secret: conn.clientSecret }),
  });
  assert.equal(response.status, 200, `introspection: ${response.status}`);
  return ((await response.json()) as { active: boolean }).active;
}

/** Asserts an answer is the retryable 503 of a refresh that could not happen now. */
export function assertUnavailable(response: ApiResponse): void {
  assert.equal(response.status, 503, response.text);
  assert.equal(response.body.error.code, 'token_refresh_unavailable', response.text);
  const retryAfter = Number(response.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter > 0, `Retry-After: ${response.headers.get('retry-after')}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
