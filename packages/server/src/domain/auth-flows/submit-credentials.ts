/** @module The hosted credential form for static-credential connectors (API key, basic, bearer, ...). */
import { GatewayError } from '../../errors.ts';
import { updateAccount } from '../accounts/accounts.ts';
import { validateStaticFields } from '../accounts/authorization-details.ts';
import { checkStaticCredentials } from '../accounts/check-credentials.ts';
import type { DomainContext } from '../context.ts';
import { ConnectFlowError } from './flow-error.ts';
import { openLink, type OpenedLink } from './open-link.ts';
import { successUrl } from './promote-tokens.ts';

export type CredentialFormResult =
  | { readonly ok: true; readonly location: string }
  /** Shown again with the messages; the link stays usable so a typo does not cost a new link. */
  | { readonly ok: false; readonly opened: OpenedLink; readonly fieldErrors: Record<string, string>; readonly formError?: string };

/** Only the connector's fields are kept: anything else a form posts is dropped, never stored. */
function fieldsOf(opened: OpenedLink, posted: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of opened.connector.fields ?? []) {
    const value = posted[field.name];
    if (typeof value === 'string' && value.trim() !== '') out[field.name] = field.secret ? value : value.trim();
    else if (field.default !== undefined) out[field.name] = field.default;
  }
  return out;
}

export async function submitCredentials(ctx: DomainContext, token: string, posted: Readonly<Record<string, unknown>>): Promise<CredentialFormResult> {
  const opened = await openLink(ctx, token);
  if (opened.connection.type === 'OAUTH') throw new ConnectFlowError('invalid_request', 'This link signs in with the provider, not with a form.');
  const fields = fieldsOf(opened, posted);
  const tooLong = Object.entries(fields).find(([, value]) => value.length > 8192);
  if (tooLong !== undefined) return { ok: false, opened, fieldErrors: { [tooLong[0]]: 'This value is too long (at most 8192 characters).' } };
  try {
    validateStaticFields(opened.connector, fields);
  } catch (error) {
    if (!(error instanceof GatewayError) || error.code !== 'invalid_credentials') throw error;
    const issues = (error.details?.['issues'] ?? []) as { path: string; message: string }[];
    return { ok: false, opened, fieldErrors: Object.fromEntries(issues.map((i) => [i.path.replace(/^static_auth\./, ''), i.message])) };
  }
  const apiConfig = { ...opened.connection.apiConfig, ...opened.account.apiConfig };
  const check = await checkStaticCredentials({ connector: opened.connector, fields, apiConfig, fetch: ctx.outboundFetch });
  if (!check.ok) {
    return {
      ok: false,
      opened,
      fieldErrors: {},
      formError: check.reason === 'rejected' ? check.message : `${opened.connector.display_name} could not be reached to check these credentials; try again in a moment.`,
    };
  }
  if (!(await ctx.store.links.consume(opened.link.id, ctx.clock()))) {
    throw new ConnectFlowError('link_already_used', 'This link was already used. Links work once; ask the app for a new one.');
  }
  await updateAccount(ctx, opened.link.environmentId, { id: opened.account.id }, { authorizationDetails: { static_auth: fields } });
  return { ok: true, location: successUrl(ctx, opened.connector.key) };
}
