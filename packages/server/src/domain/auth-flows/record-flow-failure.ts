/**
 * @module A failed authorization, kept as the account's `connected_account.authorization_failed` event.
 * The hosted error page tells the end user; this record tells the developer later (events, webhooks,
 * diagnose), because consent problems such as Microsoft's AADSTS65001 or a Google Workspace block
 * only ever show up here, never on a tool call.
 */
import type { DomainContext } from '../context.ts';
import { accountEventData, recordEvent } from '../events/record-event.ts';
import type { AuthRequest } from '../model.ts';
import { ConnectFlowError } from './flow-error.ts';

/** C0/C1 controls and bidi overrides: provider text is stored for display, so it must read as it is. */
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const MAX_DESCRIPTION = 300;

function cleaned(text: string | undefined): string | null {
  const value = text?.replace(UNPRINTABLE, '').trim() ?? '';
  if (value === '') return null;
  return value.length > MAX_DESCRIPTION ? `${value.slice(0, MAX_DESCRIPTION)}…` : value;
}

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
          error: (flow?.code ?? 'server_error').slice(0, 64),
          provider_error: flow?.details.provider_error?.slice(0, 64) ?? null,
          error_description: flow === undefined ? null : cleaned(flow.details.provider_description ?? flow.description),
        },
      },
      ctx.clock(),
    );
  } catch {
    // best effort: the flow already failed and the error page is what matters now
  }
}
