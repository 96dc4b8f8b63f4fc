/**
 * @module `ANY /proxy/{path}`: the raw API proxy. Registered in its own Fastify scope so request
 * bodies arrive as bytes, whatever their content type (JSON, XML/SOAP, forms, binary).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors.ts';
import type { DomainContext } from '../domain/context.ts';
import { proxyCall } from '../domain/tools/proxy-call.ts';
import { callerOf } from './route.ts';

const header = (request: FastifyRequest, ...names: string[]): string | undefined => {
  for (const name of names) {
    const value = request.headers[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
};

export async function registerProxyRoute(app: FastifyInstance, ctx: DomainContext, authenticate: (request: FastifyRequest) => Promise<void>): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.route({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
      url: '/proxy/*',
      handler: async (request, reply) => {
        await authenticate(request);
        const connectionName = header(request, 'connection_name', 'connection-name', 'x-connection-name');
        const identifier = header(request, 'identifier', 'x-identifier');
        if (connectionName === undefined || identifier === undefined) {
          throw new GatewayError('validation_failed', 'Name the account with the headers connection_name and identifier.', {
            details: { issues: [...(connectionName === undefined ? [{ path: 'headers.connection_name', message: 'required' }] : []), ...(identifier === undefined ? [{ path: 'headers.identifier', message: 'required' }] : [])] },
          });
        }
        const raw = request.raw.url ?? '/';
        const queryAt = raw.indexOf('?');
        const path = (queryAt < 0 ? raw : raw.slice(0, queryAt)).slice('/proxy'.length) || '/';
        const result = await proxyCall(ctx, callerOf(request).environmentId, {
          method: request.method,
          path,
          query: queryAt < 0 ? '' : raw.slice(queryAt + 1),
          headers: request.headers,
          body: Buffer.isBuffer(request.body) ? request.body : undefined,
          connectionName,
          identifier,
        });
        reply.code(result.status).headers({ ...result.headers, 'x-agentgate-execution-id': result.executionId });
        return reply.send(result.body);
      },
    });
  });
}
