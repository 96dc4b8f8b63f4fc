/** @module Shared pieces of the outbound client tests: a scripted DNS resolver and the OutboundError assertion. */
import assert from 'node:assert/strict';
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
