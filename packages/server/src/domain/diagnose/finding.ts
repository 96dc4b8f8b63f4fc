/**
 * @module What one check of the diagnosis says: the check, how bad it is, what was found, the next step
 * and the troubleshooting section that explains it.
 */
import { troubleshootingUrl } from '../auth-flows/connect-errors.ts';

/**
 * `ok`: nothing to do. `warn`: the account works or is on its way (a user still has to finish), or a
 * check could not run, but something deserves a look. `fail`: calls with this account fail until the
 * fix is applied.
 */
export type FindingResult = 'ok' | 'warn' | 'fail';

/** The checks, in the order a diagnosis reports them (the seeds' troubleshooting checklist). */
export const CHECKS = ['status', 'connection', 'token', 'refresh', 'scopes', 'probe', 'recent_errors'] as const;
export type CheckName = (typeof CHECKS)[number];

export interface Finding {
  readonly check: CheckName;
  readonly result: FindingResult;
  /** What was found, in plain words, with the values that matter (status, times, tools, codes). */
  readonly message: string;
  /** The concrete next step (the API call, SDK method or CLI command to run); null when there is nothing to do. */
  readonly fix: string | null;
  /** A link to the section of docs/troubleshooting.md that explains the finding; null when none applies. */
  readonly docs: string | null;
  /** Machine-readable facts behind the message (tool names, scopes, execution id...). Never a secret. */
  readonly details?: Readonly<Record<string, unknown>>;
}

const RANK: Record<FindingResult, number> = { ok: 0, warn: 1, fail: 2 };

/** The worst result of a list (`ok` for none). */
export function worstOf(results: readonly FindingResult[]): FindingResult {
  return results.reduce<FindingResult>((worst, result) => (RANK[result] > RANK[worst] ? result : worst), 'ok');
}

/** The result one step milder: an error from before the last success may be fixed already. */
export function milder(result: FindingResult): FindingResult {
  return result === 'fail' ? 'warn' : result;
}

/** Builds findings whose `docs` link a heading of docs/troubleshooting.md under the configured docs URL. */
export function findingFactory(docsUrl: string) {
  return (check: CheckName, result: FindingResult, message: string, fix: string | null, docsAnchor: string | null, details?: Readonly<Record<string, unknown>>): Finding => ({
    check,
    result,
    message,
    fix,
    docs: docsAnchor === null ? null : troubleshootingUrl(docsUrl, docsAnchor),
    ...(details === undefined ? {} : { details }),
  });
}

export type MakeFinding = ReturnType<typeof findingFactory>;
