/** @module Keyset paging over time-ordered ids, shared by every list query. */
import type { SelectQueryBuilder } from 'kysely';
import type { PageWindow } from '../../domain/ports.ts';

/**
 * Applies a window to a query ordered by `column`. `newestFirst` flips the natural order (events).
 * A backwards window is read in reverse and flipped back by the caller via `finishWindow`.
 */
export function applyWindow<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  column: string,
  window: PageWindow,
  newestFirst = false,
): SelectQueryBuilder<DB, TB, O> {
  const ref = column as never;
  const forwardOp = newestFirst ? '<' : '>';
  const backwardOp = newestFirst ? '>' : '<';
  let q = query;
  if (window.after !== undefined) q = q.where(ref, forwardOp, window.after as never);
  if (window.before !== undefined) q = q.where(ref, backwardOp, window.before as never);
  const ascending = window.before === undefined ? !newestFirst : newestFirst;
  return q.orderBy(ref, ascending ? 'asc' : 'desc').limit(window.limit);
}

export function finishWindow<T>(rows: T[], window: PageWindow): T[] {
  return window.before === undefined ? rows : rows.reverse();
}
