/** @module Assertions shared by the API behaviour tests (error shape, secret scans, small request helpers). */
import assert from 'node:assert/strict';
import type { ApiResponse, TestGateway } from './test-gateway.ts';

/**
 * Checks an error answer: the HTTP status, the code, and that the body is exactly
 * `{error: {code, message, details?, docs}}` (nothing else at either level), `docs` linking the code's
 * section of docs/errors.md. Returns `error`.
 */
export function assertError(response: ApiResponse, status: number, code: string): { code: string; message: string; details?: Record<string, any>; docs: string } {
  assert.equal(response.status, status, `expected ${status} ${code}, got ${response.status}: ${response.text}`);
  assert.ok(response.body !== null && typeof response.body === 'object' && !Array.isArray(response.body), `error body is not an object: ${response.text}`);
  assert.deepEqual(Object.keys(response.body), ['error'], `error body has extra keys: ${response.text}`);
  const error = response.body.error;
  assert.ok(error !== null && typeof error === 'object' && !Array.isArray(error), `error is not an object: ${response.text}`);
  const keys = Object.keys(error).sort();
  assert.ok(
    JSON.stringify(keys) === JSON.stringify(['code', 'docs', 'message']) || JSON.stringify(keys) === JSON.stringify(['code', 'details', 'docs', 'message']),
    `error has unexpected keys ${JSON.stringify(keys)}: ${response.text}`,
  );
  assert.equal(error.code, code, response.text);
  assert.ok(typeof error.docs === 'string' && error.docs.endsWith(`/errors.md#${code}`), `docs does not link the code's section: ${response.text}`);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0, 'error message is empty');
  if ('details' in error) assert.ok(error.details !== null && typeof error.details === 'object' && !Array.isArray(error.details), 'details is not an object');
  return error;
}

/** The issue paths of a `validation_failed` / `invalid_credentials` error. */
export function issuePaths(error: { details?: Record<string, any> }): string[] {
  const issues: unknown = error.details?.['issues'];
  assert.ok(Array.isArray(issues), `details.issues is missing: ${JSON.stringify(error)}`);
  return issues.map((issue: { path: unknown }) => String(issue.path));
}

/** Asserts that none of the planted secret values appears anywhere in a response text. */
export function assertNoSecrets(text: string, secrets: readonly string[], where: string): void {
  for (const secret of secrets) assert.ok(!text.includes(secret), `${where} leaks a planted secret`);
}

/** Every key (at any depth) of a JSON value. */
export function allKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allKeys);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...allKeys(v)]);
  return [];
}

export function query(params: Record<string, string | number | readonly string[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, v);
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** Follows `next_page_token` to the end; returns every item of `key` and every page. */
export async function walkPages(
  gw: TestGateway,
  path: string,
  key: string,
  params: Record<string, string | number | readonly string[] | undefined>,
  token?: string,
): Promise<{ items: any[]; pages: any[] }> {
  const items: any[] = [];
  const pages: any[] = [];
  let pageToken: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const response = await gw.api('GET', `${path}${query({ ...params, page_token: pageToken })}`, undefined, token === undefined ? {} : { token });
    assert.equal(response.status, 200, response.text);
    pages.push(response.body);
    items.push(...response.body[key]);
    if (response.body.next_page_token === '') return { items, pages };
    pageToken = response.body.next_page_token;
  }
  throw new Error('pagination never ended');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
