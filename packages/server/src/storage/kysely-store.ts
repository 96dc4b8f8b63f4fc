/** @module The Store port over Kysely: one implementation for PGlite and PostgreSQL. */
import { sql, type Kysely } from 'kysely';
import type { Store } from '../domain/ports.ts';
import type { Database } from './database.ts';
import type { PreparedQuery } from './open-database.ts';
import { accountRepository } from './repositories/account-repository.ts';
import { connectionRepository } from './repositories/connection-repository.ts';
import { credentialRepository, environmentRepository, signingKeyRepository } from './repositories/environment-repositories.ts';
import { eventRepository } from './repositories/event-repository.ts';
import { mcpConfigRepository } from './repositories/mcp-config-repository.ts';
import { authRequestRepository, linkRepository } from './repositories/flow-repositories.ts';
import { refreshRepository } from './repositories/refresh-repository.ts';
import { sealedValueRepository } from './repositories/sealed-value-repository.ts';
import { toolCallRepository } from './repositories/tool-call-repository.ts';
import { webhookRepository } from './repositories/webhook-repository.ts';

/** `prepared`: the pool's named prepared statements (PostgreSQL), for the store outside transactions only. */
export function createStore(db: Kysely<Database>, inTransaction = false, prepared?: PreparedQuery): Store {
  const store: Store = {
    environments: environmentRepository(db),
    credentials: credentialRepository(db),
    signingKeys: signingKeyRepository(db),
    connections: connectionRepository(db),
    accounts: accountRepository(db, inTransaction ? undefined : prepared),
    events: eventRepository(db),
    links: linkRepository(db),
    authRequests: authRequestRepository(db),
    webhooks: webhookRepository(db),
    refresh: refreshRepository(db),
    sealedValues: sealedValueRepository(db),
    toolCalls: toolCallRepository(db),
    mcpConfigs: mcpConfigRepository(db),
    transaction(work) {
      // Nested calls join the open transaction: callers compose without caring who opened it.
      if (inTransaction) return work(store);
      return db.transaction().execute((tx) => work(createStore(tx, true)));
    },
    async withLock(name, work) {
      const locked = async (trx: Kysely<Database>, trxStore: Store) => {
        // Transaction-scoped: released by commit or rollback, never leaked by a crash mid-way.
        await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
        return work(trxStore);
      };
      if (inTransaction) return locked(db, store);
      return db.transaction().execute((trx) => locked(trx, createStore(trx, true)));
    },
  };
  return store;
}
