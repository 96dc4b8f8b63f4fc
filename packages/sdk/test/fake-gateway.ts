/**
 * @module fake-gateway — a scripted stand-in for the Agentgate server, for SDK tests.
 *
 * It plays the real token endpoint (client credentials → bearer token) and answers API routes
 * with programmed replies. It exists because the failure modes the SDK must survive — bursts of
 * 503s, tokens the server stops accepting mid-life, slow answers, tool errors — cannot be made
 * to happen on demand against the real gateway. It records every request so tests can assert on
 * exactly what went over the wire.
 */

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export const CLIENT_ID = 'cli_test'
export const CLIENT_SECRET = 'secret_test'

/** One request as the fake saw it. */
export interface RecordedRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: string
  json: unknown
}

/** A programmed answer. `body` objects are sent as JSON, strings as-is. */
export interface Reply {
  status?: number
  headers?: Record<string, string>
  body?: unknown
  delayMs?: number
}

type Script = Reply | Reply[] | ((request: RecordedRequest) => Reply)

export class FakeGateway {
  readonly url: string
  /** API requests (everything except the token endpoint), in arrival order. */
  readonly requests: RecordedRequest[] = []
  readonly tokenRequests: RecordedRequest[] = []
  /** `expires_in` of newly issued tokens. */
  tokenExpiresIn = 86_400
  /** Delay of token answers, so concurrent callers really overlap. */
  tokenDelayMs = 25
  /** When set, the token endpoint answers this instead of issuing a token. */
  tokenReply: Reply | undefined
  readonly #server: Server
  readonly #routes = new Map<string, Script>()
  readonly #validTokens = new Set<string>()
  #issued = 0

  private constructor(server: Server, url: string) {
    this.#server = server
    this.url = url
  }

  static async start(): Promise<FakeGateway> {
    let gateway: FakeGateway | undefined
    const server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://fake')
        const body = Buffer.concat(chunks).toString('utf8')
        const recorded: RecordedRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
          json: parseJson(body),
        }
        const reply = gateway ? gateway.#answer(recorded) : { status: 503 }
        const send = () => {
          if (res.destroyed) return
          const payload = typeof reply.body === 'string' ? reply.body : reply.body === undefined ? '' : JSON.stringify(reply.body)
          const contentType = typeof reply.body === 'string' ? 'text/plain' : 'application/json'
          res.writeHead(reply.status ?? 200, { 'content-type': contentType, ...reply.headers })
          res.end(payload)
        }
        if (reply.delayMs) setTimeout(send, reply.delayMs)
        else send()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    gateway = new FakeGateway(server, `http://127.0.0.1:${port}`)
    return gateway
  }

  /**
   * Programs `METHOD /path`. A list of replies is consumed in order and its last entry repeats.
   */
  on(method: string, path: string, script: Script): this {
    this.#routes.set(`${method} ${path}`, script)
    return this
  }

  /** Makes the server refuse every token issued so far, as after a revocation or early expiry. */
  revokeTokens(): void {
    this.#validTokens.clear()
  }

  /** API requests to `path` (all paths when omitted). */
  calls(path?: string): RecordedRequest[] {
    return path === undefined ? this.requests : this.requests.filter((request) => request.path === path)
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  #answer(request: RecordedRequest): Reply {
    if (request.path === '/oauth/token') return this.#token(request)
    this.requests.push(request)
    const token = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1]
    if (!token || !this.#validTokens.has(token)) {
      return { status: 401, body: { error: { code: 'unauthenticated', message: 'Invalid or expired token' } } }
    }
    const script = this.#routes.get(`${request.method} ${request.path}`)
    if (script === undefined) return { status: 404, body: { error: { code: 'route_not_found', message: 'No such route' } } }
    if (typeof script === 'function') return script(request)
    if (Array.isArray(script)) return (script.length > 1 ? script.shift() : script[0]) ?? { status: 500 }
    return script
  }

  #token(request: RecordedRequest): Reply {
    this.tokenRequests.push(request)
    if (this.tokenReply) return this.tokenReply
    const form = new URLSearchParams(request.body)
    if (form.get('client_id') !== CLIENT_ID || form.get('client_secret') !== CLIENT_SECRET) {
      return { status: 401, body: { error: { code: 'invalid_client', message: 'Bad client credentials' } } }
    }
    const token = `tok-${++this.#issued}`
    this.#validTokens.add(token)
    return {
      status: 200,
      delayMs: this.tokenDelayMs,
      body: { access_token: token, token_type: 'Bearer', expires_in: this.tokenExpiresIn },
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
