/** @module The HTTP application: Fastify with our error handling, bearer auth and every route. */
import formbody from '@fastify/formbody';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { GatewayError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { installErrorHandling } from './error-handler.ts';
import { lazyChildLogger } from './lazy-request-logger.ts';
import { buildOpenApi } from './openapi.ts';
import { defineRoute, registerRoutes, type RouteSpec } from './route.ts';
import { accountReadRoutes } from './routes/account-read-routes.ts';
import { accountWriteRoutes } from './routes/account-write-routes.ts';
import { flowApiRoutes } from './routes/flow-api-routes.ts';
import { refreshRoutes } from './routes/refresh-routes.ts';
import { diagnoseRoutes } from './routes/diagnose-routes.ts';
import { registerConnectRoutes } from './connect-routes.ts';
import { registerDashboard } from '../dashboard/register-dashboard.ts';
import { registerProxyRoute } from './proxy-route.ts';
import { connectionRoutes } from './routes/connection-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { registerMcpEndpoint } from './mcp-endpoint.ts';
import { mcpRoutes } from './routes/mcp-routes.ts';
import { miscRoutes } from './routes/misc-routes.ts';
import { tokenRoutes } from './routes/token-route.ts';
import { toolCallLogRoutes } from './routes/tool-call-log-routes.ts';
import { toolRoutes } from './routes/tool-routes.ts';
import { webhookRoutes } from './routes/webhook-routes.ts';
import type { HttpServices } from './services.ts';

export const API_VERSION = '0.1.0';

/**
 * The path for the access log: without the query, and with the route's pattern instead of the URL when
 * a path segment is a bearer secret (an authorization link's token), so logs never hold a usable link.
 */
function loggedPath(request: FastifyRequest): string {
  const pattern = request.routeOptions.url;
  if (pattern !== undefined && pattern.includes(':token')) return pattern;
  return request.url.split('?')[0] ?? request.url;
}

export function allRoutes(services: HttpServices): RouteSpec[] {
  return [
    ...healthRoutes(services),
    ...tokenRoutes(services),
    ...connectionRoutes(services),
    ...accountReadRoutes(services),
    ...accountWriteRoutes(services),
    ...flowApiRoutes(services),
    ...refreshRoutes(services),
    ...diagnoseRoutes(services),
    ...miscRoutes(services),
    ...webhookRoutes(services),
    ...toolRoutes(services),
    ...toolCallLogRoutes(services),
    ...mcpRoutes(services),
  ];
}

export interface AppOptions {
  readonly logger: Logger;
  readonly bodyLimitBytes: number;
  /** Proxies whose X-Forwarded-For is trusted for the client address (the failed-login limit); 0: none. */
  readonly trustProxyHops?: number;
}

export async function buildApp(services: HttpServices, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    childLoggerFactory: lazyChildLogger,
    bodyLimit: options.bodyLimitBytes,
    // A hop count, never `true`: trusting every hop would let a client pick its address by sending its own X-Forwarded-For.
    trustProxy: (_address: string, hop: number) => hop < (options.trustProxyHops ?? 0),
    genReqId: () => randomUUID(),
    // Request logs carry method and path only; query strings and headers stay out of the logs.
    logController: new LogController({ disableRequestLogging: true }),
    // Our own answer while closing (below): Fastify's bare 503 has no error code, and SDKs only repeat a
    // write after a 503 that says the gateway did nothing (not_ready).
    return503OnClosing: false,
  });
  // JSON and (for /oauth/token) forms only: Fastify's built-in text/plain parser would turn a text
  // body into a string and answer 400 instead of 415 unsupported_media_type.
  app.removeContentTypeParser('text/plain');
  await app.register(formbody, { bodyLimit: options.bodyLimitBytes });
  installErrorHandling(app, { docsUrl: services.ctx.flow.docsUrl });
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  // Callback-style hooks: an async hook costs a promise and its resolution on every request.
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    void reply.header('x-content-type-options', 'nosniff');
    // A request that reaches a closing replica (pipelined or on a busy keep-alive connection) runs
    // nothing; Fastify has already asked the client to close the connection.
    if (closing) {
      done(new GatewayError('not_ready', 'This gateway replica is shutting down and did not run the request; send it again (another replica will take it).'));
      return;
    }
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    // Built only when it is written (the line is info; production often runs at warn).
    if ((request.log as Logger).isLevelEnabled('info')) {
      request.log.info({ method: request.method, path: loggedPath(request), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    }
    done();
  });

  const authenticate = async (request: Parameters<Parameters<typeof registerRoutes>[2]>[0]) => {
    const header = request.headers.authorization;
    if (header === undefined || header === '') throw new GatewayError('unauthenticated', 'Send Authorization: Bearer <token>; get a token from POST /oauth/token.');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match?.[1] === undefined) throw new GatewayError('invalid_token', 'The Authorization header must be "Bearer <token>".');
    request.caller = await services.machineAuth.authenticate(match[1]);
  };

  const routes = allRoutes(services);
  let document: Record<string, unknown> | undefined;
  const openapiRoute: RouteSpec = defineRoute({
    method: 'GET',
    path: '/api/v1/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This document.',
    tag: 'operations',
    auth: false,
    errors: [],
    handler: async (): Promise<unknown> => (document ??= buildOpenApi([...routes, openapiRoute], { version: API_VERSION, serverUrl: services.ctx.publicUrl })),
  });
  registerRoutes(app, [...routes, openapiRoute], authenticate);
  registerConnectRoutes(app, services.ctx);
  await registerProxyRoute(app, services.ctx, authenticate);
  registerMcpEndpoint(app, services.ctx, API_VERSION);
  await registerDashboard(app, services);
  return app;
}
