/**
 * @module A failed authorization, kept as the account's `connected_account.authorization_failed` event.
 * The hosted error page tells the end user; this record tells the developer later (events, webhooks,
 * diagnose), because consent problems such as Microsoft's AADSTS65001 or a Google Workspace block
 * only ever show up here, never on a tool call.
 */
import type { DomainContext } from '../context.ts';
import { accountEventData, recordEvent } from '../events/record-event.ts';
import type { AuthRequest } from '../model.ts';
import { printable } from '../printable-text.ts';
import { ConnectFlowError } from './flow-error.ts';

const MAX_DESCRIPTION = 300;
const MAX_CODE = 64;

/**
 * Records why an authorization of an existing account failed. Never throws: losing this record must not
 * change what the end user sees.
 */
export async function recordFlowFailure(ctx: DomainContext, request: AuthRequest, error: unknown): Promise<void> {
  try {
    const view = await ctx.store.accounts.findWithConnection(request.environmentId, request.connectedAccountId);
    if (view === undefined) return;
    const flow = error instanceof ConnectFlowError ? error : undefined;
    await recordEvent(
      ctx.store,
      {
        environmentId: request.environmentId,
        type: 'connected_account.authorization_failed',
        object: 'ConnectedAccount',
        connectedAccountId: view.account.id,
        connection: view.connection,
        data: {
          ...accountEventData(view.account, view.connection),
          // Provider text is stored for display (diagnose, the CLI, webhooks), so it must read as it is.
          error: printable(flow?.code, MAX_CODE) ?? 'server_error',
          provider_error: printable(flow?.details.provider_error, MAX_CODE),
          error_description: flow === undefined ? null : printable(flow.details.provider_description ?? flow.description, MAX_DESCRIPTION),
        },
      },
      ctx.clock(),
    );
  } catch {
    // best effort: the flow already failed and the error page is what matters now
  }
}
