/**
 * @module Sequential latency with microsecond resolution (autocannon's histogram counts whole
 * milliseconds, which reads 0 for a sub-millisecond request). One keep-alive socket, one request at a time.
 */
import http from 'node:http';

export interface LatencyResult {
  readonly p50: number;
  readonly p99: number;
}

export interface SequentialResult extends LatencyResult {
  /** Requests per second of the timed phase (one connection, back to back). */
  readonly requestsPerSecond: number;
  readonly count: number;
}

interface ProbeRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | undefined;
}

function once(agent: http.Agent, request: ProbeRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const outgoing = http.request(request.url, { agent, method: request.method, headers: request.headers }, (response) => {
      response.resume();
      response.on('end', () => {
        if ((response.statusCode ?? 0) >= 300) reject(new Error(`${request.method} ${request.url.pathname}: HTTP ${response.statusCode}`));
        else resolve(Number(process.hrtime.bigint() - started) / 1e6);
      });
    });
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

function requestsOf(options: { url: string; headers: Record<string, string>; paths: readonly string[]; method?: string; bodies?: readonly string[] }): ProbeRequest[] {
  const method = options.method ?? 'GET';
  if (options.bodies === undefined) return options.paths.map((path) => ({ url: new URL(path, options.url), method, headers: options.headers, body: undefined }));
  const url = new URL(options.paths[0] ?? '/', options.url);
  return options.bodies.map((text) => {
    const body = Buffer.from(text);
    return { url, method, headers: { ...options.headers, 'content-length': String(body.length) }, body };
  });
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/**
 * `count` timed requests after 200 untimed ones (JIT, connection), or, with `seconds`, as many as fit
 * in that time. Throughput is timed requests over the timed phase's wall time.
 */
export async function probeSequential(options: {
  url: string;
  headers: Record<string, string>;
  paths: readonly string[];
  method?: string;
  bodies?: readonly string[];
  count?: number;
  seconds?: number;
  warmup?: number;
}): Promise<SequentialResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const requests = requestsOf(options);
  const samples: number[] = [];
  const warmup = options.warmup ?? 200;
  try {
    let i = 0;
    for (; i < warmup; i++) await once(agent, requests[i % requests.length]!);
    const started = process.hrtime.bigint();
    const deadline = options.seconds === undefined ? undefined : started + BigInt(Math.round(options.seconds * 1e9));
    const count = options.count ?? Number.POSITIVE_INFINITY;
    while (samples.length < count && (deadline === undefined || process.hrtime.bigint() < deadline)) {
      samples.push(await once(agent, requests[i++ % requests.length]!));
    }
    const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    samples.sort((a, b) => a - b);
    return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99), requestsPerSecond: samples.length / elapsedSeconds, count: samples.length };
  } finally {
    agent.destroy();
  }
}

export async function probeLatency(options: { url: string; headers: Record<string, string>; paths: readonly string[]; count: number }): Promise<LatencyResult> {
  const { p50, p99 } = await probeSequential(options);
  return { p50, p99 };
}
