/** @module Starting and stopping the gateway: storage, migrations, seeding, HTTP. */
import type { FastifyInstance } from 'fastify';
import { createServer } from 'node:net';
import type { DestinationStream } from 'pino';
import { loadCatalog, type Catalog } from './catalog/load-catalog.ts';
import { setUpToolRuntime } from './tool-runtime-setup.ts';
import { createOutboundClient } from './domain/outbound/outbound-client.ts';
import { readExtraCaCerts } from './domain/outbound/network-options.ts';
import type { Config } from './config.ts';
import type { DomainContext } from './domain/context.ts';
import { createCredential, seedAdminCredential } from './domain/credentials/credentials.ts';
import { DEFAULT_ENVIRONMENT_NAME, ensureEnvironment } from './domain/environments/environments.ts';
import { createMachineAuth } from './domain/machine-auth/machine-auth.ts';
import { createVault, VaultError, type Vault } from './domain/vault/vault.ts';
import { assertVaultKeysKnown } from './domain/vault/rotate.ts';
import { createSafeFetch } from './domain/outbound/safe-fetch.ts';
import { expirePendingVerifications } from './domain/auth-flows/verification.ts';
import { runRefreshSweep } from './domain/tokens/refresh-worker.ts';
import { startWebhookWorker } from './domain/webhooks/dispatcher.ts';
import type { RefreshLock } from './domain/context.ts';
import { loadOrCreateDevKey } from './dev-key.ts';
import { API_VERSION, buildApp } from './http/app.ts';
import { createLogger, type Logger } from './logger.ts';
import { createStore } from './storage/kysely-store.ts';
import { migrateToLatest } from './storage/migrate.ts';
import { openDatabase, type OpenedDatabase } from './storage/open-database.ts';
import type { Store } from './domain/ports.ts';

export interface StartOptions {
  /** Where JSON logs go (default standard output); tests capture them to grep for secrets. */
  readonly logDestination?: DestinationStream;
  /** Human-facing lines (banner, first credentials); default console.log. */
  readonly print?: (line: string) => void;
  readonly catalog?: Catalog;
  readonly clock?: () => Date;
  /** Replaces the database refresh lease (tests only: proves the concurrency tests detect the race). */
  readonly refreshLock?: RefreshLock;
}

export interface Gateway {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly database: OpenedDatabase;
  readonly store: Store;
  readonly ctx: DomainContext;
  readonly logger: Logger;
  close(): Promise<void>;
}

export function vaultFor(config: Config, logger: Logger): Vault {
  if (config.encryptionKeys !== undefined) return createVault(config.encryptionKeys);
  const dev = loadOrCreateDevKey(config.dataDir);
  logger.warn({ path: dev.path, created: dev.created }, 'AGENTGATE_ENCRYPTION_KEYS is not set: using a development key from the data folder (never do this in production)');
  return createVault(dev.keys);
}

