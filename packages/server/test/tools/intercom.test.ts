/** Every intercom_* tool against the Intercom emulator, through POST /api/v1/execute_tool. */
import { INTERCOM_TOKEN, INTERCOM_VERSION, intercomEmulator } from '../emulators/intercom.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${INTERCOM_TOKEN}`, 'intercom-version': INTERCOM_VERSION };
const json = { ...auth, 'content-type': 'application/json' };

const ADA_ID = '6657a1f2e8c1d0a3b4c5d6e7';
const USER_AUTHOR = { type: 'user', id: ADA_ID, name: 'Ada Lovelace', email: 'ada@example.com' };
const ADMIN_AUTHOR = { type: 'admin', id: '991267', name: 'Grace Hopper', email: 'grace@acme.example' };

toolSuite({
  connector: 'intercom',
  emulator: intercomEmulator,
  account: { oauth_token: { access_token: INTERCOM_TOKEN } },
  cases: [
    {
      tool: 'intercom_search_contacts',
      params: { field: 'email', value: 'ada@example.com' },
      request: {
        method: 'POST',
        path: '/contacts/search',
        headers: json,
        body: { query: { field: 'email', operator: '=', value: 'ada@example.com' }, pagination: { per_page: 20 } },
      },
      data: {
        total_count: 41,
        contacts: [
          {
            id: ADA_ID,
            role: 'user',
            email: 'ada@example.com',
            name: 'Ada Lovelace',
            phone: '+442079460018',
            external_id: 'user-1842',
            created_at: 1709287200,
            last_seen_at: 1717230000,
            custom_attributes: { plan: 'pro' },
          },
        ],
        next_starting_after: 'WzE3MTcyMzAwMDAwMDAsIjY2NTdhMWYyZThjMWQwYTNiNGM1ZDZlNyIsMl0=',
      },
    },
    {
      tool: 'intercom_search_contacts',
      params: { field: 'email', operator: '$', value: '@nowhere.example', per_page: 5, starting_after: 'WzE3MTcyMzAwMDAwMDAsIjY2NTdhMWYyZThjMWQwYTNiNGM1ZDZlNyIsMl0=' },
      request: {
        method: 'POST',
        path: '/contacts/search',
        headers: json,
        body: { query: { field: 'email', operator: '$', value: '@nowhere.example' }, pagination: { per_page: 5, starting_after: 'WzE3MTcyMzAwMDAwMDAsIjY2NTdhMWYyZThjMWQwYTNiNGM1ZDZlNyIsMl0=' } },
      },
      data: { total_count: 0, contacts: [] },
    },
    {
      tool: 'intercom_get_contact',
      params: { contact_id: ADA_ID },
      request: { method: 'GET', path: `/contacts/${ADA_ID}`, headers: auth },
      data: {
        id: ADA_ID,
        role: 'user',
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        phone: '+442079460018',
        external_id: 'user-1842',
        location: { type: 'location', country: 'United Kingdom', region: 'England', city: 'London', country_code: 'GBR', continent_code: 'EU' },
        created_at: 1709287200,
        updated_at: 1714638600,
        last_seen_at: 1717230000,
        custom_attributes: { plan: 'pro' },
        tags: ['81'],
        companies: ['6657a2b0e8c1d0a3b4c5d6f0'],
      },
    },
    {
      tool: 'intercom_create_contact',
      params: { email: 'grace@example.com', name: 'Grace Hopper', custom_attributes: { plan: 'trial' } },
      request: { method: 'POST', path: '/contacts', headers: json, body: { role: 'user', email: 'grace@example.com', name: 'Grace Hopper', custom_attributes: { plan: 'trial' } } },
      data: {
        id: '6661f0c4a2b3c4d5e6f70812',
        role: 'user',
        email: 'grace@example.com',
        name: 'Grace Hopper',
        phone: null,
        external_id: null,
        created_at: 1717588800,
        custom_attributes: { plan: 'trial' },
      },
    },
    {
      tool: 'intercom_list_conversations',
      params: { per_page: 1 },
      request: { method: 'GET', path: '/conversations', query: { per_page: '1' }, headers: auth },
      data: {
        total_count: 2,
        conversations: [
          {
            id: '147',
            title: 'Cannot export invoices',
            state: 'open',
            read: false,
            priority: 'priority',
            created_at: 1717200000,
            updated_at: 1717203600,
            waiting_since: 1717203600,
            admin_assignee_id: 991267,
            team_assignee_id: '5017691',
            source: { subject: '', body: '<p>The CSV export of invoices is empty.</p>', author: USER_AUTHOR },
            contact_ids: [ADA_ID],
          },
        ],
        next_starting_after: 'WzE3MTcyMDM2MDAwMDAsMTQ3LDJd',
      },
    },
    {
      tool: 'intercom_get_conversation',
      params: { conversation_id: '147' },
      request: { method: 'GET', path: '/conversations/147', query: { display_as: 'plaintext' }, headers: auth },
      data: {
        id: '147',
        title: 'Cannot export invoices',
        state: 'open',
        priority: 'priority',
        created_at: 1717200000,
        updated_at: 1717203600,
        admin_assignee_id: 991267,
        team_assignee_id: '5017691',
        contact_ids: [ADA_ID],
        source: { subject: '', body: 'The CSV export of invoices is empty.', author: USER_AUTHOR },
        parts: [
          { id: '2284613471', part_type: 'comment', body: 'Thanks Ada, looking into it.', author: ADMIN_AUTHOR, created_at: 1717201800 },
          { id: '2284613502', part_type: 'note', body: 'Export job failed on shard 3.', author: ADMIN_AUTHOR, created_at: 1717203600 },
        ],
        parts_total: 2,
      },
    },
    {
      tool: 'intercom_reply_to_conversation',
      params: { conversation_id: '147', admin_id: '991267', body: '<p>Fixed: the export works again.</p>' },
      request: {
        method: 'POST',
        path: '/conversations/147/reply',
        headers: json,
        body: { message_type: 'comment', type: 'admin', admin_id: '991267', body: '<p>Fixed: the export works again.</p>' },
      },
      data: { id: '147', state: 'open', updated_at: 1717207200, parts_total: 3 },
    },
    {
      tool: 'intercom_reply_to_conversation',
      params: { conversation_id: '147', admin_id: '991267', body: 'Customer is on the legacy exporter.', message_type: 'note' },
      request: {
        method: 'POST',
        path: '/conversations/147/reply',
        headers: json,
        body: { message_type: 'note', type: 'admin', admin_id: '991267', body: 'Customer is on the legacy exporter.' },
      },
      data: { id: '147', state: 'open', updated_at: 1717207200, parts_total: 3 },
    },
    {
      tool: 'intercom_list_admins',
      params: {},
      request: { method: 'GET', path: '/admins', headers: auth },
      data: {
        admins: [
          { id: '991267', name: 'Grace Hopper', email: 'grace@acme.example', job_title: 'Support lead', away_mode_enabled: false, team_ids: [5017691] },
          { id: '991268', name: 'Operator', email: 'operator+ecahpwf5@intercom.io', job_title: null, away_mode_enabled: false, team_ids: [] },
        ],
      },
    },
  ],
});
