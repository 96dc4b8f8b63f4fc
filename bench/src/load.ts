/** @module One autocannon measurement, reduced to the numbers the table shows. */
import autocannon from 'autocannon';

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
}

export async function measure(options: { url: string; connections: number; seconds: number; headers: Record<string, string>; paths: readonly string[] }): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers,
    requests: [
      {
        // Rotate over many accounts so the numbers are not one hot row.
        setupRequest: (request: autocannon.Request) => ({ ...request, path: options.paths[next++ % options.paths.length] ?? '/' }),
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