/** Opens the database and applies migrations; shared by `start` and `agentgate migrate`. */
export async function openMigratedStore(config: Config, logger: Logger): Promise<{ database: OpenedDatabase; store: Store; applied: readonly string[] }> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onIdleError: (error) => logger.warn({ err: error }, 'an idle database connection failed; the pool opens a new one when needed'),
  });
  try {
    const { applied } = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    return { database, store: createStore(database.db, false, database.prepared), applied };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** First start: the default environment and, unless configured, one printed admin credential. */
async function seed(store: Store, config: Config, io: { print: (line: string) => void; logger: Logger }, now: Date): Promise<void> {
  const { print, logger } = io;
  await store.withLock('agentgate.seed', async (tx) => {
    const environment = await ensureEnvironment(tx, DEFAULT_ENVIRONMENT_NAME, now);
    if (config.admin !== undefined) {
      const outcome = await seedAdminCredential(tx, { environmentId: environment.id, ...config.admin }, now);
      if (outcome === 'revoked') {
        logger.warn({ client_id: config.admin.clientId }, 'AGENTGATE_ADMIN_CLIENT_ID names a revoked credential; it stays revoked (set another id to seed a new one)');
      }
      return;
    }
    if ((await tx.credentials.countActive(environment.id)) > 0) return;
    const { credential, clientSecret } = await createCredential(tx, { environmentId: environment.id, name: 'first admin credential' }, now);
    print('');
    print('  An API credential was created for the default environment. The secret is shown only now:');
    print(`    AGENTGATE_CLIENT_ID=${credential.id}`);
    print(`    AGENTGATE_CLIENT_SECRET=${clientSecret}`);
    print('  Create more with `npm run agentgate -- credentials create`.');
    print('');
  });
}

/** A free port on `host` (asked of the OS), so that PORT=0 still yields exact redirect URIs. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startGateway(configured: Config, options: StartOptions = {}): Promise<Gateway> {
  // Redirect URIs must name the real port: with PORT=0 and no public URL, pick the port first. Another
  // process may take a picked port before we bind it; then pick again.
  if (configured.port !== 0 || configured.publicUrlConfigured) return startOnce(configured, configured.port, options);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(configured, await freePort(configured.host), options);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw error;
    }
  }
}

async function startOnce(configured: Config, port: number, options: StartOptions): Promise<Gateway> {
  const publicUrl = configured.publicUrlConfigured ? configured.publicUrl : `http://localhost:${port}`;
  const config: Config = Object.freeze({
    ...configured,
    port,
    publicUrl,
    docsUrl: configured.docsUrlConfigured ? configured.docsUrl : `${publicUrl}/docs`,
  });
  const logger = createLogger(config.logLevel, options.logDestination);
  const print = options.print ?? ((line: string) => console.log(line));
  const clock = options.clock ?? (() => new Date());
  const catalog = options.catalog ?? loadCatalog();
  const vault = vaultFor(config, logger);
  if (config.allowPrivateUpstreams) {
    logger.warn('AGENTGATE_ALLOW_PRIVATE_UPSTREAMS=true: outbound calls to private addresses and plain-http OAuth endpoints are allowed (development and tests only)');
  }
  const { database, store: rawStore } = await openMigratedStore(config, logger);
  try {
    // Before anything decrypts: a stored value on a key version nobody configured is named, with the fix.
    await assertVaultKeysKnown(rawStore, vault);
    await seed(rawStore, config, { print, logger }, clock());
    const extraCaCerts = config.extraCaCerts === undefined ? undefined : readExtraCaCerts(config.extraCaCerts);
    const outbound = createSafeFetch({ allowPrivate: config.allowPrivateUpstreams, extraCaCerts });
    const upstream = createOutboundClient({ allowPrivate: config.allowPrivateUpstreams, extraCaCerts, userAgent: `agentgate/${API_VERSION}` });
    const tools = setUpToolRuntime(rawStore, upstream, { databaseUrl: config.databaseUrl, cacheTtlMs: config.tools.accountCacheTtlSeconds * 1000, timeoutMs: config.tools.timeoutMs, maxResponseBytes: config.tools.maxResponseBytes }, logger);
    const store = tools.store;
    const ctx: DomainContext = {
      store,
      tools: tools.runtime,
      vault,
      catalog,
      clock,
      publicUrl: config.publicUrl,
      allowPrivateUpstreams: config.allowPrivateUpstreams,
      outboundFetch: outbound as unknown as typeof fetch,
      flow: {
        linkTtlSeconds: config.linkTtlSeconds,
        flowTtlSeconds: config.flowTtlSeconds,
        verifyTtlSeconds: config.verifyTtlSeconds,
        allowLoopbackRedirects: config.env !== 'production',
        docsUrl: config.docsUrl,
      },
      refresh: { marginSeconds: config.refresh.marginSeconds, leaseSeconds: config.refresh.leaseSeconds, keepAliveDays: config.refresh.keepAliveDays },
      ...(options.refreshLock === undefined ? {} : { refreshLock: options.refreshLock }),
    };
    // The configured URL, not the port-derived one: replicas and restarts on PORT=0 must agree on it.
    const machineAuth = await createMachineAuth({ store, vault, issuer: configured.publicUrl, ttlSeconds: config.tokenTtlSeconds, failureLimit: config.tokenRateLimit, clock }).catch(
      (error: unknown) => {
        if (error instanceof VaultError) {
          throw new Error('The encryption keys cannot decrypt this database (was it created with another AGENTGATE_ENCRYPTION_KEYS or data folder key?)', { cause: error });
        }
        throw error;
      },
    );
    const app = await buildApp(
      { ctx, machineAuth, ping: () => database.ping() },
      { logger, bodyLimitBytes: config.bodyLimitBytes, trustProxyHops: config.trustProxyHops },
    );
    const address = await app.listen({ port: config.port, host: config.host });
    const port = new URL(address).port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    logger.info({ url, database: database.kind, location: database.location, connectors: catalog.list().length }, 'agentgate listening');
    // Held tokens whose verification window closed are discarded even if nobody calls verify.
    const sweeper = setInterval(() => {
      expirePendingVerifications(ctx).catch((error: unknown) => logger.warn({ err: error }, 'discarding expired verifications failed'));
    }, 30_000);
    sweeper.unref();
    let refresher: NodeJS.Timeout | undefined;
    if (config.refresh.intervalSeconds > 0) {
      let sweeping = false;
      refresher = setInterval(() => {
        if (sweeping) return; // a slow pass is never overlapped by the next one
        sweeping = true;
        const sweep = async () => {
          // A full page means more is due: keep going instead of waiting for the next tick.
          for (let pass = 0; pass < 50 && !closed; pass++) {
            const report = await runRefreshSweep(ctx, { limit: 200, concurrency: 8 });
            if (report.due > 0) logger.info(report, 'background refresh pass');
            if (report.due < 200) break;
          }
        };
        sweep()
          .catch((error: unknown) => logger.warn({ err: error }, 'background refresh pass failed'))
          .finally(() => (sweeping = false));
      }, config.refresh.intervalSeconds * 1000);
      refresher.unref();
    }
    // Every replica sends due webhook deliveries (retries included); row leases keep them from doubling.
    const webhookWorker = startWebhookWorker(ctx, {
      intervalMs: config.webhookIntervalMs,
      onError: (error) => logger.warn({ err: error }, 'webhook delivery pass failed'),
    });
    let closed = false;
    return {
      url,
      app,
      database,
      store,
      ctx,
      logger,
      async close() {
        if (closed) return;
        closed = true;
        clearInterval(sweeper);
        if (refresher !== undefined) clearInterval(refresher);
        await webhookWorker.stop(); // before the database closes under a pass in progress
        await app.close();
        await tools.close();
        await outbound.close();
        await upstream.close();
        logger.flush();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

