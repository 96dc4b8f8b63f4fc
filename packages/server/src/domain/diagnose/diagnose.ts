/**
 * @module Diagnose one connected account: the seeds' troubleshooting checklist run in one call —
 * status, connection, tokens, an optional refresh, granted versus required scopes, a read-only probe
 * tool, and the recent failures — each finding with its cause, the concrete next step and its docs.
 * The API (`POST /api/v1/connected_accounts/{id}:diagnose`), the CLI and the dashboard all call
 * {@link diagnoseAccount}, so they report the same findings.
 */
import type { CatalogTool } from '../../catalog/tool-schema.ts';
import { findAccount, type AccountView } from '../accounts/accounts.ts';
import type { DomainContext } from '../context.ts';
import type { ConnectedAccount, Connection } from '../model.ts';
import { findingFactory, worstOf, type Finding, type FindingResult } from './finding.ts';
import { nextStepsFor } from './next-steps.ts';
import { checkedProbeTool, probeFinding, probeToolFor } from './probe-check.ts';
import { recentErrorFindings } from './recent-errors.ts';
import { scopesFinding } from './scope-checks.ts';
import { connectionFinding, statusFinding } from './status-checks.ts';
import { refreshFinding, tokenFinding } from './token-checks.ts';

export interface DiagnoseOptions {
  /** Attempt one token refresh through the refresh engine first (default false). */
  readonly refresh?: boolean | undefined;
  /** Run a read-only tool end to end (default true). */
  readonly probe?: boolean | undefined;
  /** The read-only tool to probe with, instead of the connector's default choice. */
  readonly probeTool?: string | undefined;
}

export interface Diagnosis {
  /** The account as it is after the diagnosis (a refresh or the probe may have changed its status). */
  readonly account: ConnectedAccount;
  readonly connection: Connection;
  /** The worst result of all findings. */
  readonly result: FindingResult;
  /** In checklist order: status, connection, token, refresh (when asked), scopes, probe (unless off), recent_errors. */
  readonly findings: readonly Finding[];
  readonly diagnosedAt: Date;
}

/**
 * Runs the checklist on one account of the environment. Throws `connected_account_not_found`, and
 * `tool_not_found` / `tool_not_for_account` / `validation_failed` for an unusable `probeTool`, before
 * anything runs; every other problem becomes a finding.
 *
 * @example
 * ```ts
 * const { result, findings } = await diagnoseAccount(ctx, environmentId, 'ca_123', { refresh: true });
 * for (const f of findings) if (f.result !== 'ok') console.log(f.check, f.message, f.fix);
 * ```
 */
export async function diagnoseAccount(ctx: DomainContext, environmentId: string, accountId: string, options: DiagnoseOptions = {}): Promise<Diagnosis> {
  const ranAt = ctx.clock();
  const start = await findAccount(ctx, environmentId, { id: accountId });
  const connector = ctx.catalog.get(start.connection.provider);
  const wantProbe = options.probe ?? true;
  const chosenTool: CatalogTool | undefined =
    options.probeTool === undefined ? (connector === undefined ? undefined : probeToolFor(ctx.catalog, connector.key)) : checkedProbeTool(ctx.catalog, start.connection.provider, options.probeTool);
  const environment = await ctx.tools.environment(environmentId);
  const steps = nextStepsFor(start.account, start.connection, environment.settings);
  const make = findingFactory(ctx.flow.docsUrl);

  // The refresh runs first so that every other check sees the account as the refresh left it.
  let view: AccountView = start;
  let refreshed: Finding | undefined;
  if (options.refresh === true && start.connection.enabled) {
    ({ finding: refreshed, view } = await refreshFinding(ctx, make, start, steps));
  } else if (options.refresh === true) {
    refreshed = make('refresh', 'warn', 'Not attempted: the connection is disabled.', 'Enable the connection (see the connection finding), then diagnose again.', 'connection_disabled');
  }

  const findings: Finding[] = [
    statusFinding(make, { account: view.account, statusBefore: start.account.status, steps }),
    connectionFinding(make, { connection: view.connection, connector, publicUrl: ctx.publicUrl, steps }),
    await tokenFinding(ctx, make, view, steps),
  ];
  if (refreshed !== undefined) findings.push(refreshed);
  findings.push(scopesFinding(make, ctx.catalog, view, connector, steps));
  // The probe may change the account (a second 401 expires it): the answer reports it as it is now.
  let final = view;
  if (wantProbe) {
    const finding = await probeFinding(ctx, make, view, chosenTool, steps);
    final = (await ctx.store.accounts.findWithConnection(environmentId, accountId)) ?? view;
    const moved = final.account.status === view.account.status ? '' : ` The account is now ${final.account.status}.`;
    findings.push({ ...finding, message: `${finding.message}${moved}` });
  }
  findings.push(...(await recentErrorFindings(ctx, make, final, steps, ranAt)));
  return { account: final.account, connection: final.connection, result: worstOf(findings.map((f) => f.result)), findings, diagnosedAt: ranAt };
}
