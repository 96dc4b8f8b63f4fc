/**
 * @module The first two checks: what the account's status means (and the step that moves it to ACTIVE),
 * and whether its connection can serve it (enabled, OAuth client configured, connector still known).
 */
import type { Connector } from '../../catalog/connector-schema.ts';
import { connectionStatus, redirectUriOf } from '../connections/connections.ts';
import type { ConnectedAccount, Connection } from '../model.ts';
import type { Finding, MakeFinding } from './finding.ts';
import { capitalized, type NextSteps } from './next-steps.ts';

export interface StatusInput {
  readonly account: ConnectedAccount;
  /** The status before this diagnosis refreshed the account, when the refresh changed it. */
  readonly statusBefore: string;
  readonly steps: NextSteps;
}

export function statusFinding(make: MakeFinding, { account, statusBefore, steps }: StatusInput): Finding {
  const status: string = account.status;
  const moved = statusBefore === status ? '' : ` (it was ${statusBefore}; the refresh of this diagnosis changed it)`;
  const details = { status, ...(moved === '' ? {} : { status_before: statusBefore }) };
  switch (status) {
    case 'ACTIVE':
      return make('status', 'ok', `The account is ACTIVE${moved}: its credentials are valid and tools can run.`, null, 'active', details);
    case 'PENDING_AUTH':
      return make(
        'status',
        'warn',
        'The account is PENDING_AUTH: the user has not finished authorizing (or a new authorization was started and not completed). Tool calls fail with account_not_active until they do.',
        `Send the user through the hosted flow: ${steps.link}. Links are single use and expire after 10 minutes, so create one when the user is about to click it.`,
        'pending_auth',
        details,
      );
    case 'PENDING_VERIFICATION':
      return make(
        'status',
        'warn',
        'The account is PENDING_VERIFICATION: the provider issued tokens and they are held until your app confirms who the user is. Tool calls fail until then.',
        `${capitalized(steps.verify)}. A pending verification expires after 10 minutes and its tokens are discarded; after that, ${steps.link}.`,
        'pending_verification',
        details,
      );
    case 'EXPIRED':
      return make(
        'status',
        'fail',
        `The account is EXPIRED${moved}: its access token is dead and could not be refreshed. Tool calls fail with account_not_active.`,
        account.authorizationType === 'OAUTH'
          ? `Try a refresh first: ${steps.refresh}. If the provider refuses (token_refresh_rejected), ${steps.link}; completing it re-authorizes this same account.`
          : `${capitalized(steps.updateCredentials)}.`,
        'expired',
        details,
      );
    case 'DISCONNECTED':
      return make(
        'status',
        'fail',
        'The account is DISCONNECTED: it was disconnected (API, dashboard or end user) or access was revoked at the provider, and its credentials were erased. Tool calls fail until the user connects again.',
        `Re-authorization is the only fix: ${steps.link}, and tell the user why they need to reconnect.`,
        'disconnected',
        details,
      );
    default:
      return make('status', 'fail', `The account has the status ${status}, which this gateway does not use; tool calls fail.`, `Authorize again: ${steps.link}.`, 'check-the-account-status-first', details);
  }
}

export interface ConnectionInput {
  readonly connection: Connection;
  readonly connector: Connector | undefined;
  readonly publicUrl: string;
  readonly steps: NextSteps;
}

export function connectionFinding(make: MakeFinding, { connection, connector, publicUrl, steps }: ConnectionInput): Finding {
  const details = { connection_id: connection.id, connection_name: connection.name, provider: connection.provider, type: connection.type, enabled: connection.enabled };
  if (connector === undefined) {
    return make(
      'connection',
      'fail',
      `Connection "${connection.name}" uses the connector "${connection.provider}", which is no longer in this gateway's catalog: nothing can run on it.`,
      `Restore the connector in the catalog, or create a connection on an available connector (GET /api/v1/providers) and ${steps.link} on it.`,
      'connection-not-configured',
      details,
    );
  }
  if (!connection.enabled) {
    return make('connection', 'fail', `Connection "${connection.name}" is disabled: links, tool calls and refreshes on it are refused.`, `${capitalized(steps.enable)}.`, 'connection_disabled', details);
  }
  if (connectionStatus(connection) === 'DRAFT') {
    const missing = [connection.oauthConfig.client_id === undefined ? 'client_id' : null, connection.clientSecretSealed === null ? 'client_secret' : null].filter((m) => m !== null);
    return make(
      'connection',
      'fail',
      `Connection "${connection.name}" is a DRAFT: its OAuth ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing, so no authorization or refresh can happen.`,
      `Register an OAuth app at ${connector.display_name} with the redirect URI ${redirectUriOf({ publicUrl }, connection)}, then ${steps.clientCredentials}.`,
      'connection-not-configured',
      { ...details, missing },
    );
  }
  const redirect = connection.type === 'OAUTH' ? ` Its redirect URI is ${redirectUriOf({ publicUrl }, connection)}.` : '';
  return make('connection', 'ok', `Connection "${connection.name}" (${connector.display_name}, ${connection.type}) is enabled and configured.${redirect}`, null, null, details);
}
