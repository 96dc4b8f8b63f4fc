/** @module Test TLS material: a throwaway self-signed certificate made with the openssl CLI (present on Debian and in CI). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A self-signed certificate for 127.0.0.1, localhost and api.example.test, made by the openssl CLI. */
export function makeCertificate(): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'agentgate-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=agentgate test', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:api.example.test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return undefined; // no openssl on this machine: the TLS and proxy cases are skipped
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

