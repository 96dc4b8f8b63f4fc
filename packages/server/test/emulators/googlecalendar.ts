/** Google Calendar API v3 (https://developers.google.com/calendar/api/v3/reference): the endpoints the googlecalendar_* tools call. */
import { defineEmulator, type RecordedRequest } from '../helpers/emulator.ts';

export const GOOGLECALENDAR_TOKEN = 'ya29.calendar-emulator-token';

const notFound = { status: 404, json: { error: { code: 404, message: 'Not Found', errors: [{ domain: 'global', reason: 'notFound', message: 'Not Found' }] } } };

/** An events resource as the API returns it (with the noise the tools drop: kind, etag, iCalUID, reminders...). */
export const STANDUP = {
  kind: 'calendar#event',
  etag: '"3452198765432000"',
  id: '7cbh8rpc10lrc0ckih9tafss99',
  status: 'confirmed',
  htmlLink: 'https://www.google.com/calendar/event?eid=N2NiaDhycGMxMGxyYzBja2loOXRhZnNzOTkgYWRhQGV4YW1wbGUuY29t',
  created: '2024-09-20T08:00:00.000Z',
  updated: '2024-09-28T16:42:10.123Z',
  summary: 'Design review',
  description: 'Walk through the Q4 mock-ups.',
  location: 'Room 4.02',
  creator: { email: 'ada@example.com', self: true },
  organizer: { email: 'ada@example.com', self: true },
  start: { dateTime: '2024-10-03T14:00:00+02:00', timeZone: 'Europe/Paris' },
  end: { dateTime: '2024-10-03T15:00:00+02:00', timeZone: 'Europe/Paris' },
  iCalUID: '7cbh8rpc10lrc0ckih9tafss99@google.com',
  sequence: 0,
  attendees: [
    { email: 'ada@example.com', organizer: true, self: true, responseStatus: 'accepted' },
    { email: 'bob@example.com', responseStatus: 'tentative' },
    { email: 'carol@example.com', optional: true, responseStatus: 'needsAction' },
  ],
  hangoutLink: 'https://meet.google.com/abc-defg-hij',
  reminders: { useDefault: true },
  eventType: 'default',
};

const HOLIDAY = {
  kind: 'calendar#event',
  etag: '"3452198765432111"',
  id: '20241003_holiday',
  status: 'confirmed',
  htmlLink: 'https://www.google.com/calendar/event?eid=MjAyNDEwMDNfaG9saWRheQ',
  created: '2024-01-02T10:00:00.000Z',
  updated: '2024-01-02T10:00:00.000Z',
  summary: 'Day of German Unity',
  organizer: { email: 'ada@example.com', self: true },
  start: { date: '2024-10-03' },
  end: { date: '2024-10-04' },
  transparency: 'transparent',
  eventType: 'default',
};

interface EventBody {
  summary?: string;
  description?: string;
  location?: string;
  start?: Record<string, string>;
  end?: Record<string, string>;
  attendees?: Array<{ email: string }>;
}

/** What events.insert / events.patch answer: the stored event with the request's fields applied. */
function written(base: Record<string, unknown>, request: RecordedRequest) {
  const body = request.body as EventBody;
  return {
    ...base,
    ...body,
    ...(body.attendees === undefined ? {} : { attendees: body.attendees.map((attendee) => ({ email: attendee.email, responseStatus: 'needsAction' })) }),
    updated: '2024-10-01T12:00:00.000Z',
  };
}

const CREATED = {
  kind: 'calendar#event',
  etag: '"3452200000000000"',
  id: 'k5m1n0q3r2s4t6u8v0w2x4y6z8',
  status: 'confirmed',
  htmlLink: 'https://www.google.com/calendar/event?eid=azVtMW4wcTNyMnM0dDZ1OHYwdzJ4NHk2ejg',
  created: '2024-10-01T12:00:00.000Z',
  creator: { email: 'ada@example.com', self: true },
  organizer: { email: 'ada@example.com', self: true },
  iCalUID: 'k5m1n0q3r2s4t6u8v0w2x4y6z8@google.com',
  sequence: 0,
  reminders: { useDefault: true },
  eventType: 'default',
};

export const googlecalendarEmulator = defineEmulator({
  name: 'googlecalendar',
  authorized: (request) => request.headers['authorization'] === `Bearer ${GOOGLECALENDAR_TOKEN}`,
  unauthorized: {
    status: 401,
    json: { error: { code: 401, message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', errors: [{ message: 'Invalid Credentials', domain: 'global', reason: 'authError', location: 'Authorization', locationType: 'header' }], status: 'UNAUTHENTICATED' } },
  },
  routes: [
    {
      method: 'GET',
      path: '/calendar/v3/users/me/calendarList',
      reply: () => ({
        json: {
          kind: 'calendar#calendarList',
          etag: '"p33s9rd0ag3l8g0g"',
          nextPageToken: 'EjwKOmMxZjQ',
          items: [
            { kind: 'calendar#calendarListEntry', etag: '"1695832340000"', id: 'ada@example.com', summary: 'ada@example.com', timeZone: 'Europe/Paris', colorId: '14', backgroundColor: '#9fe1e7', foregroundColor: '#000000', selected: true, accessRole: 'owner', defaultReminders: [{ method: 'popup', minutes: 10 }], primary: true },
            { kind: 'calendar#calendarListEntry', etag: '"1695832340001"', id: 'c_9f1a2b3c@group.calendar.google.com', summary: 'Team', description: 'Team holidays and releases', timeZone: 'Europe/Berlin', colorId: '7', backgroundColor: '#42d692', foregroundColor: '#000000', accessRole: 'writer', defaultReminders: [] },
          ],
        },
      }),
    },
    {
      method: 'GET',
      path: '/calendar/v3/calendars/:calendar/events',
      reply: (request) =>
        request.query['q'] === 'nothing'
          ? { json: { kind: 'calendar#events', etag: '"p3"', summary: 'ada@example.com', updated: '2024-09-28T16:42:10.123Z', timeZone: 'Europe/Paris', accessRole: 'owner', defaultReminders: [], items: [] } }
          : { json: { kind: 'calendar#events', etag: '"p3"', summary: 'ada@example.com', updated: '2024-09-28T16:42:10.123Z', timeZone: 'Europe/Paris', accessRole: 'owner', defaultReminders: [{ method: 'popup', minutes: 10 }], nextPageToken: 'CigKGjdjYmg4cnBj', items: [HOLIDAY, STANDUP] } },
    },
    { method: 'GET', path: '/calendar/v3/calendars/:calendar/events/:event', reply: (request) => (request.params['event'] === STANDUP.id ? { json: STANDUP } : notFound) },
    { method: 'POST', path: '/calendar/v3/calendars/:calendar/events', reply: (request) => ({ json: written(CREATED, request) }) },
    { method: 'PATCH', path: '/calendar/v3/calendars/:calendar/events/:event', reply: (request) => (request.params['event'] === STANDUP.id ? { json: { ...written(STANDUP, request), sequence: 1 } } : notFound) },
    {
      method: 'DELETE',
      path: '/calendar/v3/calendars/:calendar/events/:event',
      reply: (request) => (request.params['event'] === STANDUP.id ? { status: 204 } : { status: 410, json: { error: { code: 410, message: 'Resource has been deleted', errors: [{ domain: 'global', reason: 'deleted', message: 'Resource has been deleted' }] } } }),
    },
  ],
});
