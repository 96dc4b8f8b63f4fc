/**
 * @module Token refresh that never loses an account. Three layers, each covering the next one's gap:
 * in-process single-flight (one promise per account), a database lease (one holder across replicas,
 * expiring by itself if the holder dies), and a version compare-and-set on the write. Waiters never
 * call the provider: they re-read and use what the winner saved. Rotating refresh tokens are saved
 * before anyone can use the new access token, and a response without one keeps the old one.
 */
import { randomUUID } from 'node:crypto';
import { GatewayError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { openCredentials, credentialsContext } from '../accounts/authorization-details.ts';
import type { AccountView } from '../accounts/accounts.ts';
import type { DomainContext, RefreshLock } from '../context.ts';
import { accountEventData, recordEvent } from '../events/record-event.ts';
import type { AccountCredentials, ConnectedAccount } from '../model.ts';
import type { RefreshOutcome, RefreshTrigger } from '../ports.ts';
import { callRefresh, type RefreshCallResult } from './refresh-call.ts';

export interface RefreshOptions {
  readonly trigger: RefreshTrigger;
  /** Refresh even when the token is not near expiry (manual, keep-alive, an upstream 401). */
  readonly force: boolean;
}

const inFlight = new WeakMap<DomainContext, Map<string, Promise<AccountView>>>();
const MAX_ATTEMPTS = 3;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function lockOf(ctx: DomainContext): RefreshLock {
  return ctx.refreshLock ?? { acquire: (id, owner, ms) => ctx.store.refresh.acquireLease(id, owner, ms), release: (id, owner) => ctx.store.refresh.releaseLease(id, owner) };
}

export function needsRefresh(ctx: DomainContext, account: ConnectedAccount): boolean {
  if (account.tokenExpiresAt === null) return false; // unknown lifetime: refreshed on the first upstream 401
  return account.tokenExpiresAt.getTime() - ctx.clock().getTime() <= ctx.refresh.marginSeconds * 1000;
}

/** Refreshes one account's tokens, or returns what a concurrent refresh just saved. */
export function refreshAccount(ctx: DomainContext, environmentId: string, accountId: string, options: RefreshOptions): Promise<AccountView> {
  let flights = inFlight.get(ctx);
  if (flights === undefined) inFlight.set(ctx, (flights = new Map()));
  const running = flights.get(accountId);
  if (running !== undefined) return running;
  const flight = refreshOnce(ctx, environmentId, accountId, options).finally(() => flights.delete(accountId));
  flights.set(accountId, flight);
  return flight;
}

async function load(ctx: DomainContext, environmentId: string, accountId: string): Promise<AccountView> {
  const view = await ctx.store.accounts.findWithConnection(environmentId, accountId);
  if (view === undefined) throw new GatewayError('connected_account_not_found', 'No connected account matches; list them with GET /api/v1/connected_accounts.');
  return view;
}

function assertRefreshable(view: AccountView): void {
  const { account } = view;
  if (account.authorizationType !== 'OAUTH') throw new GatewayError('refresh_not_supported', `Account ${account.id} uses ${account.authorizationType} credentials, which do not expire.`);
  if (account.credentialsSealed === null || (account.status !== 'ACTIVE' && account.status !== 'EXPIRED')) {
    throw new GatewayError('account_not_refreshable', `Account ${account.id} is ${account.status}: it has no authorization to refresh. Create an authorization link (POST /api/v1/connected_accounts/magic_link).`, {
      details: { status: account.status },
    });
  }
}

async function refreshOnce(ctx: DomainContext, environmentId: string, accountId: string, options: RefreshOptions): Promise<AccountView> {
  const started = ctx.clock();
  const before = await load(ctx, environmentId, accountId);
  assertRefreshable(before);
  if (!options.force && !needsRefresh(ctx, before.account)) return before;
  const state = await ctx.store.refresh.state(accountId);
  if (options.trigger !== 'manual' && state?.cooldownUntil != null && state.cooldownUntil.getTime() > started.getTime()) {
    const wait = Math.ceil((state.cooldownUntil.getTime() - started.getTime()) / 1000);
    await history(ctx, before, options.trigger, 'skipped_cooldown', `cooling down after ${state.failures} failures`, started);
    throw unavailable(wait, 'cooling down after repeated failures');
  }
  const lock = lockOf(ctx);
  const owner = randomUUID();
  const leaseMs = ctx.refresh.leaseSeconds * 1000;
  const giveUpAt = Date.now() + leaseMs + 2000;
  while (!(await lock.acquire(accountId, owner, leaseMs))) {
    // Someone else is refreshing this account: wait for their result instead of racing them.
    await sleep(40 + Math.random() * 60);
    const now = await load(ctx, environmentId, accountId);
    if (now.account.version !== before.account.version) return settled(ctx, now, options, started);
    if (Date.now() > giveUpAt) throw unavailable(1, 'another refresh of this account did not finish');
  }
  try {
    const current = await load(ctx, environmentId, accountId);
    // Refreshed between our first read and the lease: use that, never refresh a token twice.
    if (current.account.version !== before.account.version) return await settled(ctx, current, options, started);
    // The holder before us failed transiently: answer retryable now instead of calling the provider again.
    const after = await ctx.store.refresh.state(accountId);
    if ((after?.failures ?? 0) > (state?.failures ?? 0)) throw unavailable(5, 'a refresh of this account just failed');
    return await refreshHoldingLease(ctx, current, options, started);
  } finally {
    await lock.release(accountId, owner);
  }
}

/** What a concurrent refresh left behind: its tokens, or its verdict that the grant is dead. */
async function settled(ctx: DomainContext, view: AccountView, options: RefreshOptions, started: Date): Promise<AccountView> {
  await history(ctx, view, options.trigger, 'reused', null, started);
  if (view.account.status === 'EXPIRED') {
    throw new GatewayError('token_refresh_rejected', `The provider refused to refresh account ${view.account.id}; it is now EXPIRED. Send the user a new authorization link (POST /api/v1/connected_accounts/magic_link).`, {
      details: { status: 'EXPIRED' },
    });
  }
  return view;
}

async function refreshHoldingLease(ctx: DomainContext, view: AccountView, options: RefreshOptions, started: Date): Promise<AccountView> {
  const { account, connection } = view;
  const connector = ctx.catalog.get(connection.provider);
  const credentials = openCredentials(ctx.vault, account.id, account.credentialsSealed ?? '');
  if (connector === undefined || credentials.kind !== 'oauth_token') throw new GatewayError('refresh_not_supported', `Account ${account.id} has no OAuth tokens.`);
  if (credentials.refresh_token === undefined || credentials.refresh_token === '') {
    const dead = account.tokenExpiresAt !== null && account.tokenExpiresAt.getTime() <= ctx.clock().getTime();
    if (dead || options.force) return fail(ctx, view, { kind: 'permanent', reason: 'no_refresh_token' }, options, started);
    return view;
  }
  // The whole provider exchange, retries included, must end well inside the lease.
  const budget = AbortSignal.timeout(Math.max(1000, ctx.refresh.leaseSeconds * 1000 - 3000));
  let result: RefreshCallResult = { kind: 'transient', reason: 'not_attempted' };
  for (let attempt = 0; attempt < MAX_ATTEMPTS && !budget.aborted; attempt++) {
    if (attempt > 0) await sleep(Math.min(200 * 4 ** (attempt - 1), 2000) * (0.5 + Math.random() / 2));
    result = await callRefresh(ctx, { connection, connector, refreshToken: credentials.refresh_token, signal: budget });
    if (result.kind !== 'transient') break;
  }
  if (result.kind !== 'ok') return fail(ctx, view, result, options, started);
  return save(ctx, view, { credentials, tokens: result.tokens, lifetime: connector.token_lifetime_seconds }, options, started);
}

async function save(
  ctx: DomainContext,
  view: AccountView,
  input: { credentials: Extract<AccountCredentials, { kind: 'oauth_token' }>; tokens: { access_token: string; refresh_token?: string; token_type?: string; id_token?: string; expires_in?: number; scope?: string }; lifetime: number | undefined },
  options: RefreshOptions,
  started: Date,
): Promise<AccountView> {
  const { account, connection } = view;
  const now = ctx.clock();
  const credentials: AccountCredentials = {
    kind: 'oauth_token',
    access_token: input.tokens.access_token,
    // No refresh token in the answer means the old one is still the one to use (Google and others).
    ...(input.tokens.refresh_token ?? input.credentials.refresh_token ? { refresh_token: input.tokens.refresh_token ?? input.credentials.refresh_token } : {}),
    ...(input.tokens.token_type === undefined ? {} : { token_type: input.tokens.token_type }),
    ...(input.tokens.id_token === undefined ? {} : { id_token: input.tokens.id_token }),
  };
  const lifetime = input.tokens.expires_in ?? input.lifetime;
  const next: ConnectedAccount = {
    ...account,
    status: 'ACTIVE',
    credentialsSealed: ctx.vault.encrypt(JSON.stringify(credentials), credentialsContext(account.id)),
    tokenExpiresAt: lifetime === undefined ? null : new Date(now.getTime() + lifetime * 1000),
    scopes: input.tokens.scope === undefined ? account.scopes : input.tokens.scope.split(/[\s,]+/).filter(Boolean),
    version: account.version + 1,
    updatedAt: now,
  };
  const written = await ctx.store.transaction(async (tx) => {
    if (!(await tx.accounts.update(next))) return false;
    await tx.refresh.setState(account.id, { failures: 0, cooldownUntil: null, lastRefreshedAt: now });
    const data = accountEventData(next, connection);
    const base = { environmentId: account.environmentId, object: 'ConnectedAccount' as const, connectedAccountId: account.id, connection };
    await recordEvent(tx, { ...base, type: 'connected_account.token_refresh_succeeded', data: { ...data, trigger: options.trigger } }, now);
    if (account.status !== 'ACTIVE') await recordEvent(tx, { ...base, type: 'connected_account.status_updated', data: { ...data, old_status: account.status } }, now);
    return true;
  });
  // Holding the lease, only a developer's own write (an upsert of new credentials) can get here first;
  // theirs wins, and the tokens we just received are the ones lost, never the user's grant.
  const saved = written ? { account: next, connection } : await load(ctx, account.environmentId, account.id);
  await history(ctx, saved, options.trigger, written ? 'succeeded' : 'reused', null, started);
  return saved;
}

async function fail(ctx: DomainContext, view: AccountView, result: Exclude<RefreshCallResult, { kind: 'ok' }>, options: RefreshOptions, started: Date): Promise<AccountView> {
  const { account, connection } = view;
  const now = ctx.clock();
  if (result.kind === 'permanent') {
    const next: ConnectedAccount = { ...account, status: 'EXPIRED', version: account.version + 1, updatedAt: now };
    const written = await ctx.store.transaction(async (tx) => {
      if (!(await tx.accounts.update(next))) return false;
      const data = accountEventData(next, connection);
      const base = { environmentId: account.environmentId, object: 'ConnectedAccount' as const, connectedAccountId: account.id, connection };
      await recordEvent(tx, { ...base, type: 'connected_account.token_refresh_failed', data: { ...data, reason: result.reason, trigger: options.trigger } }, now);
      if (account.status !== 'EXPIRED') await recordEvent(tx, { ...base, type: 'connected_account.status_updated', data: { ...data, old_status: account.status } }, now);
      return true;
    });
    // Written meanwhile (a developer's new credentials): the rejected token is no longer the account's, so no false EXPIRED.
    if (!written) return settled(ctx, await load(ctx, account.environmentId, account.id), options, started);
    await history(ctx, view, options.trigger, 'failed_permanent', result.reason, started);
    throw new GatewayError('token_refresh_rejected', `The provider refused to refresh account ${account.id} (${result.reason}); it is now EXPIRED. Send the user a new authorization link (POST /api/v1/connected_accounts/magic_link).`, {
      details: { reason: result.reason, status: 'EXPIRED' },
    });
  }
  const state = await ctx.store.refresh.state(account.id);
  const failures = (state?.failures ?? 0) + 1;
  // After three failures in a row, back off exponentially (30 s … 15 min) so one broken account cannot storm the provider.
  const coolSeconds = failures >= 3 ? Math.min(30 * 2 ** (failures - 3), 900) : 0;
  await ctx.store.refresh.setState(account.id, {
    failures,
    cooldownUntil: coolSeconds > 0 ? new Date(now.getTime() + coolSeconds * 1000) : null,
    lastRefreshedAt: state?.lastRefreshedAt ?? null,
  });
  await history(ctx, view, options.trigger, 'failed_transient', result.reason, started);
  throw unavailable(Math.max(result.retryAfterSeconds ?? 0, coolSeconds, 5), `the provider did not refresh the token (${result.reason})`);
}

function unavailable(retryAfter: number, why: string): GatewayError {
  return new GatewayError('token_refresh_unavailable', `The token could not be refreshed right now: ${why}. The account's status is unchanged; retry after ${retryAfter} s.`, {
    details: { retry_after: retryAfter },
  });
}

async function history(ctx: DomainContext, view: AccountView, trigger: RefreshTrigger, outcome: RefreshOutcome, reason: string | null, started: Date): Promise<void> {
  await ctx.store.refresh.insertAttempt({
    id: newId('rfa', started.getTime()),
    environmentId: view.account.environmentId,
    connectedAccountId: view.account.id,
    trigger,
    outcome,
    reason,
    durationMs: Math.max(0, ctx.clock().getTime() - started.getTime()),
    startedAt: started,
  });
}
