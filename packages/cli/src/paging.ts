/** @module The `--page-size` / `--page-token` options of list commands, and the line under a page. */
import type { PageInfo } from '@agentgate/sdk';
import type { CommandContext, OptionSpecs } from './command.ts';
import { UsageError } from './errors.ts';
import { plural, type Output } from './output.ts';

export const PAGE_OPTIONS: OptionSpecs = {
  'page-size': { type: 'string', value: 'N', description: 'Rows per page, 1–100 (default 30).' },
  'page-token': { type: 'string', value: 'TOKEN', description: 'Continue from a previous page (its "next page" token).' },
};

/** Checked here so a typo is a usage error (exit 2) instead of a round trip ending in validation_failed. */
export function pageParams(ctx: CommandContext): { pageSize?: number; pageToken?: string } {
  const raw = ctx.string('page-size');
  const token = ctx.string('page-token');
  const params: { pageSize?: number; pageToken?: string } = {};
  if (raw !== undefined) {
    const size = Number(raw);
    if (!/^\d+$/.test(raw) || size < 1 || size > 100) throw new UsageError(`--page-size must be a whole number from 1 to 100, got "${raw}"`);
    params.pageSize = size;
  }
  if (token !== undefined) params.pageToken = token;
  return params;
}

/** "Showing 30 of 112 … Next page: --page-token X" so a human can go on without reading the docs. */
export function pageFooter(output: Output, page: PageInfo, shown: number, noun: string): void {
  output.line('');
  output.line(`${shown} of ${plural(page.totalSize, noun)}.`);
  if (page.nextPageToken !== '') output.line(`Next page: add --page-token ${page.nextPageToken}`);
}
