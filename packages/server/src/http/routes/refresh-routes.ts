/** @module Manual token refresh and the refresh history of an account. */
import { z } from 'zod';
import { refreshAccount } from '../../domain/tokens/refresh.ts';
import { findAccount } from '../../domain/accounts/accounts.ts';
import { paginate } from '../../domain/pagination.ts';
import { PageSize } from '../inputs.ts';
import { callerOf, defineRoute, type RouteSpec } from '../route.ts';
import type { HttpServices } from '../services.ts';
import { ConnectedAccountWire, formatAccount } from '../wire.ts';

const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();
const Attempt = z.object({
  id: z.string(),
  trigger: z.string(),
  outcome: z.string(),
  reason: z.string().nullable(),
  duration_ms: z.number().int(),
  started_at: z.string(),
});

export function refreshRoutes({ ctx }: HttpServices): RouteSpec[] {
  const refresh = defineRoute({
    method: 'POST',
    path: '/api/v1/connected_accounts/{id}:refresh',
    operationId: 'refreshConnectedAccount',
    summary: "Refresh an OAuth account's tokens now (one refresh per account at a time, across all replicas).",
    tag: 'connected accounts',
    auth: true,
    params: IdParams,
    response: z.object({ connected_account: ConnectedAccountWire }),
    errors: ['connected_account_not_found', 'refresh_not_supported', 'account_not_refreshable', 'token_refresh_rejected', 'token_refresh_unavailable'],
    handler: async ({ params, request }) => {
      const view = await refreshAccount(ctx, callerOf(request).environmentId, params.id, { trigger: 'manual', force: true });
      return { connected_account: formatAccount(view.account, view.connection) };
    },
  });
  return [
    refresh,
    { ...refresh, path: '/v1/connect/accounts/{id}/refresh', operationId: 'refreshConnectedAccountSeedPath', summary: 'Same as POST /api/v1/connected_accounts/{id}:refresh (path printed in the troubleshooting guides).' },
    defineRoute({
      method: 'GET',
      path: '/api/v1/connected_accounts/{id}/refresh_history',
      operationId: 'getRefreshHistory',
      summary: 'Every refresh attempt of an account, newest first: time, trigger, outcome, reason, duration.',
      tag: 'connected accounts',
      auth: true,
      params: IdParams,
      query: z.object({ page_size: PageSize(100, 30), page_token: z.string().max(512).optional() }).strict(),
      response: z.object({ refresh_attempts: z.array(Attempt), next_page_token: z.string(), prev_page_token: z.string() }),
      errors: ['connected_account_not_found', 'validation_failed'],
      handler: async ({ params, query, request }) => {
        const environmentId = callerOf(request).environmentId;
        const { account } = await findAccount(ctx, environmentId, { id: params.id });
        const page = await paginate({ pageSize: query.page_size, pageToken: query.page_token }, (window) => ctx.store.refresh.listAttempts(environmentId, account.id, window));
        return {
          refresh_attempts: page.items.map((a) => ({
            id: a.id,
            trigger: a.trigger,
            outcome: a.outcome,
            reason: a.reason,
            duration_ms: a.durationMs,
            started_at: a.startedAt.toISOString(),
          })),
          next_page_token: page.nextPageToken,
          prev_page_token: page.prevPageToken,
        };
      },
    }),
  ];
}
