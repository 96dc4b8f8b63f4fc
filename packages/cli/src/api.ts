/**
 * @module The SDK client of the API commands, configured from flags or the environment.
 *
 * The API commands are ordinary API clients: they see exactly what the credential's environment
 * sees and go through the same validation and events as any application.
 */
import { AgentgateClient } from '@agentgate/sdk';
import type { CommandContext, OptionSpecs } from './command.ts';
import { UsageError } from './errors.ts';

export const DEFAULT_URL = 'http://localhost:8080';

export const URL_OPTION: OptionSpecs = {
  url: { type: 'string', value: 'URL', description: `Gateway URL (default $AGENTGATE_URL, then ${DEFAULT_URL}).` },
};

export const CREDENTIAL_OPTIONS: OptionSpecs = {
  'client-id': { type: 'string', value: 'ID', description: 'API client id (default $AGENTGATE_CLIENT_ID).' },
  'client-secret': { type: 'string', value: 'SECRET', description: 'API client secret (default $AGENTGATE_CLIENT_SECRET; prefer the variable).' },
};

/** What every API command accepts to reach the gateway. */
export const API_OPTIONS: OptionSpecs = { ...URL_OPTION, ...CREDENTIAL_OPTIONS };

export function apiClient(ctx: CommandContext): AgentgateClient {
  const envUrl = ctx.string('url') ?? nonEmpty(ctx.env['AGENTGATE_URL']) ?? DEFAULT_URL;
  const clientId = ctx.string('client-id') ?? nonEmpty(ctx.env['AGENTGATE_CLIENT_ID']);
  const secretFlag = ctx.string('client-secret');
  if (secretFlag !== undefined) ctx.output.warn('a secret on the command line lands in shell history and process lists; prefer AGENTGATE_CLIENT_SECRET');
  const clientSecret = secretFlag ?? nonEmpty(ctx.env['AGENTGATE_CLIENT_SECRET']);
  const missing = [clientId === undefined ? 'AGENTGATE_CLIENT_ID' : undefined, clientSecret === undefined ? 'AGENTGATE_CLIENT_SECRET' : undefined].filter(Boolean);
  if (clientId === undefined || clientSecret === undefined) {
    throw new UsageError(
      `missing API credentials: set ${missing.join(' and ')} or pass --client-id/--client-secret`,
      'create one with `agentgate credentials create`',
    );
  }
  try {
    return new AgentgateClient({ envUrl, clientId, clientSecret });
  } catch (error) {
    // The SDK validates the URL up front; its message says what is wrong with it.
    throw new UsageError(`invalid gateway URL: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// An empty variable (`AGENTGATE_URL= agentgate …`) means unset, as it does for the server's configuration.
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
