/** Intercom REST API, version 2.11 (https://developers.intercom.com/docs/references/2.11/rest-api/api.intercom.io): the endpoints the intercom_* tools call. */
import { defineEmulator, type EmulatorReply, type RecordedRequest } from '../helpers/emulator.ts';

export const INTERCOM_TOKEN = 'dG9rOmVtdWxhdG9yXzE6MToxOjA=.intercom-emulator';
export const INTERCOM_VERSION = '2.11';

function errors(status: number, code: string, message: string): EmulatorReply {
  return { status, json: { type: 'error.list', request_id: '000e3oj7d5e8s2d0mb0g', errors: [{ code, message }] } };
}

const ADA = {
  type: 'contact',
  id: '6657a1f2e8c1d0a3b4c5d6e7',
  workspace_id: 'ecahpwf5',
  external_id: 'user-1842',
  role: 'user',
  email: 'ada@example.com',
  phone: '+442079460018',
  name: 'Ada Lovelace',
  avatar: null,
  owner_id: null,
  has_hard_bounced: false,
  marked_email_as_spam: false,
  unsubscribed_from_emails: false,
  created_at: 1709287200,
  updated_at: 1714638600,
  signed_up_at: 1709287200,
  last_seen_at: 1717230000,
  browser: 'chrome',
  location: { type: 'location', country: 'United Kingdom', region: 'England', city: 'London', country_code: 'GBR', continent_code: 'EU' },
  custom_attributes: { plan: 'pro' },
  tags: { type: 'list', data: [{ type: 'tag', id: '81', url: '/tags/81' }], url: '/contacts/6657a1f2e8c1d0a3b4c5d6e7/tags', total_count: 1, has_more: false },
  companies: { type: 'list', data: [{ type: 'company', id: '6657a2b0e8c1d0a3b4c5d6f0', url: '/companies/6657a2b0e8c1d0a3b4c5d6f0' }], url: '/contacts/6657a1f2e8c1d0a3b4c5d6e7/companies', total_count: 1, has_more: false },
};

const USER_AUTHOR = { type: 'user', id: ADA.id, name: 'Ada Lovelace', email: 'ada@example.com' };
const ADMIN_AUTHOR = { type: 'admin', id: '991267', name: 'Grace Hopper', email: 'grace@acme.example' };

function conversation(parts: unknown[]) {
  return {
    type: 'conversation',
    id: '147',
    title: 'Cannot export invoices',
    created_at: 1717200000,
    updated_at: 1717203600,
    waiting_since: 1717203600,
    snoozed_until: null,
    open: true,
    state: 'open',
    read: false,
    priority: 'priority',
    admin_assignee_id: 991267,
    team_assignee_id: '5017691',
    tags: { type: 'tag.list', tags: [] },
    source: { type: 'conversation', id: '403918320', delivered_as: 'customer_initiated', subject: '', body: '<p>The CSV export of invoices is empty.</p>', author: USER_AUTHOR, attachments: [], url: null, redacted: false },
    contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: ADA.id, external_id: 'user-1842' }] },
    teammates: { type: 'admin.list', admins: [{ type: 'admin', id: '991267' }] },
    statistics: null,
    conversation_parts: { type: 'conversation_part.list', conversation_parts: parts, total_count: parts.length },
  };
}

const PARTS = [
  { type: 'conversation_part', id: '2284613471', part_type: 'comment', body: 'Thanks Ada, looking into it.', created_at: 1717201800, updated_at: 1717201800, notified_at: 1717201800, assigned_to: null, author: ADMIN_AUTHOR, attachments: [], external_id: null, redacted: false },
  { type: 'conversation_part', id: '2284613502', part_type: 'note', body: 'Export job failed on shard 3.', created_at: 1717203600, updated_at: 1717203600, notified_at: 1717203600, assigned_to: null, author: ADMIN_AUTHOR, attachments: [], external_id: null, redacted: false },
];

function checkVersion(request: RecordedRequest): EmulatorReply | undefined {
  const version = request.headers['intercom-version'];
  return version === undefined || version === INTERCOM_VERSION ? undefined : errors(400, 'intercom_version_invalid', `Requested resource is not available in version ${version}`);
}

