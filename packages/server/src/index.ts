/** @module The server package's public surface (used by the CLI, tests and benchmarks). */
export { loadConfig, ConfigError, CONFIG_VARIABLES, type Config } from './config.ts';
export { startGateway, openMigratedStore, vaultFor, type Gateway, type StartOptions } from './server.ts';
export { createLogger } from './logger.ts';
export { ERROR_CODES, GatewayError, type ErrorCode } from './errors.ts';
export { createCredential, revokeCredential } from './domain/credentials/credentials.ts';
export { ensureEnvironment, findEnvironment, DEFAULT_ENVIRONMENT_NAME } from './domain/environments/environments.ts';
export { loadCatalog } from './catalog/load-catalog.ts';
export {
  rotateVault,
  vaultKeyUsage,
  vaultKeyVersionsInUse,
  versionsInUse,
  missingVersions,
  VaultKeysMissing,
  SEALED_FIELDS,
  UNREADABLE_VERSION,
  type FieldUsage,
  type RotationProgress,
  type RotationResult,
} from './domain/vault/rotate.ts';
