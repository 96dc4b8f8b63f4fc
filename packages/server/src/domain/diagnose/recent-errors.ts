/**
 * @module The account's recent failures (last 7 days): authorizations that failed, refused or failed
 * refreshes, and tool calls the provider refused, each mapped to its cause and next step, one finding
 * per cause. A failure older than the account's last success is reported milder: it may be fixed.
 */
import type { AccountView } from '../accounts/accounts.ts';
import type { DomainContext } from '../context.ts';
import { printable } from '../printable-text.ts';
import { fixFor, type ErrorFix, type ErrorSignal } from './error-fixes.ts';
import { milder, type Finding, type MakeFinding } from './finding.ts';
import type { NextSteps } from './next-steps.ts';

export const LOOKBACK_DAYS = 7;
const LIMIT = 50;

interface Occurrence {
  readonly at: Date;
  readonly signal: ErrorSignal;
  /** One line for the message: where it happened and what the provider said. */
  readonly summary: string;
}

const MAX_TEXT = 300;
/** Provider text (stored before it was cleaned, or by a tool call) without control characters: the CLI prints it to a terminal. */
const text = (value: unknown) => (typeof value === 'string' ? printable(value, MAX_TEXT) : null);
const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

async function occurrences(ctx: DomainContext, view: AccountView, since: Date): Promise<Occurrence[]> {
  const { account, connection } = view;
  const environmentId = account.environmentId;
  const base = { provider: connection.provider, authorizationType: account.authorizationType };
  const [events, calls, attempts] = await Promise.all([
    ctx.store.events.list(
      environmentId,
      { connectedAccountId: account.id, types: ['connected_account.authorization_failed', 'connected_account.token_refresh_failed', 'connected_account.verification_failed'], from: since },
      { limit: LIMIT },
    ),
    ctx.store.toolCalls.list(environmentId, { connectedAccountId: account.id, statuses: ['FAILED'], startTime: since }, { limit: LIMIT }),
    ctx.store.refresh.listAttempts(environmentId, account.id, { limit: LIMIT }),
  ]);
  const found: Occurrence[] = [];
  for (const event of events) {
    const data = event.data;
    if (event.type === 'connected_account.authorization_failed') {
      const code = text(data['error']) ?? 'unknown';
      const description = text(data['error_description']);
      found.push({
        at: event.occurredAt,
        signal: { ...base, source: 'authorization', code, providerCode: text(data['provider_error']), text: description },
        summary: `authorization failed with ${code}${description === null ? '' : `: ${description}`}`,
      });
    } else if (event.type === 'connected_account.token_refresh_failed') {
      const reason = text(data['reason']) ?? 'invalid_grant';
      found.push({ at: event.occurredAt, signal: { ...base, source: 'refresh', code: reason }, summary: `refresh refused (${reason}, trigger ${text(data['trigger']) ?? 'unknown'})` });
    } else {
      const reason = text(data['reason']) ?? 'verification_failed';
      found.push({ at: event.occurredAt, signal: { ...base, source: 'authorization', code: 'verification_failed', text: reason }, summary: `user verification failed (${reason})` });
    }
  }
  for (const call of calls) {
    if (call.errorTier !== 'provider') continue;
    const code = text(call.errorCode);
    const message = text(call.errorMessage);
    found.push({
      at: call.startedAt,
      signal: { ...base, source: 'tool', code: code ?? 'upstream_error', text: message, upstreamStatus: call.upstreamStatus },
      summary: `${call.toolName} failed${call.upstreamStatus === null ? '' : ` with HTTP ${call.upstreamStatus}`} (${code ?? 'error'}, execution ${call.executionId}): ${message ?? ''}`.trimEnd(),
    });
  }
  // Refused refreshes already have their event; transient ones live only in the history.
  for (const attempt of attempts) {
    if (attempt.outcome !== 'failed_transient' || attempt.startedAt.getTime() < since.getTime()) continue;
    const reason = text(attempt.reason) ?? 'transient';
    found.push({ at: attempt.startedAt, signal: { ...base, source: 'refresh', code: reason }, summary: `refresh failed without a verdict (${reason}, trigger ${attempt.trigger})` });
  }
  return found;
}

/** When the account last worked: a successful tool call, refresh or authorization. */
async function lastSuccess(ctx: DomainContext, view: AccountView, since: Date): Promise<Date | null> {
  const { account } = view;
  const [calls, events] = await Promise.all([
    ctx.store.toolCalls.list(account.environmentId, { connectedAccountId: account.id, statuses: ['SUCCESS'], startTime: since }, { limit: 1 }),
    ctx.store.events.list(account.environmentId, { connectedAccountId: account.id, types: ['connected_account.token_refresh_succeeded', 'connected_account.oauth_succeeded'], from: since }, { limit: 1 }),
  ]);
  const times = [calls[0]?.startedAt, events[0]?.occurredAt].filter((d): d is Date => d !== undefined).map((d) => d.getTime());
  return times.length === 0 ? null : new Date(Math.max(...times));
}

interface Group {
  readonly fix: ErrorFix;
  readonly items: Occurrence[];
}

/**
 * One finding per cause. `ranAt` is when this diagnosis started: what its own refresh and probe caused
 * is reported by those checks, not twice.
 */
export async function recentErrorFindings(ctx: DomainContext, make: MakeFinding, view: AccountView, steps: NextSteps, ranAt: Date): Promise<Finding[]> {
  const since = new Date(ranAt.getTime() - LOOKBACK_DAYS * 86_400_000);
  // Calls this replica made a moment ago (the probe's among them) are still in the log's batch.
  await ctx.tools.callLog.flush();
  const [found, success] = await Promise.all([occurrences(ctx, view, since), lastSuccess(ctx, view, since)]);
  const groups = new Map<string, Group>();
  for (const occurrence of found) {
    if (occurrence.at.getTime() >= ranAt.getTime()) continue;
    const fix = fixFor(occurrence.signal, steps);
    if (fix === undefined) continue;
    const group = groups.get(fix.key) ?? { fix, items: [] };
    group.items.push(occurrence);
    groups.set(fix.key, group);
  }
  if (groups.size === 0) {
    return [make('recent_errors', 'ok', `No failed authorization, refresh or provider-refused tool call in the last ${LOOKBACK_DAYS} days.`, null, null)];
  }
  const findings = [...groups.values()].map(({ fix, items }) => {
    const sorted = items.sort((a, b) => b.at.getTime() - a.at.getTime());
    const latest = sorted[0] as Occurrence;
    const resolved = success !== null && success.getTime() > latest.at.getTime();
    const times = sorted.length === 1 ? 'once' : `${sorted.length} times`;
    const after = resolved ? ` The account worked since (last success ${iso(success)}), so this may be fixed already.` : '';
    return {
      at: latest.at.getTime(),
      finding: make(
        'recent_errors',
        resolved ? milder(fix.result) : fix.result,
        `${fix.title}: ${times} in the last ${LOOKBACK_DAYS} days, last at ${iso(latest.at)} (${latest.summary}).${after}`,
        fix.fix,
        fix.docsAnchor,
        { cause: fix.key, count: sorted.length, last_at: latest.at.toISOString(), source: latest.signal.source },
      ),
    };
  });
  const rank = { fail: 0, warn: 1, ok: 2 } as const;
  return findings.sort((a, b) => rank[a.finding.result] - rank[b.finding.result] || b.at - a.at).map((f) => f.finding);
}
