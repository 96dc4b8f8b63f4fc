import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';

const KEY_1 = Buffer.alloc(32, 1).toString('base64');
const KEY_2 = Buffer.alloc(32, 2).toString('base64');

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  assert.fail('loadConfig accepted a bad configuration');
}

describe('configuration', () => {
  it('lists every bad variable at once, one problem per variable', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db.example/agentgate',
      AGENTGATE_ENCRYPTION_KEYS: `1:${Buffer.alloc(16).toString('base64')}`,
      AGENTGATE_ADMIN_CLIENT_ID: 'cli_admin',
    });
    const named = (name: string) => problems.filter((p) => p.startsWith(`${name}`));
    assert.equal(named('PORT').length, 1, problems.join('\n'));
    assert.equal(named('DATABASE_URL').length, 1, problems.join('\n'));
    assert.match(named('AGENTGATE_ENCRYPTION_KEYS')[0] ?? '', /16 bytes; it must be 32/);
    assert.ok(
      problems.some((p) => p.includes('AGENTGATE_ADMIN_CLIENT_ID') && p.includes('AGENTGATE_ADMIN_CLIENT_SECRET')),
      `the missing half of the admin pair is listed too:\n${problems.join('\n')}`,
    );
    assert.equal(problems.length, 4, problems.join('\n'));
  });

  it('puts every problem in the error message, one per line', () => {
    try {
      loadConfig({ PORT: '70000', AGENTGATE_LOG_LEVEL: 'loud', AGENTGATE_TOKEN_TTL_SECONDS: '-5', AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'maybe' });
      assert.fail('accepted');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      const lines = error.message.split('\n');
      assert.equal(lines[0], 'Invalid configuration:');
      for (const name of ['PORT', 'AGENTGATE_LOG_LEVEL', 'AGENTGATE_TOKEN_TTL_SECONDS', 'AGENTGATE_ALLOW_PRIVATE_UPSTREAMS']) {
        assert.equal(lines.filter((l) => l.startsWith(`  - ${name}:`)).length, 1, `${name} in:\n${error.message}`);
      }
    }
  });

  it('reports one half of the admin pair either way, and a bad half only once', () => {
    assert.equal(problemsOf({ AGENTGATE_ADMIN_CLIENT_SECRET: 's'.repeat(30) }).length, 1);
    const badIdAlone = problemsOf({ AGENTGATE_ADMIN_CLIENT_ID: 'a b' });
    assert.ok(badIdAlone.some((p) => p.startsWith('AGENTGATE_ADMIN_CLIENT_ID:')), badIdAlone.join('\n'));
    const shortSecret = problemsOf({ AGENTGATE_ADMIN_CLIENT_ID: 'cli_admin', AGENTGATE_ADMIN_CLIENT_SECRET: 'short' });
    assert.deepEqual(shortSecret.map((p) => p.split(':')[0]), ['AGENTGATE_ADMIN_CLIENT_SECRET'], 'a set-but-invalid secret is not also "missing"');
    const both = loadConfig({ AGENTGATE_ADMIN_CLIENT_ID: 'cli_admin', AGENTGATE_ADMIN_CLIENT_SECRET: 's'.repeat(24) });
    assert.deepEqual(both.admin, { clientId: 'cli_admin', clientSecret: 's'.repeat(24) });
  });

  it('refuses NODE_ENV=production without AGENTGATE_ENCRYPTION_KEYS, with a fix-it message', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /^AGENTGATE_ENCRYPTION_KEYS: required when NODE_ENV=production/);
    assert.match(problems[0] ?? '', /openssl rand -base64 32/);
    assert.match(problems[0] ?? '', /"1:<key>"/);
    // …and lists it together with other problems.
    const together = problemsOf({ NODE_ENV: 'production', PORT: 'x' });
    assert.deepEqual(together.map((p) => p.split(':')[0]).sort(), ['AGENTGATE_ENCRYPTION_KEYS', 'PORT']);

    const production = loadConfig({ NODE_ENV: 'production', AGENTGATE_ENCRYPTION_KEYS: `1:${KEY_1}` });
    assert.equal(production.env, 'production');
    assert.equal(production.host, '0.0.0.0');
  });

  it('has documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.env, 'development');
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.publicUrl, 'http://localhost:8080');
    assert.equal(config.dataDir, './.agentgate');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.encryptionKeys, undefined);
    assert.equal(config.admin, undefined);
    assert.equal(config.allowPrivateUpstreams, false);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.tokenTtlSeconds, 86400);
    assert.equal(config.bodyLimitBytes, 1024 * 1024);
    assert.equal(config.tokenRateLimit, 10);
    assert.ok(Object.isFrozen(config));
  });

  it('treats empty values as unset and derives the public URL from PORT', () => {
    const config = loadConfig({ PORT: '', NODE_ENV: '', AGENTGATE_LOG_LEVEL: '' });
    assert.equal(config.port, 8080);
    assert.equal(config.env, 'development');
    assert.equal(config.logLevel, 'info');
    assert.equal(loadConfig({ PORT: '9090' }).publicUrl, 'http://localhost:9090');
    assert.equal(loadConfig({ AGENTGATE_PUBLIC_URL: 'https://gw.example.com/' }).publicUrl, 'https://gw.example.com');
    assert.ok(problemsOf({ AGENTGATE_PUBLIC_URL: 'ftp://gw.example.com' }).some((p) => p.startsWith('AGENTGATE_PUBLIC_URL')));
  });

  it('parses values: booleans, postgres URLs, versioned keys', () => {
    for (const [raw, value] of [['true', true], ['1', true], ['yes', true], ['false', false], ['0', false], ['no', false]] as const) {
      assert.equal(loadConfig({ AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: raw }).allowPrivateUpstreams, value, raw);
    }
    assert.equal(loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/x' }).databaseUrl, 'postgresql://u:p@db:5432/x');
    const keys = loadConfig({ AGENTGATE_ENCRYPTION_KEYS: `2:${KEY_2}, 1:${KEY_1}` }).encryptionKeys;
    assert.deepEqual(keys?.map((k) => k.version), [2, 1], 'the first listed key is the primary');
    assert.deepEqual(keys?.[0]?.key, Buffer.alloc(32, 2));
    assert.match(problemsOf({ AGENTGATE_ENCRYPTION_KEYS: `1:${KEY_1},1:${KEY_2}` })[0] ?? '', /listed twice/);
    assert.match(problemsOf({ AGENTGATE_ENCRYPTION_KEYS: KEY_1 })[0] ?? '', /VERSION:BASE64/);
    assert.match(problemsOf({ AGENTGATE_ENCRYPTION_KEYS: `0:${KEY_1}` })[0] ?? '', /VERSION:BASE64/);
    assert.match(problemsOf({ AGENTGATE_ENCRYPTION_KEYS: ' , ' })[0] ?? '', /no key given/);
  });
});
