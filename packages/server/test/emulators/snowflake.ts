/**
 * Snowflake SQL API v2 (https://docs.snowflake.com/en/developer-guide/sql-api/reference): the
 * endpoints the snowflake_* tools call. Every request must carry a key-pair JWT
 * (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating): `Authorization: Bearer
 * <jwt>` with `X-Snowflake-Authorization-Token-Type: KEYPAIR_JWT`, an RS256 signature that verifies
 * with the user's registered public key, iss `ACCOUNT.USER.SHA256:<fingerprint>`, sub `ACCOUNT.USER`
 * and a lifetime of at most one hour. Anything else gets Snowflake's 401.
 */
import { createHash, verify, type KeyObject } from 'node:crypto';
import { defineEmulator, type EmulatorSpec, type RecordedRequest } from '../helpers/emulator.ts';

export interface SnowflakeIdentity {
  /** The user's registered RSA_PUBLIC_KEY. */
  readonly publicKey: KeyObject;
  /** Account and user as they must appear in the JWT (upper case, no region). */
  readonly account: string;
  readonly user: string;
}

/** Why a request's JWT is refused, or undefined when it is good. Exported so tests can assert the check itself. */
export function jwtProblem(request: RecordedRequest, identity: SnowflakeIdentity, nowSeconds = Date.now() / 1000): string | undefined {
  if (request.headers['x-snowflake-authorization-token-type'] !== 'KEYPAIR_JWT') return 'token type header';
  const token = /^Bearer (.+)$/.exec(request.headers['authorization'] ?? '')?.[1];
  const parts = token?.split('.');
  if (parts?.length !== 3) return 'not a JWT';
  const [header, payload, signature] = parts as [string, string, string];
  let head: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return 'undecodable';
  }
  if (head['alg'] !== 'RS256') return 'alg';
  if (!verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), identity.publicKey, Buffer.from(signature, 'base64url'))) return 'signature';
  const fingerprint = `SHA256:${createHash('sha256').update(identity.publicKey.export({ type: 'spki', format: 'der' })).digest('base64')}`;
  const qualified = `${identity.account}.${identity.user}`;
  if (claims['iss'] !== `${qualified}.${fingerprint}`) return 'iss';
  if (claims['sub'] !== qualified) return 'sub';
  const iat = claims['iat'];
  const exp = claims['exp'];
  if (typeof iat !== 'number' || typeof exp !== 'number') return 'iat/exp';
  if (Math.abs(iat - nowSeconds) > 60 || exp <= nowSeconds || exp - iat > 3600) return 'lifetime';
  return undefined;
}

export const STATEMENT_HANDLE = '01b3e0a1-0001-b0f2-0000-4b5d0001e0a6';
export const RUNNING_HANDLE = '01b3e0a2-0001-b0f2-0000-4b5d0001e0b2';

const column = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
  name,
  database: 'ANALYTICS',
  schema: 'PUBLIC',
  table: 'ORDERS',
  nullable: true,
  type,
  length: null,
  precision: null,
  scale: null,
  byteLength: null,
  collation: null,
  ...extra,
});

const resultSet = (handle: string, rowType: unknown[], data: (string | null)[][], partitions: number[] = [data.length]) => ({
  resultSetMetaData: {
    numRows: partitions.reduce((a, b) => a + b, 0),
    format: 'jsonv2',
    partitionInfo: partitions.map((rowCount) => ({ rowCount, uncompressedSize: rowCount * 64 })),
    rowType,
  },
  data,
  code: '090001',
  statementStatusUrl: `/api/v2/statements/${handle}?requestId=7a3c1f52-9c2e-4a7b-8d1e-2f0b6c5d4e3a`,
  requestId: '7a3c1f52-9c2e-4a7b-8d1e-2f0b6c5d4e3a',
  sqlState: '00000',
  statementHandle: handle,
  message: 'Statement executed successfully.',
  createdOn: 1714640043512,
});

const running = (handle: string) => ({
  code: '333334',
  message: 'Asynchronous execution in progress. Use provided query id to perform query monitoring and management.',
  statementHandle: handle,
  statementStatusUrl: `/api/v2/statements/${handle}`,
});

