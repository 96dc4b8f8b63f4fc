/**
 * @module Granted scopes against what the connector's tools need (the catalog's `required_scopes`,
 * alternatives: one of them is enough). Scopes are fixed at consent time, so a tool whose scope is
 * missing fails with 403 until the connection asks for it and the user authorizes again.
 */
import type { Connector } from '../../catalog/connector-schema.ts';
import type { Catalog } from '../../catalog/load-catalog.ts';
import type { CatalogTool } from '../../catalog/tool-schema.ts';
import type { AccountView } from '../accounts/accounts.ts';
import { scopesOf } from '../auth-flows/authorization-url.ts';
import type { Finding, MakeFinding } from './finding.ts';
import type { NextSteps } from './next-steps.ts';

interface Uncovered {
  readonly tool: string;
  readonly needs_one_of: readonly string[];
}

function uncoveredTools(tools: readonly CatalogTool[], granted: ReadonlySet<string>): Uncovered[] {
  return tools.filter((tool) => !tool.required_scopes.some((scope) => granted.has(scope))).map((tool) => ({ tool: tool.name, needs_one_of: tool.required_scopes }));
}

/**
 * A small set of scopes that covers every uncovered tool. The most constrained tools choose first,
 * each taking its first alternative (catalogs list the narrowest first) unless a scope already chosen
 * covers it, so one broad scope a tool cannot do without is not joined by narrower redundant ones.
 */
function scopesToCover(uncovered: readonly Uncovered[]): string[] {
  const chosen: string[] = [];
  for (const item of [...uncovered].sort((a, b) => a.needs_one_of.length - b.needs_one_of.length)) {
    if (item.needs_one_of.some((scope) => chosen.includes(scope))) continue;
    const first = item.needs_one_of[0];
    if (first !== undefined) chosen.push(first);
  }
  return chosen;
}

const listed = (items: readonly Uncovered[]) => items.map((u) => `${u.tool} (needs one of: ${u.needs_one_of.join(', ')})`).join('; ');

export function scopesFinding(make: MakeFinding, catalog: Catalog, view: AccountView, connector: Connector | undefined, steps: NextSteps): Finding {
  const { account, connection } = view;
  if (account.authorizationType !== 'OAUTH' || connector?.oauth === undefined) {
    return make('scopes', 'ok', `Not applicable: ${account.authorizationType} credentials carry no OAuth scopes.`, null, null);
  }
  if (connector.oauth.app_managed_scopes) {
    return make('scopes', 'ok', `${connector.display_name} grants permissions on the registered app, not per authorization, so there are no scopes to compare.`, null, null);
  }
  const tools = catalog.tools().filter((tool) => tool.provider === connector.key && tool.is_default && tool.required_scopes.length > 0);
  const configuredList = scopesOf(connection, connector);
  const configured = new Set(configuredList);
  const hasGrant = account.credentialsSealed !== null;
  if (hasGrant && account.scopes.length === 0) {
    return make(
      'scopes',
      'warn',
      'The account has no granted scopes on record (its tokens were stored without scopes), so they cannot be compared with what the tools need.',
      `Store the scopes with the tokens (authorization_details.oauth_token.scopes), or ${steps.link} so that the gateway records what the user granted.`,
      'missing-scopes',
    );
  }
  // Without a grant yet, the connection's scopes are what the user will be asked for.
  const against = hasGrant ? new Set(account.scopes) : configured;
  const uncovered = uncoveredTools(tools, against);
  const details = { granted_scopes: hasGrant ? [...account.scopes] : [], connection_scopes: [...configuredList], tools_missing_scopes: uncovered };
  if (uncovered.length === 0) {
    const subject = hasGrant ? 'granted scopes cover' : 'connection asks for scopes that cover';
    return make('scopes', 'ok', `The ${subject} all ${tools.length} ${connector.display_name} tools.`, null, null, details);
  }
  // A scope the connection already asks for only needs a new authorization; the others must be added first.
  const requested = uncovered.flatMap((u) => u.needs_one_of.filter((scope) => configured.has(scope)).slice(0, 1));
  const toAdd = scopesToCover(uncovered.filter((u) => !u.needs_one_of.some((scope) => configured.has(scope))));
  const missing = [...new Set([...requested, ...toAdd])];
  const allScopes = [...configuredList, ...toAdd];
  const fix =
    toAdd.length > 0
      ? `If the agent needs these tools, add ${toAdd.join(', ')} to the connection's scopes: ${steps.scopes(allScopes)}; then ${steps.link}. Existing tokens never gain scopes: every user has to authorize again.`
      : `The connection already asks for these scopes, but this authorization predates them: ${steps.link}.`;
  const result = uncovered.length === tools.length ? 'fail' : 'warn';
  const message = hasGrant
    ? `${uncovered.length} of ${tools.length} ${connector.display_name} tools will fail with 403 because no scope they need was granted: ${listed(uncovered)}.`
    : `Once authorized, ${uncovered.length} of ${tools.length} ${connector.display_name} tools would fail with 403 because the connection does not ask for a scope they need: ${listed(uncovered)}.`;
  return make('scopes', result, message, fix, 'missing-scopes', { ...details, missing_scopes: missing, scopes_to_add_to_connection: toAdd });
}
