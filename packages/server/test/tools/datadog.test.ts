/** Every datadog_* tool against the Datadog emulator, through POST /api/v1/execute_tool. */
import { DATADOG_ACCOUNT, datadogEmulator } from '../emulators/datadog.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { 'dd-api-key': DATADOG_ACCOUNT.api_key, 'dd-application-key': DATADOG_ACCOUNT.application_key };
const json = { ...auth, 'content-type': 'application/json' };
/** The account's site (datadoghq.eu) fills `https://api.{{site}}` and stays visible in the recorded path. */
const at = (path: string) => `/api.datadoghq.eu${path}`;

toolSuite({
  connector: 'datadog',
  emulator: datadogEmulator,
  type: 'API_KEY',
  account: { static_auth: DATADOG_ACCOUNT },
  basePath: '/api.{{site}}',
  routePrefix: /\/api\.[a-z0-9.-]+/,
  cases: [
    {
      tool: 'datadog_list_monitors',
      params: { monitor_tags: 'service:web', tags: 'env:prod' },
      request: { method: 'GET', path: at('/api/v1/monitor'), query: { monitor_tags: 'service:web', tags: 'env:prod', page: '0', page_size: '50' }, headers: auth },
      data: {
        monitors: [
          {
            id: 4711,
            name: 'High CPU on web hosts',
            type: 'query alert',
            query: 'avg(last_5m):avg:system.cpu.user{env:prod,service:web} by {host} > 90',
            overall_state: 'Alert',
            priority: 2,
            tags: ['service:web', 'team:platform'],
            modified: '2024-05-02T08:00:00.000000+00:00',
          },
          {
            id: 4712,
            name: 'Checkout error rate',
            type: 'metric alert',
            query: 'sum(last_10m):sum:trace.http.request.errors{service:web}.as_count() > 50',
            overall_state: 'OK',
            priority: null,
            tags: ['service:web'],
            modified: '2024-04-20T10:00:00.000000+00:00',
          },
        ],
      },
    },
    {
      tool: 'datadog_list_monitors',
      params: { name: 'nothing', page: 2, page_size: 10, group_states: 'alert,warn' },
      request: { method: 'GET', path: at('/api/v1/monitor'), query: { name: 'nothing', group_states: 'alert,warn', page: '2', page_size: '10' }, headers: auth },
      data: { monitors: [] },
    },
    {
      tool: 'datadog_get_monitor',
      params: { monitor_id: 4711 },
      request: { method: 'GET', path: at('/api/v1/monitor/4711'), query: { group_states: 'all' }, headers: auth },
      data: {
        id: 4711,
        name: 'High CPU on web hosts',
        type: 'query alert',
        query: 'avg(last_5m):avg:system.cpu.user{env:prod,service:web} by {host} > 90',
        message: 'CPU above 90% on {{host.name}}. @slack-ops',
        overall_state: 'Alert',
        priority: 2,
        tags: ['service:web', 'team:platform'],
        thresholds: { critical: 90, warning: 80 },
        creator: { name: 'Ada Lovelace', email: 'ada@acme.test' },
        groups: {
          'host:i-0abc123': { last_nodata_ts: 0, last_notified_ts: 1714729272, last_resolved_ts: 1714600000, last_triggered_ts: 1714729272, name: 'host:i-0abc123', status: 'Alert' },
          'host:i-0def456': { last_nodata_ts: 0, last_notified_ts: 0, last_resolved_ts: 1714700000, last_triggered_ts: 1714690000, name: 'host:i-0def456', status: 'OK' },
        },
        created: '2023-11-14T22:13:20.000000+00:00',
        modified: '2024-05-02T08:00:00.000000+00:00',
      },
    },
    {
      tool: 'datadog_query_metrics',
      params: { query: 'avg:system.cpu.user{env:prod} by {host}', from: 1714729200, to: 1714729380 },
      request: { method: 'GET', path: at('/api/v1/query'), query: { query: 'avg:system.cpu.user{env:prod} by {host}', from: '1714729200', to: '1714729380' }, headers: auth },
      data: {
        status: 'ok',
        from_ms: 1714729200000,
        to_ms: 1714729380000,
        series: [
          {
            metric: 'system.cpu.user',
            display_name: 'system.cpu.user',
            scope: 'env:prod,host:i-0abc123',
            expression: 'avg:system.cpu.user{env:prod,host:i-0abc123}',
            aggregation: 'avg',
            interval: 60,
            unit: 'percent',
            points: [
              [1714729200000, 91.5],
              [1714729260000, 94.25],
              [1714729320000, null],
            ],
          },
        ],
      },
    },
    {
      tool: 'datadog_post_event',
      params: { title: 'Deploy web v1.4.3', text: '%%%\nRolled out **v1.4.3** to prod\n%%%', tags: ['env:prod', 'service:web'], aggregation_key: 'deploy-web', source_type_name: 'my_apps' },
      request: {
        method: 'POST',
        path: at('/api/v1/events'),
        headers: json,
        body: { title: 'Deploy web v1.4.3', text: '%%%\nRolled out **v1.4.3** to prod\n%%%', alert_type: 'info', tags: ['env:prod', 'service:web'], aggregation_key: 'deploy-web', source_type_name: 'my_apps' },
      },
      data: { status: 'ok', id: '7501234567890123456', title: 'Deploy web v1.4.3', date_happened: 1714729400, tags: ['env:prod', 'service:web'], url: 'https://app.datadoghq.eu/event/event?id=7501234567890123456' },
    },
    {
      tool: 'datadog_post_event',
      params: { title: 'Database failover', text: 'Primary moved to replica-2.', alert_type: 'warning', priority: 'low', host: 'db-1', date_happened: 1714729000 },
      request: {
        method: 'POST',
        path: at('/api/v1/events'),
        headers: json,
        body: { title: 'Database failover', text: 'Primary moved to replica-2.', alert_type: 'warning', priority: 'low', host: 'db-1', date_happened: 1714729000 },
      },
      data: { status: 'ok', id: '7501234567890123456', title: 'Database failover', date_happened: 1714729000, tags: null, url: 'https://app.datadoghq.eu/event/event?id=7501234567890123456' },
    },
    {
      tool: 'datadog_list_events',
      params: { query: 'source:github service:web', from: 'now-1h', limit: 1 },
      request: { method: 'GET', path: at('/api/v2/events'), query: { 'filter[query]': 'source:github service:web', 'filter[from]': 'now-1h', sort: '-timestamp', 'page[limit]': '1' }, headers: auth },
      data: {
        events: [
          {
            id: 'AAAAAY9lZXZlbnQtMDAx',
            timestamp: '2024-05-03T09:30:00Z',
            title: 'Deploy web v1.4.2',
            message: 'Deployed web v1.4.2 to prod',
            source: 'github',
            status: 'info',
            priority: 'normal',
            tags: ['env:prod', 'service:web', 'version:1.4.2'],
          },
        ],
        next_cursor: 'eyJzdGFydEF0IjoiQVFBQUFZOWwifQ',
      },
    },
    {
      tool: 'datadog_search_logs',
      params: { query: 'service:web status:error', from: 'now-1h', indexes: ['main'], limit: 1 },
      request: {
        method: 'POST',
        path: at('/api/v2/logs/events/search'),
        headers: json,
        body: { filter: { query: 'service:web status:error', from: 'now-1h', to: 'now', indexes: ['main'] }, sort: '-timestamp', page: { limit: 1 } },
      },
      data: {
        logs: [
          {
            id: 'AQAAAY9lZ2xvZ0lkLTAwMQ',
            timestamp: '2024-05-03T09:40:58.123Z',
            status: 'error',
            service: 'web',
            host: 'i-0abc123',
            message: 'upstream timed out (110: Connection timed out) while reading response header',
            tags: ['env:prod', 'service:web', 'source:nginx'],
          },
        ],
        next_cursor: 'eyJhZnRlciI6IkFRQUFBWTlsIn0',
      },
    },
    {
      tool: 'datadog_search_logs',
      params: { cursor: 'eyJhZnRlciI6IkFRQUFBWTlsIn0' },
      request: {
        method: 'POST',
        path: at('/api/v2/logs/events/search'),
        headers: json,
        body: { filter: { query: '*', from: 'now-15m', to: 'now' }, sort: '-timestamp', page: { limit: 25, cursor: 'eyJhZnRlciI6IkFRQUFBWTlsIn0' } },
      },
      data: { logs: [] },
    },
  ],
});
