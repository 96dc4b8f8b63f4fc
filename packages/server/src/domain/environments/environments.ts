/** @module Environments (tenants) and their settings. */
import { GatewayError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { DEFAULT_SETTINGS, type Environment, type Settings } from '../model.ts';
import type { Store } from '../ports.ts';
import { recordEvent } from '../events/record-event.ts';

export const DEFAULT_ENVIRONMENT_NAME = 'default';

/** Idempotent, and safe when several replicas start at once (unique name, insert-or-nothing). */
export async function ensureEnvironment(store: Store, name: string, now: Date): Promise<Environment> {
  return store.environments.ensure({ id: newId('env', now.getTime()), name, settings: DEFAULT_SETTINGS, createdAt: now });
}

export async function findEnvironment(store: Store, idOrName: string): Promise<Environment> {
  const environment = idOrName.startsWith('env_')
    ? await store.environments.findById(idOrName)
    : await store.environments.findByName(idOrName);
  if (environment === undefined) throw new GatewayError('environment_not_found', `No environment "${idOrName}".`);
  return environment;
}

/** An origin as browsers compare them: scheme, host and port, nothing else. */
export function normalizeOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || value.endsWith('/')) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

export async function updateSettings(
  store: Store,
  environment: Environment,
  changes: Partial<Settings>,
  now: Date,
): Promise<Settings> {
  const origins = changes.allowed_redirect_origins?.map((origin) => {
    const normalized = normalizeOrigin(origin);
    if (normalized === undefined) {
      throw new GatewayError('validation_failed', `"${origin}" is not an origin (scheme://host[:port], no path).`, {
        details: { issues: [{ path: 'allowed_redirect_origins', message: 'must be scheme://host[:port]' }] },
      });
    }
    return normalized;
  });
  const settings: Settings = {
    ...environment.settings,
    ...changes,
    ...(origins === undefined ? {} : { allowed_redirect_origins: [...new Set(origins)] }),
  };
  await store.transaction(async (tx) => {
    await tx.environments.updateSettings(environment.id, settings);
    await recordEvent(tx, { environmentId: environment.id, type: 'settings.updated', object: 'Environment', data: { ...settings } }, now);
  });
  return settings;
}
