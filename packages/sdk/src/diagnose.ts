/**
 * @module diagnose — `POST /api/v1/connected_accounts/{id}:diagnose`: the troubleshooting checklist on
 * one account, each finding with its fix and docs link.
 */

import type { Transport } from './transport.js'
import type { ConnectedAccount } from './types.js'
import { fromWire, segment, toWire } from './wire.js'

/** `ok`: nothing to do; `warn`: works or on its way, but look; `fail`: calls fail until the fix is applied. */
export type DiagnosisResult = 'ok' | 'warn' | 'fail'

/** The checks, in the order the findings come. */
export type DiagnosisCheck = 'status' | 'connection' | 'token' | 'refresh' | 'scopes' | 'probe' | 'recent_errors'

/** One finding of a diagnosis. */
export interface DiagnosisFinding {
  check: DiagnosisCheck
  result: DiagnosisResult
  /** What was found, with the values that matter. */
  message: string
  /** The concrete next step (API call, SDK method, CLI command); null when there is nothing to do. */
  fix: string | null
  /** Link to the matching section of docs/troubleshooting.md; null when none applies. */
  docs: string | null
  /** Machine-readable facts (tool names, scopes, execution id...), keys camelCased like every SDK answer. */
  details?: Record<string, unknown>
}

/** Answer of {@link diagnoseConnectedAccount}. */
export interface ConnectedAccountDiagnosis {
  /** The account after the diagnosis (a refresh, or a probe answered 401, may change its status). */
  connectedAccount: ConnectedAccount
  /** The worst result of the findings. */
  result: DiagnosisResult
  diagnosedAt: string
  findings: DiagnosisFinding[]
}

/** Options of {@link diagnoseConnectedAccount}. */
export interface DiagnoseOptions {
  /** Attempt one token refresh first (OAuth accounts). Default false. */
  refresh?: boolean | undefined
  /** Run a read-only tool end to end. Default true. */
  includeProbe?: boolean | undefined
  /** The read-only, parameterless tool to probe with, instead of the connector's default. */
  probeTool?: string | undefined
  /** Per-attempt timeout; the probe and refresh call the provider. */
  timeoutMs?: number | undefined
}

/**
 * Runs the diagnosis of one account.
 *
 * @example
 * ```ts
 * const diagnosis = await diagnoseConnectedAccount(transport, 'ca_123', { refresh: true })
 * ```
 */
export async function diagnoseConnectedAccount(transport: Transport, connectedAccountId: string, options: DiagnoseOptions = {}): Promise<ConnectedAccountDiagnosis> {
  const path = `/api/v1/connected_accounts/${segment(connectedAccountId, 'connectedAccountId')}:diagnose`
  // toWire drops the options left undefined, so the gateway applies its defaults.
  const json = toWire({ refresh: options.refresh, includeProbe: options.includeProbe, probeTool: options.probeTool })
  const body = await transport.json({ method: 'POST', path, json, timeoutMs: options.timeoutMs })
  return fromWire<ConnectedAccountDiagnosis>(body)
}
