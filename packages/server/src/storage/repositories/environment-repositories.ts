/** @module Environments, API credentials and signing keys. */
import type { Kysely } from 'kysely';
import type { CredentialRepository, EnvironmentRepository, SigningKeyRepository } from '../../domain/ports.ts';
import type { Database } from '../database.ts';
import { credentialFromRow, environmentFromRow, mapUnique, toDate } from './rows.ts';

export function environmentRepository(db: Kysely<Database>): EnvironmentRepository {
  return {
    async findById(id) {
      const row = await db.selectFrom('environments').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : environmentFromRow(row);
    },
    async findByName(name) {
      const row = await db.selectFrom('environments').selectAll().where('name', '=', name).executeTakeFirst();
      return row === undefined ? undefined : environmentFromRow(row);
    },
    async list() {
      const rows = await db.selectFrom('environments').selectAll().orderBy('id').execute();
      return rows.map(environmentFromRow);
    },
    async insert(e) {
      await mapUnique(
        db.insertInto('environments').values({ id: e.id, name: e.name, settings: JSON.stringify(e.settings), created_at: e.createdAt }).execute(),
      );
    },
    async ensure(e) {
      await db
        .insertInto('environments')
        .values({ id: e.id, name: e.name, settings: JSON.stringify(e.settings), created_at: e.createdAt })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const row = await db.selectFrom('environments').selectAll().where('name', '=', e.name).executeTakeFirstOrThrow();
      return environmentFromRow(row);
    },
    async updateSettings(id, settings) {
      await db.updateTable('environments').set({ settings: JSON.stringify(settings) }).where('id', '=', id).execute();
    },
  };
}

export function credentialRepository(db: Kysely<Database>): CredentialRepository {
  const values = (c: Parameters<CredentialRepository['insert']>[0]) => ({
    id: c.id,
    environment_id: c.environmentId,
    name: c.name,
    secret_hash: c.secretHash,
    created_at: c.createdAt,
    revoked_at: c.revokedAt,
    last_used_at: c.lastUsedAt,
  });
  return {
    async insert(c) {
      await mapUnique(db.insertInto('api_credentials').values(values(c)).execute());
    },
    async upsert(c) {
      await db
        .insertInto('api_credentials')
        .values(values(c))
        .onConflict((oc) => oc.column('id').doUpdateSet({ secret_hash: c.secretHash }))
        .execute();
    },
    async findById(id) {
      const row = await db.selectFrom('api_credentials').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : credentialFromRow(row);
    },
    async list(environmentId) {
      const rows = await db.selectFrom('api_credentials').selectAll().where('environment_id', '=', environmentId).orderBy('id').execute();
      return rows.map(credentialFromRow);
    },
    async countActive(environmentId) {
      const row = await db
        .selectFrom('api_credentials')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('environment_id', '=', environmentId)
        .where('revoked_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async revoke(id, at) {
      const result = await db.updateTable('api_credentials').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async touch(id, at) {
      await db.updateTable('api_credentials').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}

export function signingKeyRepository(db: Kysely<Database>): SigningKeyRepository {
  return {
    async list() {
      const rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').execute();
      return rows.map((r) => ({ id: r.id, secretSealed: r.secret_sealed, createdAt: toDate(r.created_at) }));
    },
    async insertIfAbsent(key) {
      await db
        .insertInto('signing_keys')
        .values({ id: key.id, secret_sealed: key.secretSealed, created_at: key.createdAt })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
  };
}
