/**
 * Every snowflake_* tool against the Snowflake SQL API emulator, through POST /api/v1/execute_tool.
 * The account holds a freshly generated RSA key; the emulator verifies each request's key-pair JWT
 * with the matching public key, so a passing case also proves the JWT the gateway minted.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { loadCatalog } from '../../src/catalog/load-catalog.ts';
import { applyCredentials } from '../../src/domain/outbound/credential-request.ts';
import type { RecordedRequest } from '../helpers/emulator.ts';
import { jwtProblem, RUNNING_HANDLE, snowflakeEmulator, STATEMENT_HANDLE, type SnowflakeIdentity } from '../emulators/snowflake.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_KEY_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
/** An account locator with region and cloud: the JWT names the account without them. */
const ACCOUNT = { account: 'xy12345.us-east-2.aws', user: 'agent_svc', private_key: PRIVATE_KEY_PEM };
const identity: SnowflakeIdentity = { publicKey, account: 'XY12345', user: 'AGENT_SVC' };

const at = (path: string) => `/xy12345.us-east-2.aws.snowflakecomputing.com${path}`;
const jwtHeaders = { 'x-snowflake-authorization-token-type': 'KEYPAIR_JWT', accept: 'application/json' };
const jsonHeaders = { ...jwtHeaders, 'content-type': 'application/json' };
/** The emulator already refused anything else with a 401; this states the claims in the test too. */
const validJwt = (request: RecordedRequest) => {
  assert.equal(jwtProblem(request, identity), undefined);
  const claims = JSON.parse(Buffer.from((request.headers['authorization'] ?? '').split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, number | string>;
  assert.equal(claims['sub'], 'XY12345.AGENT_SVC');
  assert.match(String(claims['iss']), /^XY12345\.AGENT_SVC\.SHA256:[A-Za-z0-9+/]{43}=$/);
  assert.equal(Number(claims['exp']) - Number(claims['iat']), 59 * 60);
};

const orderColumns = [
  { name: 'STATUS', type: 'text', nullable: false },
  { name: 'ORDERS', type: 'fixed', nullable: false },
  { name: 'REVENUE', type: 'fixed', nullable: true },
];
const orderResult = {
  statement_handle: STATEMENT_HANDLE,
  code: '090001',
  message: 'Statement executed successfully.',
  sql_state: '00000',
  num_rows: 1802,
  columns: orderColumns,
  rows: [
    ['paid', '1042', '52310.50'],
    ['refunded', '17', null],
  ],
  partitions: [{ row_count: 2 }, { row_count: 1800 }],
};
const running = {
  statement_handle: RUNNING_HANDLE,
  code: '333334',
  message: 'Asynchronous execution in progress. Use provided query id to perform query monitoring and management.',
};

describe('snowflake emulator: the JWT check refuses what Snowflake refuses', () => {
  const connector = loadCatalog().get('snowflake');
  assert.ok(connector);
  const sign = (fields: Record<string, string>, now = Date.now()) => {
    const request = applyCredentials({ connector, credentials: { kind: 'static_auth', fields }, path: '/api/v2/statements', method: 'GET', now });
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
    return { method: 'GET', path: '/api/v2/statements', query: {}, headers, body: undefined, rawBody: '', params: {} } satisfies RecordedRequest;
  };
  it('accepts the gateway JWT and refuses another key, another user, a stale token and a missing type header', () => {
    assert.equal(jwtProblem(sign(ACCOUNT), identity), undefined);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.equal(jwtProblem(sign({ ...ACCOUNT, private_key: other }), identity), 'signature');
    assert.equal(jwtProblem(sign({ ...ACCOUNT, user: 'someone_else' }), identity), 'iss');
    assert.equal(jwtProblem(sign(ACCOUNT, Date.now() - 2 * 3600_000), identity), 'lifetime');
    const untyped = sign(ACCOUNT);
    assert.equal(jwtProblem({ ...untyped, headers: { authorization: untyped.headers['authorization'] ?? '' } }, identity), 'token type header');
  });
});

toolSuite({
  connector: 'snowflake',
  emulator: snowflakeEmulator(identity),
  type: 'KEY_PAIR',
  account: { static_auth: ACCOUNT },
  basePath: '/{{account}}.snowflakecomputing.com',
  routePrefix: /\/[^/]+\.snowflakecomputing\.com/,
  cases: [
    {
      tool: 'snowflake_execute_sql',
      params: {
        statement: 'select status, count(*) as orders, sum(amount) as revenue from orders where created_at >= ? group by 1',
        bindings: { '1': { type: 'DATE', value: '2024-01-01' } },
        database: 'ANALYTICS',
        schema: 'PUBLIC',
        warehouse: 'REPORTING_WH',
        role: 'ANALYST',
      },
      request: {
        method: 'POST',
        path: at('/api/v2/statements'),
        headers: jsonHeaders,
        body: {
          statement: 'select status, count(*) as orders, sum(amount) as revenue from orders where created_at >= ? group by 1',
          timeout: 60,
          database: 'ANALYTICS',
          schema: 'PUBLIC',
          warehouse: 'REPORTING_WH',
          role: 'ANALYST',
          bindings: { '1': { type: 'DATE', value: '2024-01-01' } },
        },
      },
      check: validJwt,
      data: orderResult,
    },
    {
      tool: 'snowflake_execute_sql',
      params: { statement: 'select * from big_table', async: true, timeout_seconds: 3600, request_id: '3f0c2b1a-7d6e-4c5b-9a8f-1e2d3c4b5a69' },
      request: {
        method: 'POST',
        path: at('/api/v2/statements'),
        query: { async: 'true', requestId: '3f0c2b1a-7d6e-4c5b-9a8f-1e2d3c4b5a69' },
        headers: jsonHeaders,
        body: { statement: 'select * from big_table', timeout: 3600 },
      },
      check: validJwt,
      data: running,
    },
    {
      tool: 'snowflake_get_statement_status',
      params: { statement_handle: RUNNING_HANDLE },
      request: { method: 'GET', path: at(`/api/v2/statements/${RUNNING_HANDLE}`), headers: jwtHeaders },
      check: validJwt,
      data: running,
    },
    {
      tool: 'snowflake_get_statement_status',
      params: { statement_handle: STATEMENT_HANDLE },
      request: { method: 'GET', path: at(`/api/v2/statements/${STATEMENT_HANDLE}`), headers: jwtHeaders },
      data: orderResult,
    },
    {
      tool: 'snowflake_get_statement_status',
      params: { statement_handle: STATEMENT_HANDLE, partition: 1 },
      request: { method: 'GET', path: at(`/api/v2/statements/${STATEMENT_HANDLE}`), query: { partition: '1' }, headers: jwtHeaders },
      data: { rows: [['pending', '310', '9120.00']] },
    },
    {
      tool: 'snowflake_cancel_statement',
      params: { statement_handle: RUNNING_HANDLE },
      request: { method: 'POST', path: at(`/api/v2/statements/${RUNNING_HANDLE}/cancel`), headers: jwtHeaders },
      check: validJwt,
      data: { statement_handle: RUNNING_HANDLE, code: '000604', message: 'SQL execution canceled', sql_state: '57014' },
    },
    {
      tool: 'snowflake_list_databases',
      params: {},
      request: { method: 'POST', path: at('/api/v2/statements'), headers: jsonHeaders, body: { statement: 'SHOW TERSE DATABASES', timeout: 60 } },
      data: {
        databases: [
          { name: 'ANALYTICS', kind: 'STANDARD', created_on: '1701077712.123000000' },
          { name: 'SNOWFLAKE', kind: 'APPLICATION', created_on: '1651077700.000000000' },
          { name: 'WEATHER_SHARE', kind: 'IMPORTED DATABASE', created_on: '1690000000.500000000' },
        ],
        statement_handle: STATEMENT_HANDLE,
      },
    },
    {
      tool: 'snowflake_list_tables',
      params: { database: 'ANALYTICS', schema: 'PUBLIC', warehouse: 'REPORTING_WH' },
      request: {
        method: 'POST',
        path: at('/api/v2/statements'),
        headers: jsonHeaders,
        body: {
          statement: 'SELECT TABLE_NAME, TABLE_TYPE, ROW_COUNT, BYTES, COMMENT, LAST_ALTERED FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
          timeout: 60,
          database: 'ANALYTICS',
          warehouse: 'REPORTING_WH',
          bindings: { '1': { type: 'TEXT', value: 'PUBLIC' } },
        },
      },
      data: {
        tables: [
          { name: 'CUSTOMERS', type: 'BASE TABLE', row_count: '48210', bytes: '3145728', comment: 'One row per customer', last_altered: '1714640043.512' },
          { name: 'ORDERS', type: 'BASE TABLE', row_count: '1250333', bytes: '88080384', comment: null, last_altered: '1714650000.000' },
          { name: 'ORDERS_DAILY', type: 'VIEW', row_count: null, bytes: null, comment: 'Orders rolled up by day', last_altered: '1714000000.000' },
        ],
        statement_handle: STATEMENT_HANDLE,
      },
    },
    {
      tool: 'snowflake_list_tables',
      params: { database: 'ANALYTICS', schema: 'STAGING', role: 'ANALYST' },
      request: {
        method: 'POST',
        path: at('/api/v2/statements'),
        headers: jsonHeaders,
        body: {
          statement: 'SELECT TABLE_NAME, TABLE_TYPE, ROW_COUNT, BYTES, COMMENT, LAST_ALTERED FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
          timeout: 60,
          database: 'ANALYTICS',
          role: 'ANALYST',
          bindings: { '1': { type: 'TEXT', value: 'STAGING' } },
        },
      },
      data: { tables: [], statement_handle: STATEMENT_HANDLE },
    },
    {
      tool: 'snowflake_describe_table',
      params: { database: 'ANALYTICS', schema: 'PUBLIC', table: 'ORDERS' },
      request: {
        method: 'POST',
        path: at('/api/v2/statements'),
        headers: jsonHeaders,
        body: {
          statement: 'SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COMMENT FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
          timeout: 60,
          database: 'ANALYTICS',
          bindings: { '1': { type: 'TEXT', value: 'PUBLIC' }, '2': { type: 'TEXT', value: 'ORDERS' } },
        },
      },
      data: {
        columns: [
          { name: 'ID', type: 'NUMBER', nullable: 'NO', default: null, comment: 'Order id' },
          { name: 'CUSTOMER_ID', type: 'NUMBER', nullable: 'NO', default: null, comment: null },
          { name: 'AMOUNT', type: 'NUMBER', nullable: 'YES', default: null, comment: 'Total in cents' },
          { name: 'STATUS', type: 'TEXT', nullable: 'YES', default: "'new'", comment: null },
          { name: 'CREATED_AT', type: 'TIMESTAMP_NTZ', nullable: 'NO', default: 'CURRENT_TIMESTAMP()', comment: null },
        ],
        statement_handle: STATEMENT_HANDLE,
      },
    },
  ],
});
