/** @module The development encryption key: generated once into the data folder so `npm start` needs no setup. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { VaultKey } from './domain/vault/vault.ts';

export function loadOrCreateDevKey(dataDir: string): { keys: VaultKey[]; path: string; created: boolean } {
  const path = resolve(join(dataDir, 'encryption-key'));
  let created = false;
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    // wx: never overwrite a key another process wrote a moment ago (it would orphan its ciphertexts).
    try {
      writeFileSync(path, `1:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      created = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const [version, material] = readFileSync(path, 'utf8').trim().split(':', 2);
  const key = Buffer.from(material ?? '', 'base64');
  if (key.length !== 32 || !Number.isInteger(Number(version))) throw new Error(`${path} is not a VERSION:BASE64 32-byte key`);
  return { keys: [{ version: Number(version), key }], path, created };
}
