/** The per-request logger built on first use still writes the request id and honours levels. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import { createLogger } from '../src/logger.ts';
import { lazyChildLogger } from '../src/http/lazy-request-logger.ts';

function capture(level: string): { logger: FastifyBaseLogger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger(level, sink) as unknown as FastifyBaseLogger;
  return { logger, lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('lazy request logger', () => {
  it('writes lines with the request bindings, and redacts secrets as the root logger does', () => {
    const { logger, lines } = capture('info');
    const child = lazyChildLogger(logger, { reqId: 'req-1' }, {});
    child.info({ client_secret: 'canary-secret' }, 'hello');
    child.error('broken');
    const written = lines();
    assert.equal(written.length, 2);
    assert.equal(written[0]?.['reqId'], 'req-1');
    assert.equal(written[0]?.['client_secret'], '[redacted]');
    assert.equal(written[1]?.['msg'], 'broken');
    assert.equal(written[1]?.['reqId'], 'req-1');
  });

  it('writes nothing below the level, and honours a route-level level', () => {
    const { logger, lines } = capture('warn');
    const child = lazyChildLogger(logger, { reqId: 'req-2' }, {});
    child.info('quiet');
    child.debug('quiet');
    assert.equal(child.level, 'warn');
    assert.deepEqual(lines(), []);
    child.warn('loud');
    assert.equal(lines().length, 1);
    const verbose = lazyChildLogger(logger, { reqId: 'req-3' }, { level: 'debug' });
    assert.equal(verbose.level, 'debug');
    verbose.debug('direct');
    assert.deepEqual([lines().at(-1)?.['msg'], lines().at(-1)?.['reqId']], ['direct', 'req-3'], 'a debug line under a warn root is written when the route asks for debug');
    verbose.child({ part: 'x' }).debug('nested');
    assert.equal(lines().at(-1)?.['part'], 'x');
  });
});
