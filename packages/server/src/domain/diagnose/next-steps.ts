/**
 * @module The concrete next steps a fix names, filled in for one account: the exact API call (with its
 * body), the SDK method and the CLI command, so a developer can act without looking anything up.
 */
import type { ConnectedAccount, Connection, Settings } from '../model.ts';

export interface NextSteps {
  /** Create an authorization link and send the user to it (first authorization and re-authorization alike). */
  readonly link: string;
  /** Confirm the user from the `user_verify_url` handler. */
  readonly verify: string;
  /** Refresh the OAuth tokens now. */
  readonly refresh: string;
  /** Switch the connection back on. */
  readonly enable: string;
  /** Store the OAuth app's client id and secret on the connection. */
  readonly clientCredentials: string;
  /** Replace a refused static credential. */
  readonly updateCredentials: string;
  /** Set the connection's scopes to `scopes`. */
  scopes(scopes: readonly string[]): string;
}

export function nextStepsFor(account: ConnectedAccount, connection: Connection, settings: Pick<Settings, 'user_verification'>): NextSteps {
  const selector: Record<string, string> = { connection_name: connection.name, identifier: account.identifier };
  if (account.organizationId !== '') selector['organization_id'] = account.organizationId;
  if (account.userId !== '') selector['user_id'] = account.userId;
  const verifying = settings.user_verification === 'custom';
  const linkBody = JSON.stringify(verifying ? { ...selector, user_verify_url: 'https://<your app>/verify' } : selector);
  const sdkArgs = `{ connectionName: '${connection.name}', identifier: '${account.identifier}'${verifying ? ', userVerifyUrl' : ''} }`;
  const patch = (body: unknown) => `PATCH /api/v1/connections/${connection.id} ${JSON.stringify({ connection: body })}`;
  return {
    link:
      `create an authorization link with POST /api/v1/connected_accounts/magic_link ${linkBody} ` +
      `(SDK client.actions.getAuthorizationLink(${sdkArgs}), CLI agentgate accounts link ${account.id}) and send the user to the returned link` +
      (verifying ? '; user_verify_url is your page that calls POST /api/v1/connected_accounts/user/verify' : ''),
    verify:
      `from your user_verify_url handler, call POST /api/v1/connected_accounts/user/verify {"auth_request_id": "<the auth_request_id your page received>", "identifier": "${account.identifier}"} ` +
      `(SDK client.actions.verifyConnectedAccountUser({ authRequestId, identifier: '${account.identifier}' }))`,
    refresh:
      `refresh with POST /api/v1/connected_accounts/${account.id}:refresh (SDK client.actions.refreshConnectedAccount({ connectedAccountId: '${account.id}' }), ` +
      `CLI agentgate accounts refresh ${account.id}), or diagnose again with {"refresh": true}`,
    enable: `enable the connection with POST /api/v1/connections/${connection.id}:enable (SDK client.connections.enable('${connection.name}'))`,
    clientCredentials: `store the OAuth app's credentials from the provider's console on the connection: ${patch({ oauth_config: { client_id: '<client id>', client_secret: '<client secret>' } })}`,
    updateCredentials:
      `store the user's new credentials with PUT /api/v1/connected_accounts {"id": "${account.id}", "authorization_details": {"static_auth": {...}}}, ` +
      `or create an authorization link so that the user enters them (POST /api/v1/connected_accounts/magic_link ${JSON.stringify(selector)})`,
    scopes: (scopes) => patch({ oauth_config: { scopes: [...scopes] } }),
  };
}

/** A next step written mid-sentence, opening a sentence of its own. */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
