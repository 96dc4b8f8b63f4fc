/** @module Structured JSON logs (pino) with every secret-bearing field redacted. */
import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Paths censored wherever they appear. Secrets should never reach a log call at all; this list is the
 * second line of defence, and a test plants canary secrets to prove the first one holds.
 */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'clientSecret',
  'api_key',
  'secret',
  'password',
  'static_auth',
  'authorization_details',
  'code_verifier',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  // At the top level of a log object and one level down (`*.x` alone does not match a top-level x).
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
];

export type { Logger };

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'agentgate' },
  };
  // Standard output through an asynchronous writer (lines written while a write is in flight go out
  // together in the next one): a synchronous write per line was a
  // quarter of the CPU of a tool call under load (profiled in the bench). pino flushes it on exit.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}
