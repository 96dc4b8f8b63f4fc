/** @module Liveness and readiness. */
import { z } from 'zod';
import { GatewayError } from '../../errors.ts';
import { defineRoute, type RouteSpec } from '../route.ts';
import type { HttpServices } from '../services.ts';

export function healthRoutes(services: HttpServices): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/healthz',
      operationId: 'healthz',
      summary: 'Liveness: 200 while the process serves HTTP.',
      tag: 'operations',
      auth: false,
      response: z.object({ status: z.literal('ok') }),
      errors: [],
      handler: async () => ({ status: 'ok' }),
    }),
    defineRoute({
      method: 'GET',
      path: '/readyz',
      operationId: 'readyz',
      summary: 'Readiness: 200 when the database answers, 503 otherwise.',
      tag: 'operations',
      auth: false,
      response: z.object({ status: z.literal('ready') }),
      errors: ['not_ready'],
      handler: async () => {
        try {
          await services.ping();
        } catch (cause) {
          throw new GatewayError('not_ready', undefined, { cause });
        }
        return { status: 'ready' };
      },
    }),
  ];
}
