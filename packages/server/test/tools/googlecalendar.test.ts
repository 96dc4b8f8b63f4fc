/** Every googlecalendar_* tool against the Google Calendar emulator, through POST /api/v1/execute_tool. */
import { GOOGLECALENDAR_TOKEN, googlecalendarEmulator } from '../emulators/googlecalendar.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${GOOGLECALENDAR_TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };

/** STANDUP of the emulator, as the tools shape it. */
const standup = {
  id: '7cbh8rpc10lrc0ckih9tafss99',
  status: 'confirmed',
  summary: 'Design review',
  description: 'Walk through the Q4 mock-ups.',
  location: 'Room 4.02',
  start: { dateTime: '2024-10-03T14:00:00+02:00', timeZone: 'Europe/Paris' },
  end: { dateTime: '2024-10-03T15:00:00+02:00', timeZone: 'Europe/Paris' },
  organizer: 'ada@example.com',
  attendees: [
    { email: 'ada@example.com', response_status: 'accepted', organizer: true },
    { email: 'bob@example.com', response_status: 'tentative' },
    { email: 'carol@example.com', response_status: 'needsAction', optional: true },
  ],
  hangout_link: 'https://meet.google.com/abc-defg-hij',
  html_link: 'https://www.google.com/calendar/event?eid=N2NiaDhycGMxMGxyYzBja2loOXRhZnNzOTkgYWRhQGV4YW1wbGUuY29t',
  created: '2024-09-20T08:00:00.000Z',
  updated: '2024-09-28T16:42:10.123Z',
};

