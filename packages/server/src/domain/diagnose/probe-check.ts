/**
 * @module The end-to-end probe: one read-only tool run through the real execution path (cache, refresh
 * on expiry, credential injection, 401 handling, logging with source `diagnose`), so that a green
 * status is confirmed by the provider itself. Never a tool that writes.
 */
import type { Catalog } from '../../catalog/load-catalog.ts';
import type { CatalogTool } from '../../catalog/tool-schema.ts';
import { GatewayError } from '../../errors.ts';
import type { AccountView } from '../accounts/accounts.ts';
import type { DomainContext } from '../context.ts';
import { executeTool } from '../tools/execution.ts';
import { fixFor } from './error-fixes.ts';
import type { Finding, MakeFinding } from './finding.ts';
import { capitalized, type NextSteps } from './next-steps.ts';

/** Whether the tool runs with `{}`: no required parameter. */
function runsWithoutParameters(tool: CatalogTool): boolean {
  const required = tool.input_schema['required'];
  return !Array.isArray(required) || required.length === 0;
}

const propertyCount = (tool: CatalogTool) => Object.keys((tool.input_schema['properties'] ?? {}) as object).length;

/**
 * The connector's best probe: read-only, runnable without parameters, and among those the one with the
 * fewest optional parameters (`gmail_get_profile`, `github_get_user` before any list).
 */
export function probeToolFor(catalog: Catalog, provider: string): CatalogTool | undefined {
  return catalog
    .tools()
    .filter((tool) => tool.provider === provider && tool.is_default && tool.annotations.read_only_hint && runsWithoutParameters(tool))
    .sort((a, b) => propertyCount(a) - propertyCount(b) || (a.name < b.name ? -1 : 1))[0];
}

/** Checks a probe tool the caller chose, before anything runs: it must exist, fit the account and only read. */
export function checkedProbeTool(catalog: Catalog, provider: string, name: string): CatalogTool {
  const tool = catalog.tool(name);
  if (tool === undefined) throw new GatewayError('tool_not_found', `No tool named "${name}"; list them with GET /api/v1/tools.`, { details: { tool_name: name } });
  if (tool.provider !== provider) {
    throw new GatewayError('tool_not_for_account', `${name} is a ${tool.provider} tool; this account is on ${provider}.`, { details: { tool_provider: tool.provider, account_provider: provider } });
  }
  if (!tool.annotations.read_only_hint || !runsWithoutParameters(tool)) {
    throw new GatewayError('validation_failed', `probe_tool must be a read-only tool that runs without parameters; ${name} is not.`, {
      details: { issues: [{ path: 'probe_tool', message: 'not a read-only tool without required parameters' }] },
    });
  }
  return tool;
}

export async function probeFinding(ctx: DomainContext, make: MakeFinding, view: AccountView, tool: CatalogTool | undefined, steps: NextSteps): Promise<Finding> {
  const { account, connection } = view;
  if (tool === undefined) {
    return make(
      'probe',
      'warn',
      `Skipped: ${connection.provider} has no read-only tool that runs without parameters.`,
      `Run a read-only tool of your choice with POST /api/v1/execute_tool {"tool_name": "...", "connected_account_id": "${account.id}", "params": {...}} to confirm the account end to end.`,
      'probe-tool-failed',
    );
  }
  if (account.status !== 'ACTIVE' || !connection.enabled) {
    const why = connection.enabled ? `the account is ${account.status}` : 'the connection is disabled';
    return make('probe', 'warn', `Skipped ${tool.name}: ${why}, so any tool call would be refused before reaching the provider.`, 'Fix the status and connection findings first, then diagnose again.', 'probe-tool-failed', { tool_name: tool.name });
  }
  const started = Date.now();
  try {
    const result = await executeTool(ctx, account.environmentId, { toolName: tool.name, params: {}, target: { accountId: account.id }, source: 'diagnose' });
    return make('probe', 'ok', `${tool.name} succeeded end to end in ${Date.now() - started} ms (execution ${result.executionId}).`, null, null, { tool_name: tool.name, execution_id: result.executionId });
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return probeFailure(make, view, tool, error, steps);
  }
}

function executionIdOf(error: GatewayError): string | null {
  const id = (error.details?.['tool_error'] as { execution_id?: unknown } | undefined)?.execution_id;
  return typeof id === 'string' ? id : null;
}

function probeFailure(make: MakeFinding, view: AccountView, tool: CatalogTool, error: GatewayError, steps: NextSteps): Finding {
  const { account, connection } = view;
  const executionId = executionIdOf(error);
  if (error.code === 'tool_error') {
    const toolError = (error.details?.['tool_error'] ?? {}) as { kind?: string; upstream_status?: number | null; provider_code?: string | null; message?: string };
    const kind = toolError.kind ?? 'upstream_error';
    const mapped = fixFor(
      { source: 'tool', provider: connection.provider, code: kind, providerCode: toolError.provider_code ?? null, text: toolError.message ?? error.message, upstreamStatus: toolError.upstream_status ?? null, authorizationType: account.authorizationType },
      steps,
    );
    const ownFix = typeof error.details?.['fix'] === 'string' ? error.details['fix'] : null;
    const status = toolError.upstream_status == null ? '' : ` HTTP ${toolError.upstream_status}`;
    return make(
      'probe',
      mapped?.result ?? 'fail',
      `${tool.name} failed: the provider answered${status} (${kind}${toolError.provider_code ? `, ${toolError.provider_code}` : ''}): ${error.message}`,
      mapped?.fix ?? ownFix ?? 'Look the execution up in GET /api/v1/agentkit/tool_call_logs and compare with the provider’s documentation.',
      mapped?.docsAnchor ?? 'probe-tool-failed',
      { tool_name: tool.name, execution_id: executionId, kind, upstream_status: toolError.upstream_status ?? null, provider_code: toolError.provider_code ?? null },
    );
  }
  const details = { tool_name: tool.name, code: error.code };
  if (error.code === 'token_refresh_unavailable') {
    return make('probe', 'warn', `${tool.name} could not run: its token needed a refresh that could not happen now (${error.message})`, `Retry shortly: ${steps.refresh}.`, 'provider-unreachable-slow-or-failing', details);
  }
  if (error.code === 'account_not_active' || error.code === 'token_refresh_rejected') {
    return make('probe', 'fail', `${tool.name} could not run: ${error.message}`, `${capitalized(steps.link)}.`, 'expired', details);
  }
  return make('probe', 'fail', `${tool.name} could not run: ${error.message}`, 'Look the call up in GET /api/v1/agentkit/tool_call_logs?connected_account_id=' + account.id + '.', 'probe-tool-failed', details);
}
