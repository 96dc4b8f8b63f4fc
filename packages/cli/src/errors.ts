/**
 * @module Errors of the command line and how they become an exit code plus ONE line on stderr.
 *
 * Scripts branch on the exit code (1: the operation failed, 2: the command was used wrongly) and
 * humans read a single `agentgate: …` line; stack traces are noise to both, so they appear only
 * with `--verbose`.
 */

import { AccountNotActiveError, isAgentgateError, isToolError, ToolForbiddenError, ToolRateLimitError, type ToolError } from '@agentgate/sdk';

/** Exit code of an operation that was understood but failed (server error, not found, I/O…). */
export const EXIT_FAILURE = 1;
/** Exit code of a command line that cannot be run as written (unknown command or flag, bad value). */
export const EXIT_USAGE = 2;

/** The command line is wrong; `hint` names the help to read, on the same line. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** An operational failure whose message is already fit for the user (no code, no stack). */
export class CliError extends Error {
  override name = 'CliError';
}

export interface ErrorReport {
  readonly exitCode: number;
  /** One line, without the `agentgate: ` prefix. */
  readonly line: string;
}

/** Turns anything thrown into the exit code and the one line to print. */
export function reportOf(error: unknown): ErrorReport {
  if (error instanceof UsageError) {
    return { exitCode: EXIT_USAGE, line: oneLine(error.hint === undefined ? error.message : `${error.message} (${error.hint})`) };
  }
  if (error instanceof CliError) return { exitCode: EXIT_FAILURE, line: oneLine(error.message) };
  if (isConfigError(error)) return { exitCode: EXIT_FAILURE, line: oneLine(`invalid configuration: ${error.problems.join('; ')}`) };
  if (isToolError(error)) return { exitCode: EXIT_FAILURE, line: oneLine(toolErrorLine(error)) };
  if (error instanceof AccountNotActiveError) return { exitCode: EXIT_FAILURE, line: oneLine(accountNotActiveLine(error)) };
  const coded = codedError(error);
  if (coded !== undefined) {
    const issues = validationIssues(coded.details);
    const cause = coded.code === 'connection_failed' ? networkCause(error) : undefined;
    let line = `${coded.code}: ${coded.message}`;
    // Some messages already spell the issues out; repeating them would only double the line.
    if (issues !== undefined && !coded.message.includes(issues)) line += ` (${issues})`;
    if (cause !== undefined) line += ` (${cause})`;
    return { exitCode: EXIT_FAILURE, line: oneLine(line) };
  }
  if (error instanceof Error) return { exitCode: EXIT_FAILURE, line: oneLine(error.message || error.name) };
  return { exitCode: EXIT_FAILURE, line: oneLine(String(error)) };
}

/**
 * A provider's failure, with what a user acts on: the kind, the provider's status and code (and the
 * wait or the missing scopes), its message, the fix, and the execution id for the tool call log.
 * `tool_error: unauthorized (upstream 401 UNAUTHENTICATED): Invalid Credentials. Fix: … [execution exec_…]`
 */
function toolErrorLine(error: ToolError): string {
  const facts = [[error.upstreamStatus === null ? 'no upstream answer' : `upstream ${error.upstreamStatus}`, error.toolErrorCode].filter(Boolean).join(' ')];
  if (error instanceof ToolRateLimitError && error.retryAfterSeconds !== undefined) facts.push(`retry after ${Math.ceil(error.retryAfterSeconds)} s`);
  if (error instanceof ToolForbiddenError && error.missingScopes.length > 0) facts.push(`missing scopes: ${error.missingScopes.join(', ')}`);
  let line = `tool_error: ${error.toolErrorKind} (${facts.join('; ')}): ${error.toolErrorMessage}`;
  if (error.fix !== '') line += `${/[.!?]$/.test(line) ? '' : '.'} Fix: ${error.fix}`;
  if (error.executionId !== '') line += ` [execution ${error.executionId}]`;
  return line;
}

/** The account's status and the command that mints the link the end user needs. */
function accountNotActiveLine(error: AccountNotActiveError): string {
  let line = `${error.code}: ${error.message}`;
  // The gateway's message usually spells out both already.
  if (error.accountStatus !== undefined && !error.message.includes(error.accountStatus)) line += ` (status ${error.accountStatus})`;
  if (error.fix !== '' && !error.message.includes(error.fix)) line += `; fix: ${error.fix}`;
  if (error.connectedAccountId !== undefined) line += ` (authorization link: agentgate accounts link ${error.connectedAccountId})`;
  return line;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

// Duck-typed rather than `instanceof`: importing the server's ConfigError would load the whole
// server (≈1.5 s) for every API command.
function isConfigError(error: unknown): error is Error & { problems: string[] } {
  return error instanceof Error && error.name === 'ConfigError' && Array.isArray((error as { problems?: unknown }).problems);
}

interface Coded {
  code: string;
  message: string;
  details: unknown;
}

/**
 * The SDK's AgentgateError and the server's GatewayError both carry the stable snake_case code the
 * API documents; showing it lets users grep docs/errors.md. GatewayError is matched by name for the
 * same reason as {@link isConfigError}.
 */
function codedError(error: unknown): Coded | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, details } = error as { code?: unknown; details?: unknown };
  if (typeof code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(code)) return undefined;
  if (error.name !== 'GatewayError' && !isAgentgateError(error)) return undefined;
  return { code, message: error.message, details };
}

/** `validation_failed` says what was wrong only in `details.issues`; without it the line is useless. */
function validationIssues(details: unknown): string | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const issues = (details as { issues?: unknown }).issues;
  if (!Array.isArray(issues) || issues.length === 0) return undefined;
  return issues
    .map((issue: unknown) => {
      const { path, message } = (issue ?? {}) as { path?: unknown; message?: unknown };
      return typeof path === 'string' && path !== '' ? `${path}: ${String(message)}` : String(message);
    })
    .join('; ');
}

/**
 * Why the network failed ("connect ECONNREFUSED 127.0.0.1:8080") hides two levels down: SDK error →
 * fetch's TypeError ("fetch failed", useless) → the system error.
 */
function networkCause(error: unknown): string | undefined {
  let current: unknown = error instanceof Error ? error.cause : undefined;
  let deepest: Error | undefined;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    deepest = current;
    current = current.cause;
  }
  if (deepest === undefined || deepest.message === 'fetch failed') return undefined;
  const refused = (deepest as { code?: unknown }).code === 'ECONNREFUSED';
  return refused ? `${deepest.message}; is the gateway running? set AGENTGATE_URL or --url` : deepest.message;
}
