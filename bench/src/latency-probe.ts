/**
 * @module Sequential latency with microsecond resolution (autocannon's histogram counts whole
 * milliseconds, which reads 0 for a sub-millisecond request). One keep-alive socket, one request at a time.
 */
import http from 'node:http';

export interface LatencyResult {
  readonly p50: number;
  readonly p99: number;
}

function once(agent: http.Agent, url: URL, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const request = http.request(url, { agent, headers }, (response) => {
      response.resume();
      response.on('end', () => {
        if ((response.statusCode ?? 0) >= 300) reject(new Error(`${url.pathname}: HTTP ${response.statusCode}`));
        else resolve(Number(process.hrtime.bigint() - started) / 1e6);
      });
    });
    request.on('error', reject);
    request.end();
  });
}

export async function probeLatency(options: { url: string; headers: Record<string, string>; paths: readonly string[]; count: number }): Promise<LatencyResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  try {
    for (let i = 0; i < options.count + 200; i++) {
      const ms = await once(agent, new URL(options.paths[i % options.paths.length] ?? '/', options.url), options.headers);
      if (i >= 200) samples.push(ms); // the first 200 warm the JIT and the connection
    }
  } finally {
    agent.destroy();
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}
