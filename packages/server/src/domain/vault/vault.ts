/** @module The vault: AES-256-GCM with a random IV per write, associated data per row and field, versioned keys. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface VaultKey {
  readonly version: number;
  readonly key: Buffer;
}

/**
 * Where a ciphertext belongs. It is bound in as associated data, so a ciphertext copied to another
 * row or field (a confused-deputy or SQL-level swap) fails to decrypt instead of leaking.
 */
export interface VaultContext {
  readonly table: string;
  readonly id: string;
  readonly field: string;
}

export interface Vault {
  readonly primaryVersion: number;
  /** Every configured key version, the primary first. */
  readonly versions: readonly number[];
  encrypt(plaintext: string, context: VaultContext): string;
  decrypt(sealed: string, context: VaultContext): string;
  /** The key version a sealed value was written with (for re-encryption). */
  versionOf(sealed: string): number;
}

export class VaultError extends Error {
  override name = 'VaultError';
}

const FORMAT = 'v1';

function aad(context: VaultContext): Buffer {
  return Buffer.from(`${context.table}\u0000${context.id}\u0000${context.field}`, 'utf8');
}

/**
 * @example
 * const vault = createVault([{ version: 1, key: randomBytes(32) }])
 * const sealed = vault.encrypt('secret', { table: 'connections', id: 'conn_1', field: 'client_secret' })
 */
export function createVault(keys: readonly VaultKey[]): Vault {
  const [primary] = keys;
  if (primary === undefined) throw new VaultError('the vault needs at least one key');
  const byVersion = new Map(keys.map((k) => [k.version, k.key]));

  return {
    primaryVersion: primary.version,
    versions: keys.map((k) => k.version),
    encrypt(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', primary.key, iv);
      cipher.setAAD(aad(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [FORMAT, primary.version, iv.toString('base64url'), tag.toString('base64url'), body.toString('base64url')].join('.');
    },
    decrypt(sealed, context) {
      const parts = sealed.split('.');
      if (parts.length !== 5 || parts[0] !== FORMAT) throw new VaultError('not a vault ciphertext');
      const [, versionText, ivText, tagText, bodyText] = parts as [string, string, string, string, string];
      const key = byVersion.get(Number(versionText));
      if (key === undefined) throw new VaultError(`vault key version ${versionText} is not configured`);
      const iv = Buffer.from(ivText, 'base64url');
      const tag = Buffer.from(tagText, 'base64url');
      // GCM would accept a truncated tag (down to 4 bytes) and check only its prefix: insist on all 16.
      if (iv.length !== 12 || tag.length !== 16) throw new VaultError('not a vault ciphertext (IV or tag length)');
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
      decipher.setAAD(aad(context));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(Buffer.from(bodyText, 'base64url')), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new VaultError('ciphertext failed authentication (wrong key, row or field)', { cause });
      }
    },
    versionOf(sealed) {
      return Number(sealed.split('.')[1]);
    },
  };
}
