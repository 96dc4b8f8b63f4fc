/** @module Shared pieces of the outbound client tests: a scripted DNS resolver and the OutboundError assertion. */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import type { LookupFunction } from 'node:net';
import { OutboundError, type OutboundErrorReason } from '../../src/domain/outbound/safe-fetch.ts';

/** Awaits `promise` and asserts it fails with an OutboundError of `reason`; returns the error. */
export async function rejectsWith(promise: Promise<unknown>, reason: OutboundErrorReason): Promise<OutboundError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OutboundError, `expected OutboundError, got ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    return error;
  }
  assert.fail(`expected an OutboundError (${reason})`);
}

/** A resolver that answers every name with `addresses` (rebinding and private-answer tests). */
export const lookupTo =
  (...addresses: string[]): LookupFunction =>
  (_hostname, options, callback) => {
    const list = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (options.all) callback(null, list);
    else callback(null, list[0]?.address ?? '', list[0]?.family ?? 4);
  };

/**
 * The misbehaving upstream of the deadline and size-cap cases: `/hang` never answers, `/trickle`
 * drips forever, `/big` streams 5 KiB unannounced, `/exact` is exactly 1 KiB, `/head-large` and
 * `/declared` announce 100 000 bytes. Returns false for any other path (the caller answers it).
 */
export function answerMisbehaving(path: string, res: ServerResponse): boolean {
  switch (path) {
    case '/hang':
      return true; // never answers: the deadline has to end it
    case '/trickle': {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), 50);
      res.on('close', () => clearInterval(timer));
      return true;
    }
    case '/big':
      res.writeHead(200, { 'content-type': 'application/octet-stream' }); // chunked: no length announced
      for (let i = 0; i < 10; i++) res.write(Buffer.alloc(512, 1));
      res.end();
      return true;
    case '/exact':
      res.end(Buffer.alloc(1024, 1));
      return true;
    case '/head-large':
      res.writeHead(200, { 'content-length': '100000' }).end();
      return true;
    case '/declared':
      res.writeHead(200, { 'content-length': '100000' });
      res.write(Buffer.alloc(10)); // and then nothing: the announced length alone has to refuse it
      return true;
    default:
      return false;
  }
}
