/** @module One autocannon measurement, reduced to the numbers the table shows. */
import autocannon from 'autocannon';

export interface LoadResult {
  readonly requestsPerSecond: number;
  /** Answers received during the run. */
  readonly total: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
}

export interface LoadTarget {
  readonly url: string;
  readonly headers: Record<string, string>;
  /** Rotated over (one request per path), unless `bodies` is given. */
  readonly paths: readonly string[];
  readonly method?: 'GET' | 'POST';
  /** Rotated over with `paths[0]`: one prebuilt request per body. */
  readonly bodies?: readonly string[];
}

/**
 * The request list autocannon cycles through. Built once (no `setupRequest`): autocannon then sends
 * prebuilt buffers, which keeps the load generator's own CPU per request low. Rotating over many
 * accounts keeps the numbers from being one hot row.
 */
function requestsOf(target: LoadTarget): autocannon.Request[] {
  const method = target.method ?? 'GET';
  if (target.bodies !== undefined) return target.bodies.map((body) => ({ method, path: target.paths[0] ?? '/', body }));
  return target.paths.map((path) => ({ method, path }));
}

export async function measure(options: LoadTarget & { connections: number; seconds: number }): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers,
    requests: requestsOf(options),
  });
  return {
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
