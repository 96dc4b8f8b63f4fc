/**
 * @module The MCP endpoint of a config, `{public_url}/mcp/{config_id}`: Streamable HTTP, stateless.
 *
 * Every POST is authenticated by its session token and answered by a fresh MCP server and
 * transport built for that request and dropped after it (no session id, nothing kept in memory), so
 * any replica serves any request. The SDK's web-standard transport takes the body Fastify already
 * parsed and hands back a `Response` (JSON, not an SSE stream), which goes out through Fastify's
 * reply, so the usual hooks (request id, access log, error handling) still apply. GET (a standalone
 * notification stream) and DELETE (ending a session) have nothing to serve here: 405, as the
 * transport spec allows for servers without sessions or server-initiated messages.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DomainContext } from '../domain/context.ts';
import { authenticateSession, callSessionTool, listSessionTools, UnknownMcpTool, type McpSession } from '../domain/mcp/mcp-session.ts';
import { errorBody, GatewayError } from '../errors.ts';

/** Optional header naming the agent run a call belongs to (`params._meta.agent_run_id` wins). */
export const AGENT_RUN_HEADER = 'x-agent-run-id';

/** Hop-by-hop and body-framing headers: they describe Fastify's request, not the one the transport reads. */
const DROPPED_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect']);

function unauthorized(reply: FastifyReply, error: GatewayError, docsUrl: string): FastifyReply {
  // RFC 6750 §3: the scheme and realm, and for a token that was sent, why it was refused.
  const challenge = error.code === 'unauthenticated' ? 'Bearer realm="agentgate-mcp"' : `Bearer realm="agentgate-mcp", error="invalid_token", error_description="${error.message.replace(/["\\]/g, "'")}"`;
  return reply.code(401).header('www-authenticate', challenge).send(errorBody(error, docsUrl));
}

function bearerOf(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (header === undefined || header === '') throw new GatewayError('unauthenticated', 'Send Authorization: Bearer <session token>; mint one with POST /api/v1/mcp/configs/{id}/tokens.');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (match?.[1] === undefined) throw new GatewayError('invalid_token', 'The Authorization header must be "Bearer <session token>".', { details: { reason: 'malformed' } });
  return match[1];
}

function webRequestOf(ctx: DomainContext, request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || DROPPED_HEADERS.has(name)) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return new Request(`${ctx.publicUrl}${request.url}`, { method: request.method, headers });
}

function agentRunIdOf(meta: Record<string, unknown> | undefined, header: string | string[] | undefined): string | undefined {
  const value = meta?.['agent_run_id'] ?? (typeof header === 'string' ? header : undefined);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length < 1 || value.length > 255) throw new McpError(ErrorCode.InvalidParams, 'agent_run_id must be a string of 1 to 255 characters.');
  return value;
}

/** One request's MCP server: `tools/list` and `tools/call` for the session's user on the session's config. */
function serverFor(ctx: DomainContext, session: McpSession, request: FastifyRequest, version: string): Server {
  const log: FastifyBaseLogger = request.log;
  // The low-level Server: the high-level McpServer wants zod input schemas, and these tools come as JSON Schema from the catalog.
  const server = new Server({ name: `agentgate/${session.config.name}`, version }, { capabilities: { tools: {} }, ...(session.config.description === '' ? {} : { instructions: session.config.description }) });
  server.setRequestHandler(ListToolsRequestSchema, async () => {
    try {
      return { tools: (await listSessionTools(ctx, session)) as unknown as Tool[] };
    } catch (error) {
      log.error({ err: error }, 'mcp tools/list failed');
      throw new McpError(ErrorCode.InternalError, `An internal error occurred (request ${request.id}).`);
    }
  });
  server.setRequestHandler(CallToolRequestSchema, async (call): Promise<CallToolResult> => {
    const agentRunId = agentRunIdOf(call.params._meta, request.headers[AGENT_RUN_HEADER]);
    try {
      return (await callSessionTool(ctx, session, { name: call.params.name, arguments: call.params.arguments ?? {}, agentRunId })) as CallToolResult;
    } catch (error) {
      if (error instanceof UnknownMcpTool) throw new McpError(ErrorCode.InvalidParams, error.message);
      log.error({ err: error }, 'mcp tools/call failed');
      return { content: [{ type: 'text', text: `An internal error occurred (request ${request.id}); the gateway logs have the details.` }], isError: true };
    }
  });
  return server;
}

export function registerMcpEndpoint(app: FastifyInstance, ctx: DomainContext, version: string): void {
  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/mcp/:config_id',
    handler: async (request, reply) => {
      const configId = (request.params as { config_id: string }).config_id;
      let session: McpSession;
      try {
        session = await authenticateSession(ctx, configId, bearerOf(request));
      } catch (error) {
        if (error instanceof GatewayError && (error.code === 'unauthenticated' || error.code === 'invalid_token')) return unauthorized(reply, error, ctx.flow.docsUrl);
        throw error;
      }
      if (request.method !== 'POST') {
        return reply.code(405).header('allow', 'POST').send({ jsonrpc: '2.0', error: { code: ErrorCode.ConnectionClosed, message: 'Method not allowed: this MCP server is stateless; send JSON-RPC messages with POST.' }, id: null });
      }
      const server = serverFor(ctx, session, request, version);
      // No sessionIdGenerator: stateless mode (no Mcp-Session-Id, no session checks).
      const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
      try {
        await server.connect(transport);
        const response = await transport.handleRequest(webRequestOf(ctx, request), { parsedBody: request.body });
        const text = await response.text();
        void reply.code(response.status);
        response.headers.forEach((value, name) => void reply.header(name, value));
        return reply.send(text === '' ? undefined : text);
      } finally {
        await server.close();
      }
    },
  });
}
