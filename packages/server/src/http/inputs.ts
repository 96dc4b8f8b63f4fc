/** @module Request schemas shared by several routes. Strict objects: an unknown field is a 400, not ignored. */
import { z } from 'zod';
import { ACCOUNT_STATUSES } from '../domain/model.ts';

/** Any text a developer uses for their user (ids, e-mails, names in any script), kept byte for byte. */
export const Identifier = z
  .string()
  .min(1, 'must not be empty')
  // Counted in characters (code points), not UTF-16 units: 255 emoji are as valid as 255 letters.
  .max(1020, 'at most 255 characters')
  .refine((v) => [...v].length <= 255, 'at most 255 characters')
  .refine((v) => !v.includes('\u0000'), 'must not contain NUL characters');

export const ConnectionName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, "-", "_" and "." (1–64 characters, starting with a letter or digit)');

/** Lookups accept any name text; a wrong one simply finds nothing. */
export const ConnectionRef = z.string().min(1).max(255);

export const ScopeKey = z.string().max(255).optional();

export const ApiConfigInput = z
  .object({ base_url: z.string().max(2048).optional() })
  .catchall(z.union([z.string().max(2048), z.number(), z.boolean()]))
  .refine((v) => Object.keys(v).length <= 20, 'at most 20 keys');

export const OAuthTokenInput = z
  .object({
    access_token: z.string().max(16384).optional(),
    refresh_token: z.string().max(16384).optional(),
    token_type: z.string().max(64).optional(),
    id_token: z.string().max(16384).optional(),
    scopes: z.array(z.string().max(512)).max(200).optional(),
    expires_in: z.number().int().positive().optional(),
    expires_at: z.string().max(64).optional(),
  })
  .strict();

export const AuthorizationDetailsInput = z.union([
  z.object({ oauth_token: OAuthTokenInput }).strict(),
  z.object({ static_auth: z.record(z.string().max(64), z.string().max(16384)) }).strict(),
]);

export const PageSize = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const AccountStatusInput = z.enum(ACCOUNT_STATUSES);

/** A query value that may come repeated (`a=1&a=2`) or comma separated (`a=1,2`). */
export const StringList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean));
