/** @module Webhook endpoints and the delivery queue (which is also the delivery log). */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookRepository } from '../../domain/webhooks/webhook-port.ts';
import type { Database, WebhookDeliveriesTable, WebhookEndpointsTable } from '../database.ts';
import { applyWindow, finishWindow } from './paging.ts';
import { toDate, toDateOrNull } from './rows.ts';

function endpointFromRow(row: Selectable<WebhookEndpointsTable>): WebhookEndpoint {
  return {
    id: row.id,
    environmentId: row.environment_id,
    url: row.url,
    description: row.description,
    eventTypes: row.event_types,
    secretSealed: row.secret_sealed,
    previousSecretSealed: row.previous_secret_sealed,
    previousSecretExpiresAt: toDateOrNull(row.previous_secret_expires_at),
    enabled: row.enabled,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

function endpointToRow(e: WebhookEndpoint) {
  return {
    id: e.id,
    environment_id: e.environmentId,
    url: e.url,
    description: e.description,
    event_types: JSON.stringify(e.eventTypes),
    secret_sealed: e.secretSealed,
    previous_secret_sealed: e.previousSecretSealed,
    previous_secret_expires_at: e.previousSecretExpiresAt,
    enabled: e.enabled,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
  };
}

function deliveryFromRow(row: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return {
    id: row.id,
    environmentId: row.environment_id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    payload: row.payload,
    status: row.status as WebhookDeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: toDateOrNull(row.next_attempt_at),
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    leaseUntil: toDateOrNull(row.lease_until),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

export function webhookRepository(db: Kysely<Database>): WebhookRepository {
  const deliveriesOf = (environmentId: string, endpointId: string) =>
    db.selectFrom('webhook_deliveries').where('environment_id', '=', environmentId).where('endpoint_id', '=', endpointId);
  return {
    async insertEndpoint(e) {
      await db.insertInto('webhook_endpoints').values(endpointToRow(e)).execute();
    },
    async findEndpoint(environmentId, id) {
      const row = await db.selectFrom('webhook_endpoints').selectAll().where('environment_id', '=', environmentId).where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : endpointFromRow(row);
    },
    async listEndpoints(environmentId, window) {
      const rows = await applyWindow(db.selectFrom('webhook_endpoints').selectAll().where('environment_id', '=', environmentId), 'id', window).execute();
      return finishWindow(rows, window).map(endpointFromRow);
    },
    async countEndpoints(environmentId) {
      const row = await db
        .selectFrom('webhook_endpoints')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('environment_id', '=', environmentId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async updateEndpoint(e) {
      const { id, environment_id, created_at, ...changes } = endpointToRow(e);
      void created_at;
      await db.updateTable('webhook_endpoints').set(changes).where('environment_id', '=', environment_id).where('id', '=', id).execute();
    },
    async deleteEndpoint(environmentId, id) {
      const result = await db.deleteFrom('webhook_endpoints').where('environment_id', '=', environmentId).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async subscribedEndpoints(environmentId, eventType) {
      const rows = await db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('environment_id', '=', environmentId)
        .where('enabled', '=', true)
        // `@>` rather than jsonb's `?` operator, which some drivers mistake for a placeholder.
        .where(sql<boolean>`(event_types = '[]'::jsonb or event_types @> ${JSON.stringify([eventType])}::jsonb)`)
        .orderBy('id')
        .execute();
      return rows.map(endpointFromRow);
    },
    async insertDeliveries(deliveries) {
      if (deliveries.length === 0) return;
      await db
        .insertInto('webhook_deliveries')
        .values(
          deliveries.map((d) => ({
            id: d.id,
            environment_id: d.environmentId,
            endpoint_id: d.endpointId,
            event_id: d.eventId,
            event_type: d.eventType,
            payload: JSON.stringify(d.payload),
            status: d.status,
            attempts: d.attempts,
            next_attempt_at: d.nextAttemptAt,
            last_status_code: d.lastStatusCode,
            last_error: d.lastError,
            lease_until: d.leaseUntil,
            created_at: d.createdAt,
            updated_at: d.updatedAt,
          })),
        )
        .execute();
    },
    async listDeliveries(environmentId, endpointId, window) {
      const rows = await applyWindow(deliveriesOf(environmentId, endpointId).selectAll(), 'id', window, true).execute();
      return finishWindow(rows, window).map(deliveryFromRow);
    },
    async countDeliveries(environmentId, endpointId) {
      const row = await deliveriesOf(environmentId, endpointId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async leaseDue(now, leaseUntil, limit) {
      // SKIP LOCKED hands concurrent replicas disjoint rows; the outer conditions are re-checked on the
      // locked row version, so a row another replica leased in between is never taken twice.
      const due = db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
        .orderBy('next_attempt_at')
        .limit(limit)
        .forUpdate()
        .skipLocked();
      const rows = await db
        .updateTable('webhook_deliveries')
        .set({ lease_until: leaseUntil })
        .where('id', 'in', due)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
        .returningAll()
        .execute();
      return rows.map(deliveryFromRow);
    },
    async completeAttempt(id, leaseUntil, outcome) {
      const result = await db
        .updateTable('webhook_deliveries')
        .set({
          status: outcome.status,
          attempts: outcome.attempts,
          next_attempt_at: outcome.nextAttemptAt,
          last_status_code: outcome.lastStatusCode,
          last_error: outcome.lastError,
          updated_at: outcome.updatedAt,
          lease_until: null,
        })
        .where('id', '=', id)
        .where('lease_until', '=', leaseUntil)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
