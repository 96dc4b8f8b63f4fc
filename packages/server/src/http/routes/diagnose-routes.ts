/** @module `POST /api/v1/connected_accounts/{id}:diagnose`: the troubleshooting checklist on one account. */
import { z } from 'zod';
import { diagnoseAccount } from '../../domain/diagnose/diagnose.ts';
import { CHECKS } from '../../domain/diagnose/finding.ts';
import { callerOf, defineRoute, type RouteSpec } from '../route.ts';
import type { HttpServices } from '../services.ts';
import { ConnectedAccountWire, formatAccount } from '../wire.ts';

const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();

const DiagnoseBody = z
  .object({
    refresh: z.boolean().optional().describe('Attempt one token refresh first (OAuth accounts; single flight, recorded in the refresh history). Default false.'),
    include_probe: z.boolean().optional().describe('Run a read-only tool end to end (logged with source "diagnose"). Default true.'),
    probe_tool: z.string().min(1).max(100).optional().describe("The read-only, parameterless tool to probe with; default: the connector's simplest one (e.g. gmail_get_profile)."),
  })
  .strict()
  .optional();

const Result = z.enum(['ok', 'warn', 'fail']);

export const FindingWire = z.object({
  check: z.enum(CHECKS),
  result: Result,
  message: z.string(),
  fix: z.string().nullable(),
  docs: z.string().nullable().describe('Link to the matching section of docs/troubleshooting.md.'),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const DiagnosisWire = z.object({
  connected_account: ConnectedAccountWire,
  result: Result.describe('The worst result of the findings.'),
  diagnosed_at: z.string(),
  findings: z.array(FindingWire),
});

export function diagnoseRoutes({ ctx }: HttpServices): RouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/connected_accounts/{id}:diagnose',
      operationId: 'diagnoseConnectedAccount',
      summary: 'Run the troubleshooting checklist on one account (status, connection, tokens, optional refresh, scopes, a read-only probe tool, recent errors); each finding names its fix.',
      tag: 'connected accounts',
      auth: true,
      params: IdParams,
      body: DiagnoseBody,
      response: DiagnosisWire,
      errors: ['connected_account_not_found', 'tool_not_found', 'tool_not_for_account', 'validation_failed'],
      handler: async ({ params, body, request }) => {
        const diagnosis = await diagnoseAccount(ctx, callerOf(request).environmentId, params.id, {
          refresh: body?.refresh,
          probe: body?.include_probe,
          probeTool: body?.probe_tool,
        });
        return {
          connected_account: formatAccount(diagnosis.account, diagnosis.connection),
          result: diagnosis.result,
          diagnosed_at: diagnosis.diagnosedAt.toISOString(),
          findings: diagnosis.findings.map((f) => ({ ...f, ...(f.details === undefined ? {} : { details: { ...f.details } }) })),
        };
      },
    }),
  ];
}
