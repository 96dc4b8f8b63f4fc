/**
 * MCP test helpers: a real MCP client (the SDK's `Client` over `StreamableHTTPClientTransport`)
 * connected with a session token, a raw JSON-RPC POST for what a client library would not send
 * (forged tokens, wrong methods), and the config set-up the MCP tests share.
 */
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { TestGateway } from './test-gateway.ts';

/** The server URL as served by this test gateway (the config's mcp_server_url names the public URL). */
export function endpointOn(gw: TestGateway, mcpServerUrl: string): string {
  return `${gw.url}${new URL(mcpServerUrl).pathname}`;
}

/** An MCP client connected (initialize done) to `url` with `Authorization: Bearer <token>`. */
export async function connectMcp(url: string, token: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'agentgate-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}`, ...headers } } });
  await client.connect(transport);
  return client;
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: any;
}

/** One JSON-RPC message POSTed as an MCP client would (both Accept types), with whatever Authorization is given. */
export async function postMcp(url: string, authorization: string | null, message: unknown, method = 'POST'): Promise<RawAnswer> {
  const headers: Record<string, string> = { accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };
  if (method === 'POST') headers['content-type'] = 'application/json';
  if (authorization !== null) headers['authorization'] = authorization;
  const response = await fetch(url, { method, headers, ...(method === 'POST' ? { body: JSON.stringify(message) } : {}) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, headers: response.headers, body };
}

export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw-test', version: '1.0.0' } },
};

export const LIST_TOOLS = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };

export interface McpConfigBody {
  name: string;
  description?: string;
  connection_tool_mappings: { connection_name: string; tools?: string[] }[];
  user_verify_url?: string;
}

export async function createConfig(gw: TestGateway, config: McpConfigBody, token?: string): Promise<{ id: string; mcp_server_url: string; [key: string]: unknown }> {
  const response = await gw.api('POST', '/api/v1/mcp/configs', { config }, token === undefined ? {} : { token });
  assert.equal(response.status, 201, response.text);
  return response.body.config;
}

export async function mintToken(gw: TestGateway, configId: string, identifier: string, expiry?: number | string, token?: string): Promise<{ token: string; expires_at: string; mcp_server_url: string }> {
  const response = await gw.api('POST', `/api/v1/mcp/configs/${configId}/tokens`, { identifier, ...(expiry === undefined ? {} : { expiry }) }, token === undefined ? {} : { token });
  assert.equal(response.status, 200, response.text);
  return response.body;
}
