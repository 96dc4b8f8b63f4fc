/**
 * Datadog API (https://docs.datadoghq.com/api/latest/): the endpoints the datadog_* tools call, on the
 * account's site (api.datadoghq.eu here). Requests carry both the DD-API-KEY and the
 * DD-APPLICATION-KEY header; anything else gets Datadog's 403.
 */
import { defineEmulator, type RecordedRequest } from '../helpers/emulator.ts';

export const DATADOG_ACCOUNT = { api_key: '0c1f6a9e4b2d7c8e5f3a1b9d6e4c2a7f', application_key: '9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6', site: 'datadoghq.eu' };

const monitor = (id: number, overrides: Record<string, unknown> = {}) => ({
  id,
  org_id: 1000123,
  type: 'query alert',
  name: 'High CPU on web hosts',
  message: 'CPU above 90% on {{host.name}}. @slack-ops',
  tags: ['service:web', 'team:platform'],
  query: 'avg(last_5m):avg:system.cpu.user{env:prod,service:web} by {host} > 90',
  options: { thresholds: { critical: 90, warning: 80 }, notify_no_data: false, notify_audit: false, require_full_window: true, new_group_delay: 60, include_tags: true, silenced: {} },
  multi: true,
  created_at: 1700000000000,
  created: '2023-11-14T22:13:20.000000+00:00',
  modified: '2024-05-02T08:00:00.000000+00:00',
  deleted: null,
  restricted_roles: null,
  priority: 2,
  overall_state_modified: '2024-05-03T09:41:12+00:00',
  overall_state: 'Alert',
  creator: { name: 'Ada Lovelace', handle: 'ada@acme.test', email: 'ada@acme.test', id: 1234567 },
  matching_downtimes: [],
  ...overrides,
});

const logs = (request: RecordedRequest) => {
  const body = request.body as { page?: { cursor?: string } };
  if (body.page?.cursor === 'eyJhZnRlciI6IkFRQUFBWTlsIn0') return { json: { data: [], meta: { elapsed: 12, request_id: 'pddv1ChZ', status: 'done' }, links: {} } };
  return {
    json: {
      data: [
        {
          id: 'AQAAAY9lZ2xvZ0lkLTAwMQ',
          type: 'log',
          attributes: {
            timestamp: '2024-05-03T09:40:58.123Z',
            status: 'error',
            service: 'web',
            host: 'i-0abc123',
            message: 'upstream timed out (110: Connection timed out) while reading response header',
            tags: ['env:prod', 'service:web', 'source:nginx'],
            attributes: { http: { status_code: 504, method: 'GET', url: '/checkout' } },
          },
        },
      ],
      meta: { elapsed: 87, page: { after: 'eyJhZnRlciI6IkFRQUFBWTlsIn0' }, request_id: 'pddv1ChZ', status: 'done' },
      links: { next: 'https://api.datadoghq.eu/api/v2/logs/events?page[cursor]=eyJhZnRlciI6IkFRQUFBWTlsIn0' },
    },
  };
};

export const datadogEmulator = defineEmulator({
  name: 'datadog',
  authorized: (request) => request.headers['dd-api-key'] === DATADOG_ACCOUNT.api_key && request.headers['dd-application-key'] === DATADOG_ACCOUNT.application_key,
  unauthorized: { status: 403, json: { errors: ['Forbidden'] } },
  routes: [
    {
      method: 'GET',
      path: '/api/v1/monitor',
      reply: (request) =>
        request.query['name'] === 'nothing'
          ? { json: [] }
          : { json: [monitor(4711), monitor(4712, { name: 'Checkout error rate', type: 'metric alert', query: 'sum(last_10m):sum:trace.http.request.errors{service:web}.as_count() > 50', overall_state: 'OK', priority: null, tags: ['service:web'], modified: '2024-04-20T10:00:00.000000+00:00' })] },
    },
    {
      method: 'GET',
      path: '/api/v1/monitor/:id',
      reply: (request) =>
        request.params['id'] === '4711'
          ? {
              json: monitor(4711, {
                state: {
                  groups: {
                    'host:i-0abc123': { last_nodata_ts: 0, last_notified_ts: 1714729272, last_resolved_ts: 1714600000, last_triggered_ts: 1714729272, name: 'host:i-0abc123', status: 'Alert' },
                    'host:i-0def456': { last_nodata_ts: 0, last_notified_ts: 0, last_resolved_ts: 1714700000, last_triggered_ts: 1714690000, name: 'host:i-0def456', status: 'OK' },
                  },
                },
              }),
            }
          : { status: 404, json: { errors: ['Monitor not found'] } },
    },
    {
      method: 'GET',
      path: '/api/v1/query',
      reply: (request) => ({
        json: {
          status: 'ok',
          res_type: 'time_series',
          resp_version: 1,
          query: request.query['query'],
          from_date: Number(request.query['from']) * 1000,
          to_date: Number(request.query['to']) * 1000,
          series: [
            {
              unit: [{ family: 'percentage', scale_factor: 1, name: 'percent', short_name: '%', plural: 'percent', id: 17 }, null],
              query_index: 0,
              aggr: 'avg',
              metric: 'system.cpu.user',
              tag_set: ['host:i-0abc123'],
              expression: 'avg:system.cpu.user{env:prod,host:i-0abc123}',
              scope: 'env:prod,host:i-0abc123',
              interval: 60,
              length: 3,
              start: 1714729200000,
              end: 1714729379000,
              pointlist: [
                [1714729200000, 91.5],
                [1714729260000, 94.25],
                [1714729320000, null],
              ],
              display_name: 'system.cpu.user',
              attributes: {},
            },
          ],
          values: [],
          times: [],
          message: '',
          group_by: ['host'],
        },
      }),
    },
    {
      method: 'POST',
      path: '/api/v1/events',
      reply: (request) => {
        const body = request.body as { title: string; text: string; tags?: string[]; date_happened?: number; priority?: string };
        return {
          status: 202,
          json: {
            status: 'ok',
            event: {
              id: 7501234567890123000,
              id_str: '7501234567890123456',
              title: body.title,
              text: body.text,
              date_happened: body.date_happened ?? 1714729400,
              handle: null,
              priority: body.priority ?? null,
              related_event_id: null,
              tags: body.tags ?? null,
              url: 'https://app.datadoghq.eu/event/event?id=7501234567890123456',
            },
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/api/v2/events',
      reply: () => ({
        json: {
          data: [
            {
              id: 'AAAAAY9lZXZlbnQtMDAx',
              type: 'event',
              attributes: {
                timestamp: '2024-05-03T09:30:00Z',
                message: 'Deployed web v1.4.2 to prod',
                tags: ['env:prod', 'service:web', 'version:1.4.2'],
                attributes: {
                  evt: { id: '7501234567890000001', source_id: 1, type: 'deployment' },
                  title: 'Deploy web v1.4.2',
                  status: 'info',
                  priority: 'normal',
                  source_type_name: 'github',
                  service: 'web',
                  timestamp: 1714728600000,
                },
              },
            },
          ],
          links: { next: 'https://api.datadoghq.eu/api/v2/events?page[cursor]=eyJzdGFydEF0IjoiQVFBQUFZOWwifQ&page[limit]=1' },
          meta: { elapsed: 54, page: { after: 'eyJzdGFydEF0IjoiQVFBQUFZOWwifQ' }, request_id: 'pddv1ChZ0ev', status: 'done' },
        },
      }),
    },
    { method: 'POST', path: '/api/v2/logs/events/search', reply: logs },
  ],
});
