/**
 * @module The token checks: expiry and refresh-token presence (read from the vault, never shown), the
 * refresh engine's back-off state, and, when asked, one refresh through the engine itself (single
 * flight, lease, history and events exactly as a manual refresh).
 */
import { GatewayError } from '../../errors.ts';
import { openCredentials } from '../accounts/authorization-details.ts';
import type { AccountView } from '../accounts/accounts.ts';
import type { DomainContext } from '../context.ts';
import type { ConnectedAccount } from '../model.ts';
import { refreshAccount } from '../tokens/refresh.ts';
import { fixFor } from './error-fixes.ts';
import type { Finding, MakeFinding } from './finding.ts';
import { capitalized, type NextSteps } from './next-steps.ts';

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function hasRefreshToken(ctx: DomainContext, account: ConnectedAccount): boolean {
  if (account.credentialsSealed === null) return false;
  const credentials = openCredentials(ctx.vault, account.id, account.credentialsSealed);
  return credentials.kind === 'oauth_token' && (credentials.refresh_token ?? '') !== '';
}

export async function tokenFinding(ctx: DomainContext, make: MakeFinding, view: AccountView, steps: NextSteps): Promise<Finding> {
  const { account } = view;
  if (account.authorizationType !== 'OAUTH') {
    const held = account.credentialsSealed !== null;
    return held
      ? make('token', 'ok', `The account holds static ${account.authorizationType} credentials; they do not expire.`, null, null)
      : make('token', 'warn', `The account holds no ${account.authorizationType} credentials yet (it is ${account.status}).`, `${capitalized(steps.updateCredentials)}.`, account.status.toLowerCase());
  }
  if (account.credentialsSealed === null) {
    return make('token', 'warn', `The account holds no tokens (it is ${account.status}).`, `Tokens arrive with the next authorization: ${steps.link}.`, account.status.toLowerCase());
  }
  const now = ctx.clock();
  const refreshable = hasRefreshToken(ctx, account);
  const expiresAt = account.tokenExpiresAt;
  const details = { token_expires_at: expiresAt?.toISOString() ?? null, has_refresh_token: refreshable };
  const state = await ctx.store.refresh.state(account.id);
  if (state !== undefined && state.failures > 0 && account.status === 'ACTIVE') {
    const cooling = state.cooldownUntil !== null && state.cooldownUntil.getTime() > now.getTime() ? `; refreshes pause until ${iso(state.cooldownUntil)}` : '';
    return make(
      'token',
      'warn',
      `The last ${state.failures} refresh attempt(s) failed without a verdict from the provider (network, timeout, 5xx or 429)${cooling}. The account stays ACTIVE meanwhile.`,
      `See GET /api/v1/connected_accounts/${account.id}/refresh_history for the reasons; once the provider answers again, ${steps.refresh}.`,
      'provider-unreachable-slow-or-failing',
      { ...details, consecutive_failures: state.failures, cooldown_until: state.cooldownUntil?.toISOString() ?? null },
    );
  }
  if (expiresAt !== null && expiresAt.getTime() <= now.getTime()) {
    return refreshable
      ? make('token', 'warn', `The access token expired at ${iso(expiresAt)}; a refresh token is held, so the next use (or the background refresher) refreshes it.`, `To check the refresh works now, ${steps.refresh}.`, 'expired', details)
      : make('token', 'fail', `The access token expired at ${iso(expiresAt)} and there is no refresh token: the account cannot recover by itself.`, `Ask for offline access on the connection, then ${steps.link}.`, 'no-refresh-token', details);
  }
  if (!refreshable && expiresAt !== null) {
    return make(
      'token',
      'warn',
      `The access token is valid until ${iso(expiresAt)}, but there is no refresh token: at that time the account becomes EXPIRED.`,
      `Ask for offline access on the connection (Google: access_type=offline with prompt=consent; most others: the offline_access scope), then ${steps.link}.`,
      'no-refresh-token',
      details,
    );
  }
  const until = expiresAt === null ? 'has no known expiry (refreshed on the first 401, if a refresh token is held)' : `is valid until ${iso(expiresAt)}`;
  return make('token', 'ok', `The access token ${until}; ${refreshable ? 'a refresh token is held' : 'the provider issued no refresh token (long-lived token)'}.`, null, null, details);
}

/**
 * Runs one refresh through the refresh engine and reports it. Returns the account as it is afterwards,
 * so the following checks see the refreshed (or now EXPIRED) account.
 */
export async function refreshFinding(ctx: DomainContext, make: MakeFinding, view: AccountView, steps: NextSteps): Promise<{ finding: Finding; view: AccountView }> {
  const { account, connection } = view;
  if (account.authorizationType !== 'OAUTH') {
    return { finding: make('refresh', 'ok', `Not attempted: ${account.authorizationType} credentials have no tokens to refresh.`, null, null), view };
  }
  // A forced refresh without a refresh token is a permanent failure in the engine, which would turn a
  // healthy long-lived token (a GitHub OAuth app's, say) EXPIRED. A token already past its expiry is
  // still sent to the engine: it is dead either way and the engine records that.
  const expired = account.tokenExpiresAt !== null && account.tokenExpiresAt.getTime() <= ctx.clock().getTime();
  if (account.status === 'ACTIVE' && account.credentialsSealed !== null && !expired && !hasRefreshToken(ctx, account)) {
    return { finding: make('refresh', 'ok', 'Not attempted: no refresh token is held (long-lived token).', null, null, { outcome: 'not_attempted' }), view };
  }
  try {
    const after = await refreshAccount(ctx, account.environmentId, account.id, { trigger: 'manual', force: true });
    const until = after.account.tokenExpiresAt === null ? 'with no known expiry' : `valid until ${iso(after.account.tokenExpiresAt)}`;
    return { finding: make('refresh', 'ok', `Refreshed just now: the provider issued a new access token, ${until}.`, null, null, { outcome: 'succeeded' }), view: after };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    const reload = async () => (await ctx.store.accounts.findWithConnection(account.environmentId, account.id)) ?? view;
    const reason = typeof error.details?.['reason'] === 'string' ? error.details['reason'] : null;
    switch (error.code) {
      case 'token_refresh_rejected': {
        const code = reason ?? 'invalid_grant';
        const mapped = fixFor({ source: 'refresh', provider: connection.provider, code, authorizationType: account.authorizationType }, steps);
        const title = mapped?.title ?? `The provider refused the refresh (${code})`;
        return {
          finding: make('refresh', 'fail', `${title}. The account is now EXPIRED.`, mapped?.fix ?? `${steps.link}.`, mapped?.docsAnchor ?? 'refresh-rejected', { outcome: 'rejected', reason: code }),
          view: await reload(),
        };
      }
      case 'token_refresh_unavailable':
        return {
          finding: make('refresh', 'warn', `The refresh could not happen now: ${error.message}`, `Retry after ${String(error.details?.['retry_after'] ?? 'a few')} seconds: ${steps.refresh}.`, 'provider-unreachable-slow-or-failing', {
            outcome: 'unavailable',
            retry_after: error.details?.['retry_after'] ?? null,
          }),
          view,
        };
      case 'account_not_refreshable':
        return { finding: make('refresh', 'warn', `Not attempted: the account is ${account.status} and holds no authorization to refresh.`, `${capitalized(steps.link)}.`, account.status.toLowerCase(), { outcome: 'not_refreshable' }), view };
      default:
        return { finding: make('refresh', 'fail', `The refresh failed: ${error.message}`, `${capitalized(steps.link)}.`, 'refresh-rejected', { outcome: 'failed', code: error.code }), view: await reload() };
    }
  }
}