toolSuite({
  connector: 'googlecalendar',
  emulator: googlecalendarEmulator,
  account: { oauth_token: { access_token: GOOGLECALENDAR_TOKEN, scopes: ['https://www.googleapis.com/auth/calendar.readonly', 'https://www.googleapis.com/auth/calendar.events'] } },
  cases: [
    {
      tool: 'googlecalendar_list_calendars',
      params: { min_access_role: 'writer' },
      request: { method: 'GET', path: '/calendar/v3/users/me/calendarList', query: { maxResults: '100', minAccessRole: 'writer' }, headers: auth },
      data: {
        calendars: [
          { id: 'ada@example.com', summary: 'ada@example.com', time_zone: 'Europe/Paris', access_role: 'owner', primary: true },
          { id: 'c_9f1a2b3c@group.calendar.google.com', summary: 'Team', description: 'Team holidays and releases', time_zone: 'Europe/Berlin', access_role: 'writer' },
        ],
        next_page_token: 'EjwKOmMxZjQ',
      },
    },
    {
      tool: 'googlecalendar_list_events',
      params: { time_min: '2024-10-03T00:00:00+02:00', time_max: '2024-10-04T00:00:00+02:00' },
      request: {
        method: 'GET',
        path: '/calendar/v3/calendars/primary/events',
        query: { timeMin: '2024-10-03T00:00:00+02:00', timeMax: '2024-10-04T00:00:00+02:00', maxResults: '25', singleEvents: 'true', orderBy: 'startTime' },
        headers: auth,
      },
      data: {
        events: [
          {
            id: '20241003_holiday',
            status: 'confirmed',
            summary: 'Day of German Unity',
            start: { date: '2024-10-03' },
            end: { date: '2024-10-04' },
            organizer: 'ada@example.com',
            html_link: 'https://www.google.com/calendar/event?eid=MjAyNDEwMDNfaG9saWRheQ',
            created: '2024-01-02T10:00:00.000Z',
            updated: '2024-01-02T10:00:00.000Z',
          },
          standup,
        ],
        time_zone: 'Europe/Paris',
        next_page_token: 'CigKGjdjYmg4cnBj',
      },
    },
    {
      tool: 'googlecalendar_list_events',
      params: { calendar_id: 'c_9f1a2b3c@group.calendar.google.com', query: 'nothing', max_results: 5, order_by: 'updated', time_zone: 'Europe/Berlin', page_token: 'CigKGjdjYmg4cnBj' },
      request: {
        method: 'GET',
        path: '/calendar/v3/calendars/c_9f1a2b3c%40group.calendar.google.com/events',
        query: { q: 'nothing', maxResults: '5', singleEvents: 'true', orderBy: 'updated', timeZone: 'Europe/Berlin', pageToken: 'CigKGjdjYmg4cnBj' },
        headers: auth,
      },
      data: { events: [], time_zone: 'Europe/Paris' },
    },
    {
      tool: 'googlecalendar_get_event',
      params: { event_id: '7cbh8rpc10lrc0ckih9tafss99' },
      request: { method: 'GET', path: '/calendar/v3/calendars/primary/events/7cbh8rpc10lrc0ckih9tafss99', headers: auth },
      data: standup,
    },
    {
      tool: 'googlecalendar_create_event',
      params: {
        summary: 'Budget sync',
        start_time: '2024-10-07T10:00:00+02:00',
        end_time: '2024-10-07T10:30:00+02:00',
        time_zone: 'Europe/Paris',
        attendees: ['bob@example.com', 'dan@partner.example'],
        send_updates: 'all',
      },
      request: {
        method: 'POST',
        path: '/calendar/v3/calendars/primary/events',
        query: { sendUpdates: 'all' },
        headers: json,
        body: {
          summary: 'Budget sync',
          start: { dateTime: '2024-10-07T10:00:00+02:00', timeZone: 'Europe/Paris' },
          end: { dateTime: '2024-10-07T10:30:00+02:00', timeZone: 'Europe/Paris' },
          attendees: [{ email: 'bob@example.com' }, { email: 'dan@partner.example' }],
        },
      },
      data: {
        id: 'k5m1n0q3r2s4t6u8v0w2x4y6z8',
        status: 'confirmed',
        summary: 'Budget sync',
        start: { dateTime: '2024-10-07T10:00:00+02:00', timeZone: 'Europe/Paris' },
        end: { dateTime: '2024-10-07T10:30:00+02:00', timeZone: 'Europe/Paris' },
        organizer: 'ada@example.com',
        attendees: [
          { email: 'bob@example.com', response_status: 'needsAction' },
          { email: 'dan@partner.example', response_status: 'needsAction' },
        ],
        html_link: 'https://www.google.com/calendar/event?eid=azVtMW4wcTNyMnM0dDZ1OHYwdzJ4NHk2ejg',
        created: '2024-10-01T12:00:00.000Z',
        updated: '2024-10-01T12:00:00.000Z',
      },
    },
    {
      tool: 'googlecalendar_create_event',
      params: { calendar_id: 'team@example.com', summary: 'Release', description: 'v2.4', location: 'Online', start_time: '2024-10-08T09:00:00Z', end_time: '2024-10-08T09:15:00Z' },
      request: {
        method: 'POST',
        path: '/calendar/v3/calendars/team%40example.com/events',
        headers: json,
        body: { summary: 'Release', description: 'v2.4', location: 'Online', start: { dateTime: '2024-10-08T09:00:00Z' }, end: { dateTime: '2024-10-08T09:15:00Z' } },
      },
      data: {
        id: 'k5m1n0q3r2s4t6u8v0w2x4y6z8',
        status: 'confirmed',
        summary: 'Release',
        description: 'v2.4',
        location: 'Online',
        start: { dateTime: '2024-10-08T09:00:00Z' },
        end: { dateTime: '2024-10-08T09:15:00Z' },
        organizer: 'ada@example.com',
        html_link: 'https://www.google.com/calendar/event?eid=azVtMW4wcTNyMnM0dDZ1OHYwdzJ4NHk2ejg',
        created: '2024-10-01T12:00:00.000Z',
        updated: '2024-10-01T12:00:00.000Z',
      },
    },
    {
      tool: 'googlecalendar_update_event',
      params: { event_id: '7cbh8rpc10lrc0ckih9tafss99', location: 'Room 5.01', send_updates: 'none' },
      request: { method: 'PATCH', path: '/calendar/v3/calendars/primary/events/7cbh8rpc10lrc0ckih9tafss99', query: { sendUpdates: 'none' }, headers: json, body: { location: 'Room 5.01' } },
      data: { ...standup, location: 'Room 5.01', updated: '2024-10-01T12:00:00.000Z' },
    },
    {
      tool: 'googlecalendar_delete_event',
      params: { event_id: '7cbh8rpc10lrc0ckih9tafss99', send_updates: 'all' },
      request: { method: 'DELETE', path: '/calendar/v3/calendars/primary/events/7cbh8rpc10lrc0ckih9tafss99', query: { sendUpdates: 'all' }, headers: auth },
      data: { deleted: true },
    },
  ],
});