export const intercomEmulator = defineEmulator({
  name: 'intercom',
  authorized: (request) => request.headers['authorization'] === `Bearer ${INTERCOM_TOKEN}`,
  unauthorized: errors(401, 'unauthorized', 'Access Token Invalid'),
  routes: [
    {
      method: 'POST',
      path: '/contacts/search',
      reply: (request) => {
        const problem = checkVersion(request);
        if (problem !== undefined) return problem;
        const body = request.body as { query: { field: string; operator: string; value: unknown }; pagination?: { per_page?: number; starting_after?: string } };
        if (body.query.field === 'email' && body.query.value !== 'ada@example.com') {
          return { json: { type: 'list', data: [], total_count: 0, pages: { type: 'pages', page: 1, per_page: body.pagination?.per_page ?? 50, total_pages: 0 } } };
        }
        return {
          json: {
            type: 'list',
            data: [ADA],
            total_count: 41,
            pages: { type: 'pages', next: { page: 2, starting_after: 'WzE3MTcyMzAwMDAwMDAsIjY2NTdhMWYyZThjMWQwYTNiNGM1ZDZlNyIsMl0=' }, page: 1, per_page: body.pagination?.per_page ?? 50, total_pages: 41 },
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/contacts/:id',
      reply: (request) => checkVersion(request) ?? (request.params['id'] === ADA.id ? { json: ADA } : errors(404, 'not_found', 'User Not Found')),
    },
    {
      method: 'POST',
      path: '/contacts',
      reply: (request) => {
        const problem = checkVersion(request);
        if (problem !== undefined) return problem;
        const body = request.body as { role?: string; email?: string; external_id?: string; name?: string; phone?: string; custom_attributes?: Record<string, unknown> };
        if (body.email === ADA.email) return errors(409, 'conflict', `A contact matching those details already exists with id=${ADA.id}`);
        return {
          json: {
            ...ADA,
            id: '6661f0c4a2b3c4d5e6f70812',
            role: body.role ?? 'user',
            email: body.email ?? null,
            external_id: body.external_id ?? null,
            name: body.name ?? null,
            phone: body.phone ?? null,
            created_at: 1717588800,
            updated_at: 1717588800,
            last_seen_at: null,
            custom_attributes: body.custom_attributes ?? {},
            tags: { ...ADA.tags, data: [], total_count: 0 },
            companies: { ...ADA.companies, data: [], total_count: 0 },
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/conversations',
      reply: (request) =>
        checkVersion(request) ?? {
          json: {
            type: 'conversation.list',
            conversations: [conversation([])],
            total_count: 2,
            pages: { type: 'pages', page: 1, per_page: Number(request.query['per_page'] ?? 20), total_pages: 2, next: { page: 2, starting_after: 'WzE3MTcyMDM2MDAwMDAsMTQ3LDJd' } },
          },
        },
    },
    {
      method: 'GET',
      path: '/conversations/:id',
      reply: (request) => {
        const problem = checkVersion(request);
        if (problem !== undefined) return problem;
        if (request.params['id'] !== '147') return errors(404, 'conversation_not_found', 'Conversation not found');
        const plain = request.query['display_as'] === 'plaintext';
        const base = conversation(PARTS.map((part) => (plain ? part : { ...part, body: `<p>${part.body}</p>` })));
        return { json: plain ? { ...base, source: { ...base.source, body: 'The CSV export of invoices is empty.' } } : base };
      },
    },
    {
      method: 'POST',
      path: '/conversations/:id/reply',
      reply: (request) => {
        const problem = checkVersion(request);
        if (problem !== undefined) return problem;
        const body = request.body as { message_type: string; type: string; admin_id?: string; body: string };
        if (body.type === 'admin' && body.admin_id !== '991267') return errors(404, 'admin_not_found', 'Admin not found');
        const part = { ...PARTS[0], id: '2284619001', part_type: body.message_type === 'note' ? 'note' : 'comment', body: body.body, created_at: 1717207200, updated_at: 1717207200 };
        return { json: { ...conversation([...PARTS, part]), updated_at: 1717207200 } };
      },
    },
    {
      method: 'GET',
      path: '/admins',
      reply: (request) =>
        checkVersion(request) ?? {
          json: {
            type: 'admin.list',
            admins: [
              { type: 'admin', id: '991267', name: 'Grace Hopper', email: 'grace@acme.example', job_title: 'Support lead', away_mode_enabled: false, away_mode_reassign: false, has_inbox_seat: true, team_ids: [5017691], avatar: { image_url: null } },
              { type: 'admin', id: '991268', name: 'Operator', email: 'operator+ecahpwf5@intercom.io', job_title: null, away_mode_enabled: false, away_mode_reassign: false, has_inbox_seat: false, team_ids: [] },
            ],
          },
        },
    },
  ],
});
