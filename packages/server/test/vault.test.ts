import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createVault, VaultError, type VaultContext } from '../src/domain/vault/vault.ts';

const key1 = { version: 1, key: randomBytes(32) };
const key2 = { version: 2, key: randomBytes(32) };
const context: VaultContext = { table: 'connected_accounts', id: 'ca_1', field: 'credentials' };

/** Flips one bit of one dot-separated part of a sealed value (decoded, so base64 padding bits cannot hide it). */
function flipBit(sealed: string, part: number, byte = 0): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part] ?? '', 'base64url');
  bytes[byte] = (bytes[byte] ?? 0) ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('vault (AES-256-GCM)', () => {
  it('round-trips, including empty and non-ASCII plaintext', () => {
    const vault = createVault([key1]);
    for (const plaintext of ['secret', '', 'ünïcødé ✓ 秘密', 'x'.repeat(100_000), JSON.stringify({ access_token: 'a', refresh_token: 'r' })]) {
      const sealed = vault.encrypt(plaintext, context);
      assert.ok(!sealed.includes(plaintext) || plaintext === '', 'no plaintext in the ciphertext');
      assert.equal(vault.decrypt(sealed, context), plaintext);
    }
  });

  it('uses a random IV: the same plaintext seals differently every time', () => {
    const vault = createVault([key1]);
    const sealed = new Set(Array.from({ length: 50 }, () => vault.encrypt('same', context)));
    assert.equal(sealed.size, 50);
    const ivs = new Set([...sealed].map((s) => s.split('.')[2]));
    assert.equal(ivs.size, 50);
    assert.equal(Buffer.from([...ivs][0] ?? '', 'base64url').length, 12, '96-bit IV');
  });

  it('binds each ciphertext to its table, row and field (AAD)', () => {
    const vault = createVault([key1]);
    const sealed = vault.encrypt('secret', context);
    const others: VaultContext[] = [
      { ...context, id: 'ca_2' },
      { ...context, table: 'connections' },
      { ...context, field: 'client_secret' },
      // The separator keeps ("a", "b\0c") and ("a\0b", "c") apart.
      { table: 'connected_accounts\u0000ca_1', id: '', field: 'credentials' },
    ];
    for (const other of others) {
      assert.throws(() => vault.decrypt(sealed, other), (error: unknown) => error instanceof VaultError && /failed authentication/.test(error.message), JSON.stringify(other));
    }
  });

  it('rejects any tampering: IV, tag, body, version and format', () => {
    const vault = createVault([key1]);
    const sealed = vault.encrypt('a secret long enough to flip bits in', context);
    for (const [part, byte] of [[2, 0], [2, 11], [3, 0], [3, 15], [4, 0], [4, 20]] as const) {
      assert.throws(() => vault.decrypt(flipBit(sealed, part, byte), context), VaultError, `part ${part} byte ${byte}`);
    }
    const parts = sealed.split('.');
    assert.throws(() => vault.decrypt([...parts.slice(0, 4), `${parts[4]}AA`].join('.'), context), VaultError, 'appended bytes');
    assert.throws(() => vault.decrypt([...parts.slice(0, 4), (parts[4] ?? '').slice(0, -4)].join('.'), context), VaultError, 'truncated body');
    assert.throws(() => vault.decrypt([...parts.slice(0, 3), '', parts[4]].join('.'), context), VaultError, 'empty tag');
    assert.throws(() => vault.decrypt(['v1', '1', '', ...parts.slice(3)].join('.'), context), VaultError, 'empty IV');
    // GCM checks only as many tag bytes as it is given: a truncated (but correct) prefix must not pass.
    const tag = Buffer.from(parts[3] ?? '', 'base64url');
    for (const length of [4, 8, 12, 15]) {
      const truncated = [...parts.slice(0, 3), tag.subarray(0, length).toString('base64url'), parts[4]].join('.');
      assert.throws(() => vault.decrypt(truncated, context), VaultError, `tag truncated to ${length} bytes`);
    }
    assert.throws(() => vault.decrypt(['v2', ...parts.slice(1)].join('.'), context), /not a vault ciphertext/);
    assert.throws(() => vault.decrypt('plaintext', context), /not a vault ciphertext/);
    assert.throws(() => vault.decrypt(`${sealed}.extra`, context), /not a vault ciphertext/);
    // The same bytes under another key do not decrypt either.
    assert.throws(() => createVault([{ version: 1, key: randomBytes(32) }]).decrypt(sealed, context), /failed authentication/);
  });

  it('rotates keys: old data decrypts with "2,1", new writes use version 2', () => {
    const old = createVault([key1]);
    const sealedWith1 = old.encrypt('old secret', context);
    assert.equal(old.versionOf(sealedWith1), 1);

    const rotated = createVault([key2, key1]);
    assert.equal(rotated.primaryVersion, 2);
    assert.equal(rotated.decrypt(sealedWith1, context), 'old secret');
    const sealedWith2 = rotated.encrypt('new secret', context);
    assert.equal(rotated.versionOf(sealedWith2), 2);
    assert.match(sealedWith2, /^v1\.2\./);
    assert.equal(rotated.decrypt(sealedWith2, context), 'new secret');
    // Re-encryption (what the migrate command does): read with any key, write with the primary.
    const migrated = rotated.encrypt(rotated.decrypt(sealedWith1, context), context);
    assert.equal(rotated.versionOf(migrated), 2);
    assert.equal(createVault([key2]).decrypt(migrated, context), 'old secret', 'key 1 can be retired after migration');
  });

  it('names an unknown key version clearly', () => {
    const sealedWith2 = createVault([key2, key1]).encrypt('new secret', context);
    assert.throws(
      () => createVault([key1]).decrypt(sealedWith2, context),
      (error: unknown) => error instanceof VaultError && /key version 2 is not configured/.test(error.message),
    );
    // A version-1 ciphertext is not decrypted with the version-2 key just because it is primary.
    const sealedWith1 = createVault([key1]).encrypt('x', context);
    assert.throws(() => createVault([key2]).decrypt(sealedWith1, context), /key version 1 is not configured/);
  });

  it('refuses to start without a key', () => {
    assert.throws(() => createVault([]), VaultError);
  });
});