function runStatement(request: RecordedRequest) {
  const body = request.body as { statement?: string; bindings?: Record<string, { type: string; value: string }> };
  const statement = body.statement ?? '';
  if (request.query['async'] === 'true') return { status: 202, json: running(RUNNING_HANDLE) };
  if (statement === 'SHOW TERSE DATABASES') {
    return {
      json: resultSet(
        STATEMENT_HANDLE,
        [column('created_on', 'timestamp_ltz', { database: '', schema: '', table: '', scale: 9 }), column('name', 'text', { database: '', schema: '', table: '' }), column('kind', 'text', { database: '', schema: '', table: '' }), column('database_name', 'text', { database: '', schema: '', table: '' }), column('schema_name', 'text', { database: '', schema: '', table: '' })],
        [
          ['1701077712.123000000', 'ANALYTICS', 'STANDARD', null, null],
          ['1651077700.000000000', 'SNOWFLAKE', 'APPLICATION', null, null],
          ['1690000000.500000000', 'WEATHER_SHARE', 'IMPORTED DATABASE', null, null],
        ],
      ),
    };
  }
  if (statement.includes('FROM INFORMATION_SCHEMA.TABLES')) {
    return {
      json: resultSet(
        STATEMENT_HANDLE,
        [column('TABLE_NAME', 'text'), column('TABLE_TYPE', 'text'), column('ROW_COUNT', 'fixed', { precision: 38, scale: 0 }), column('BYTES', 'fixed', { precision: 38, scale: 0 }), column('COMMENT', 'text'), column('LAST_ALTERED', 'timestamp_ltz', { scale: 3 })],
        body.bindings?.['1']?.value === 'PUBLIC'
          ? [
              ['CUSTOMERS', 'BASE TABLE', '48210', '3145728', 'One row per customer', '1714640043.512'],
              ['ORDERS', 'BASE TABLE', '1250333', '88080384', null, '1714650000.000'],
              ['ORDERS_DAILY', 'VIEW', null, null, 'Orders rolled up by day', '1714000000.000'],
            ]
          : [],
      ),
    };
  }
  if (statement.includes('FROM INFORMATION_SCHEMA.COLUMNS')) {
    return {
      json: resultSet(
        STATEMENT_HANDLE,
        [column('COLUMN_NAME', 'text'), column('DATA_TYPE', 'text'), column('IS_NULLABLE', 'text'), column('COLUMN_DEFAULT', 'text'), column('COMMENT', 'text')],
        [
          ['ID', 'NUMBER', 'NO', null, 'Order id'],
          ['CUSTOMER_ID', 'NUMBER', 'NO', null, null],
          ['AMOUNT', 'NUMBER', 'YES', null, 'Total in cents'],
          ['STATUS', 'TEXT', 'YES', "'new'", null],
          ['CREATED_AT', 'TIMESTAMP_NTZ', 'NO', 'CURRENT_TIMESTAMP()', null],
        ],
      ),
    };
  }
  if (/^\s*select/i.test(statement)) {
    return {
      json: resultSet(
        STATEMENT_HANDLE,
        [column('STATUS', 'text', { length: 16777216, byteLength: 16777216, nullable: false }), column('ORDERS', 'fixed', { precision: 18, scale: 0, nullable: false }), column('REVENUE', 'fixed', { precision: 38, scale: 2 })],
        [
          ['paid', '1042', '52310.50'],
          ['refunded', '17', null],
        ],
        [2, 1800],
      ),
    };
  }
  return {
    status: 422,
    json: { code: '001003', message: "SQL compilation error:\nsyntax error line 1 at position 0 unexpected 'SELCT'.", sqlState: '42000', statementHandle: STATEMENT_HANDLE },
  };
}

export function snowflakeEmulator(identity: SnowflakeIdentity): EmulatorSpec {
  return defineEmulator({
    name: 'snowflake',
    authorized: (request) => jwtProblem(request, identity) === undefined,
    unauthorized: { status: 401, json: { code: '390144', message: 'JWT token is invalid. [5b8c6f2e-2a1d-4d3c-9e0f-7a6b5c4d3e2f]' } },
    routes: [
      { method: 'POST', path: '/api/v2/statements', reply: runStatement },
      {
        method: 'GET',
        path: '/api/v2/statements/:handle',
        reply: (request) => {
          if (request.params['handle'] === RUNNING_HANDLE) return { status: 202, json: running(RUNNING_HANDLE) };
          if (request.params['handle'] !== STATEMENT_HANDLE) {
            return { status: 422, json: { code: '000709', message: `Statement ${request.params['handle']} not found`, sqlState: '02000', statementHandle: request.params['handle'] } };
          }
          // A later partition answers with its rows only.
          if (request.query['partition'] === '1') return { json: { data: [['pending', '310', '9120.00']] } };
          return runStatement({ ...request, query: {}, body: { statement: 'select status, count(*) as orders, sum(amount) as revenue from orders group by 1' } });
        },
      },
      {
        method: 'POST',
        path: '/api/v2/statements/:handle/cancel',
        reply: (request) => ({
          json: { code: '000604', sqlState: '57014', message: 'SQL execution canceled', statementHandle: request.params['handle'], statementStatusUrl: `/api/v2/statements/${request.params['handle']}` },
        }),
      },
    ],
  });
}
