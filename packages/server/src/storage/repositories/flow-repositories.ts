/** @module Authorization links and auth requests (the hosted flow's server-side state). */
import type { Kysely } from 'kysely';
import type { AccountStatus, AuthRequest, AuthRequestStatus, AuthorizationLink } from '../../domain/model.ts';
import type { AuthRequestRepository, LinkRepository } from '../../domain/ports.ts';
import type { Database, DbAuthRequest, DbLink } from '../database.ts';
import { toDate, toDateOrNull } from './rows.ts';

function linkFromRow(row: DbLink): AuthorizationLink {
  return {
    id: row.id,
    environmentId: row.environment_id,
    tokenHash: row.token_hash,
    connectedAccountId: row.connected_account_id,
    connectionId: row.connection_id,
    identifier: row.identifier,
    developerState: row.developer_state,
    userVerifyUrl: row.user_verify_url,
    expiresAt: toDate(row.expires_at),
    usedAt: toDateOrNull(row.used_at),
    createdAt: toDate(row.created_at),
  };
}

function requestFromRow(row: DbAuthRequest): AuthRequest {
  return {
    id: row.id,
    environmentId: row.environment_id,
    linkId: row.link_id,
    connectedAccountId: row.connected_account_id,
    connectionId: row.connection_id,
    stateHash: row.state_hash,
    bindingHash: row.binding_hash,
    codeVerifierSealed: row.code_verifier_sealed,
    redirectUri: row.redirect_uri,
    expectedIssuer: row.expected_issuer,
    requestedScopes: row.requested_scopes,
    status: row.status as AuthRequestStatus,
    expiresAt: toDate(row.expires_at),
    consumedAt: toDateOrNull(row.consumed_at),
    verificationHash: row.verification_hash,
    verifyExpiresAt: toDateOrNull(row.verify_expires_at),
    pendingTokensSealed: row.pending_tokens_sealed,
    previousStatus: row.previous_status as AccountStatus | null,
    errorCode: row.error_code,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

function requestToRow(r: AuthRequest) {
  return {
    id: r.id,
    environment_id: r.environmentId,
    link_id: r.linkId,
    connected_account_id: r.connectedAccountId,
    connection_id: r.connectionId,
    state_hash: r.stateHash,
    binding_hash: r.bindingHash,
    code_verifier_sealed: r.codeVerifierSealed,
    redirect_uri: r.redirectUri,
    expected_issuer: r.expectedIssuer,
    requested_scopes: JSON.stringify(r.requestedScopes),
    status: r.status,
    expires_at: r.expiresAt,
    consumed_at: r.consumedAt,
    verification_hash: r.verificationHash,
    verify_expires_at: r.verifyExpiresAt,
    pending_tokens_sealed: r.pendingTokensSealed,
    previous_status: r.previousStatus,
    error_code: r.errorCode,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

export function linkRepository(db: Kysely<Database>): LinkRepository {
  return {
    async insert(link) {
      await db
        .insertInto('authorization_links')
        .values({
          id: link.id,
          environment_id: link.environmentId,
          token_hash: link.tokenHash,
          connected_account_id: link.connectedAccountId,
          connection_id: link.connectionId,
          identifier: link.identifier,
          developer_state: link.developerState,
          user_verify_url: link.userVerifyUrl,
          expires_at: link.expiresAt,
          used_at: link.usedAt,
          created_at: link.createdAt,
        })
        .execute();
    },
    async findByTokenHash(tokenHash) {
      const row = await db.selectFrom('authorization_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return row === undefined ? undefined : linkFromRow(row);
    },
    async findById(id) {
      const row = await db.selectFrom('authorization_links').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : linkFromRow(row);
    },
    async consume(id, at) {
      const result = await db.updateTable('authorization_links').set({ used_at: at }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

export function authRequestRepository(db: Kysely<Database>): AuthRequestRepository {
  return {
    async insert(request) {
      await db.insertInto('auth_requests').values(requestToRow(request)).execute();
    },
    async findByStateHash(stateHash) {
      const row = await db.selectFrom('auth_requests').selectAll().where('state_hash', '=', stateHash).executeTakeFirst();
      return row === undefined ? undefined : requestFromRow(row);
    },
    async consume(id, at) {
      const row = await db
        .updateTable('auth_requests')
        .set({ consumed_at: at, updated_at: at })
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : requestFromRow(row);
    },
    async findByVerificationHash(environmentId, verificationHash) {
      const row = await db
        .selectFrom('auth_requests')
        .selectAll()
        .where('environment_id', '=', environmentId)
        .where('verification_hash', '=', verificationHash)
        .executeTakeFirst();
      return row === undefined ? undefined : requestFromRow(row);
    },
    async claimVerification(id, verificationHash) {
      const row = await db
        .updateTable('auth_requests')
        .set({ verification_hash: null })
        .where('id', '=', id)
        .where('verification_hash', '=', verificationHash)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : requestFromRow(row);
    },
    async update(request) {
      const { id, ...changes } = requestToRow(request);
      await db.updateTable('auth_requests').set(changes).where('id', '=', id).execute();
    },
    async listExpiredPending(now, limit) {
      const rows = await db
        .selectFrom('auth_requests')
        .selectAll()
        .where('pending_tokens_sealed', 'is not', null)
        .where('verify_expires_at', '<', now)
        .orderBy('verify_expires_at')
        .limit(limit)
        .execute();
      return rows.map(requestFromRow);
    },
  };
}
