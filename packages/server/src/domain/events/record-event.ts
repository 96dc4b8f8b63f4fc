/** @module Writing and reading the event log. Events never carry secrets: callers pass public fields only. */
import { newId } from '../../ids.ts';
import type { ConnectedAccount, Connection, GatewayEvent } from '../model.ts';
import type { EventFilter, PageWindow, Store } from '../ports.ts';
import { enqueueWebhookDeliveries } from '../webhooks/enqueue.ts';

export interface NewEvent {
  readonly environmentId: string;
  readonly type: string;
  readonly object: GatewayEvent['object'];
  readonly data: Readonly<Record<string, unknown>>;
  readonly connectedAccountId?: string;
  readonly connection?: Pick<Connection, 'id' | 'name'>;
}

export async function recordEvent(store: Store, event: NewEvent, now: Date): Promise<GatewayEvent> {
  const stored: GatewayEvent = {
    id: newId('evt', now.getTime()),
    environmentId: event.environmentId,
    type: event.type,
    object: event.object,
    connectedAccountId: event.connectedAccountId ?? null,
    connectionId: event.connection?.id ?? null,
    connectionName: event.connection?.name ?? null,
    occurredAt: now,
    data: event.data,
  };
  await store.events.insert(stored);
  // Same store, so the same transaction when the caller opened one: the webhook lands with the event.
  await enqueueWebhookDeliveries(store, stored);
  return stored;
}

/** The public, secret-free picture of an account that account events carry. */
export function accountEventData(account: ConnectedAccount, connection: Pick<Connection, 'id' | 'name' | 'provider'>) {
  return {
    id: account.id,
    identifier: account.identifier,
    connection_id: connection.id,
    connection_name: connection.name,
    provider: connection.provider,
    authorization_type: account.authorizationType,
    status: account.status,
    token_expires_at: account.tokenExpiresAt?.toISOString() ?? null,
    last_used_at: account.lastUsedAt?.toISOString() ?? null,
  };
}

/** Records `connected_account.<verb>` and, when the status moved, `status_updated` with `old_status`. */
export async function recordAccountChange(
  store: Store,
  change: { verb: 'created' | 'updated' | 'deleted' | 'disconnected'; account: ConnectedAccount; connection: Connection; oldStatus?: string },
  now: Date,
): Promise<void> {
  const data = accountEventData(change.account, change.connection);
  const base = { environmentId: change.account.environmentId, object: 'ConnectedAccount' as const, connectedAccountId: change.account.id, connection: change.connection };
  await recordEvent(store, { ...base, type: `connected_account.${change.verb}`, data }, now);
  if (change.oldStatus !== undefined && change.oldStatus !== change.account.status) {
    await recordEvent(store, { ...base, type: 'connected_account.status_updated', data: { ...data, old_status: change.oldStatus } }, now);
  }
}

export async function listEvents(store: Store, environmentId: string, filter: EventFilter, window: PageWindow) {
  const [events, total] = await Promise.all([store.events.list(environmentId, filter, window), store.events.count(environmentId, filter)]);
  return { events, total };
}
