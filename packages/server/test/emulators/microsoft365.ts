/** Microsoft Graph v1.0 (https://learn.microsoft.com/en-us/graph/api/overview): the endpoints the microsoft365_* tools call. */
import { defineEmulator, type EmulatorReply, type RecordedRequest } from '../helpers/emulator.ts';

export const MICROSOFT365_TOKEN = 'eyJ0eXAiOiJKV1QiLCJub25jZSI6Imdyb3BoLWVtdWxhdG9yIn0.graph.emulator';

const GRAPH = 'https://graph.microsoft.com/v1.0';
const innerError = { date: '2024-10-01T12:00:00', 'request-id': '5d2c1d3e-0a3b-4c5d-8e9f-0a1b2c3d4e5f', 'client-request-id': '5d2c1d3e-0a3b-4c5d-8e9f-0a1b2c3d4e5f' };
const graphError = (status: number, code: string, message: string): EmulatorReply => ({ status, json: { error: { code, message, innerError } } });

const person = (name: string, address: string) => ({ emailAddress: { name, address } });

export const MESSAGE_ID = 'AAMkAGI2TG93AAA=';

/** A message resource with every field the tools select (and noise they drop). */
const MESSAGE = {
  '@odata.etag': 'W/"CQAAABYAAABKd0w1sOw1S6bD4p7fQ1uZAAA3nN1Y"',
  id: MESSAGE_ID,
  receivedDateTime: '2024-10-01T07:12:44Z',
  hasAttachments: true,
  subject: 'Q3 figures',
  bodyPreview: 'Hi Ada, the figures for Q3 are attached.',
  importance: 'normal',
  conversationId: 'AAQkAGI2TG93conv=',
  isRead: false,
  webLink: 'https://outlook.office365.com/owa/?ItemID=AAMkAGI2TG93AAA%3D&exvsurl=1&viewmodel=ReadMessageItem',
  from: person('Alice Martin', 'alice@contoso.com'),
  toRecipients: [person('Ada Lovelace', 'ada@contoso.com'), person('Finance', 'finance@contoso.com')],
};

function messages(request: RecordedRequest): EmulatorReply {
  const folder = request.params['folder'];
  if (folder !== 'inbox' && folder !== 'sentitems') return graphError(404, 'ErrorInvalidIdMalformed', 'Id is malformed.');
  if (request.query['$search'] !== undefined && request.query['$skip'] !== undefined) return graphError(400, 'ErrorInvalidParameter', '$skip is not supported with $search.');
  const value = folder === 'sentitems' ? [] : [MESSAGE, { ...MESSAGE, id: 'AAMkAGI2TG94AAA=', subject: 'Lunch?', bodyPreview: 'Free on Thursday?', hasAttachments: false, isRead: true, from: person('Bob Stone', 'bob@contoso.com'), toRecipients: [person('Ada Lovelace', 'ada@contoso.com')] }];
  return {
    json: {
      '@odata.context': `${GRAPH}/$metadata#users('ada%40contoso.com')/mailFolders('${folder}')/messages`,
      value,
      ...(folder === 'inbox' ? { '@odata.nextLink': `${GRAPH}/me/mailFolders/inbox/messages?%24top=2&%24skip=2` } : {}),
    },
  };
}

const EVENT = {
  '@odata.etag': 'W/"ZlnW4RIAV06KYYwlrfNZvQAAKGWwbw=="',
  id: 'AAMkAGIAAAoZDOFAAA=',
  subject: 'Design review',
  bodyPreview: 'Walk through the Q4 mock-ups.',
  start: { dateTime: '2024-10-07T12:00:00.0000000', timeZone: 'UTC' },
  end: { dateTime: '2024-10-07T13:00:00.0000000', timeZone: 'UTC' },
  isAllDay: false,
  isCancelled: false,
  showAs: 'busy',
  location: { displayName: 'Room 4.02', locationType: 'default', uniqueIdType: 'unknown' },
  organizer: person('Ada Lovelace', 'ada@contoso.com'),
  attendees: [
    { type: 'required', status: { response: 'accepted', time: '2024-10-01T09:00:00Z' }, ...person('Bob Stone', 'bob@contoso.com') },
    { type: 'optional', status: { response: 'none', time: '0001-01-01T00:00:00Z' }, ...person('Carol Jones', 'carol@contoso.com') },
  ],
  isOnlineMeeting: true,
  onlineMeeting: { joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0' },
  webLink: 'https://outlook.office365.com/owa/?itemid=AAMkAGIAAAoZDOFAAA%3D&exvsurl=1&path=/calendar/item',
};

interface EventBody {
  subject: string;
  body?: { contentType: string; content?: string };
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  location?: { displayName: string };
  attendees?: Array<{ emailAddress: { address: string }; type: string }>;
  isOnlineMeeting?: boolean;
}

function createdEvent(request: RecordedRequest): EmulatorReply {
  const body = request.body as EventBody;
  const online = body.isOnlineMeeting === true;
  return {
    status: 201,
    json: {
      '@odata.context': `${GRAPH}/$metadata#users('ada%40contoso.com')/events/$entity`,
      '@odata.etag': 'W/"ZlnW4RIAV06KYYwlrfNZvQAAKGWwcA=="',
      id: 'AAMkAGInEwEvEnT=',
      createdDateTime: '2024-10-01T12:00:00.0000000Z',
      subject: body.subject,
      bodyPreview: (body.body?.content ?? '').replace(/<[^>]+>/g, ''),
      start: { dateTime: `${body.start.dateTime}.0000000`, timeZone: body.start.timeZone },
      end: { dateTime: `${body.end.dateTime}.0000000`, timeZone: body.end.timeZone },
      isAllDay: false,
      isCancelled: false,
      showAs: 'busy',
      location: { displayName: body.location?.displayName ?? '', locationType: 'default' },
      organizer: person('Ada Lovelace', 'ada@contoso.com'),
      attendees: (body.attendees ?? []).map((attendee) => ({ type: attendee.type, status: { response: 'none', time: '0001-01-01T00:00:00Z' }, emailAddress: { name: attendee.emailAddress.address, address: attendee.emailAddress.address } })),
      isOnlineMeeting: online,
      onlineMeeting: online ? { joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_new%40thread.v2/0' } : null,
      webLink: 'https://outlook.office365.com/owa/?itemid=AAMkAGInEwEvEnT%3D&exvsurl=1&path=/calendar/item',
    },
  };
}

export const microsoft365Emulator = defineEmulator({
  name: 'microsoft365',
  authorized: (request) => request.headers['authorization'] === `Bearer ${MICROSOFT365_TOKEN}`,
  unauthorized: { status: 401, json: { error: { code: 'InvalidAuthenticationToken', message: 'IDX14100: JWT is not well formed, there are no dots (.).', innerError } } },
  routes: [
    {
      method: 'GET',
      path: '/v1.0/me',
      reply: () => ({
        json: {
          '@odata.context': `${GRAPH}/$metadata#users(id,displayName,givenName,surname,mail,userPrincipalName,jobTitle,officeLocation,mobilePhone,businessPhones,preferredLanguage)/$entity`,
          id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
          displayName: 'Ada Lovelace',
          givenName: 'Ada',
          surname: 'Lovelace',
          mail: 'ada@contoso.com',
          userPrincipalName: 'ada@contoso.onmicrosoft.com',
          jobTitle: 'Analyst',
          officeLocation: '18/2111',
          mobilePhone: null,
          businessPhones: ['+1 425 555 0109'],
          preferredLanguage: 'en-US',
        },
      }),
    },
    { method: 'GET', path: '/v1.0/me/mailFolders/:folder/messages', reply: messages },
    {
      method: 'GET',
      path: '/v1.0/me/messages/:id',
      reply: (request) =>
        request.params['id'] !== MESSAGE_ID
          ? graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.')
          : {
              json: {
                ...MESSAGE,
                ccRecipients: [person('Bob Stone', 'bob@contoso.com')],
                // Prefer: outlook.body-content-type="text" turns the HTML body into text.
                body: request.headers['prefer'] === 'outlook.body-content-type="text"' ? { contentType: 'text', content: 'Hi Ada,\r\n\r\nthe figures for Q3 are attached.\r\n\r\nAlice' } : { contentType: 'html', content: '<html><body><p>Hi Ada,</p></body></html>' },
              },
              headers: { 'preference-applied': 'outlook.body-content-type="text"' },
            },
    },
    { method: 'POST', path: '/v1.0/me/sendMail', reply: () => ({ status: 202 }) },
    {
      method: 'GET',
      path: '/v1.0/me/calendarView',
      reply: (request) => {
        if (request.query['startDateTime'] === undefined || request.query['endDateTime'] === undefined) return graphError(400, 'ErrorInvalidParameter', "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
        const zone = /^outlook\.timezone="(.+)"$/.exec(request.headers['prefer'] ?? '')?.[1];
        const event = zone === 'Europe/Paris' ? { ...EVENT, start: { dateTime: '2024-10-07T14:00:00.0000000', timeZone: 'Europe/Paris' }, end: { dateTime: '2024-10-07T15:00:00.0000000', timeZone: 'Europe/Paris' } } : EVENT;
        return { json: { '@odata.context': `${GRAPH}/$metadata#users('ada%40contoso.com')/calendarView`, value: [event] } };
      },
    },
    { method: 'POST', path: '/v1.0/me/events', reply: createdEvent },
    {
      method: 'GET',
      path: '/v1.0/me/drive/items/:id/children',
      reply: (request) =>
        request.params['id'] !== 'root'
          ? { json: { '@odata.context': `${GRAPH}/$metadata#users('ada%40contoso.com')/drive/items('${request.params['id']}')/children`, value: [] } }
          : {
              json: {
                '@odata.context': `${GRAPH}/$metadata#users('ada%40contoso.com')/drive/root/children`,
                '@odata.nextLink': `${GRAPH}/me/drive/items/root/children?$top=2&$skiptoken=UGFnZWQ9VFJVRSZwX0lEPTM`,
                value: [
                  {
                    id: '01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K',
                    name: 'Reports',
                    size: 1048576,
                    folder: { childCount: 4 },
                    lastModifiedDateTime: '2024-09-30T16:00:00Z',
                    lastModifiedBy: { user: { id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd', displayName: 'Ada Lovelace' } },
                    webUrl: 'https://contoso-my.sharepoint.com/personal/ada_contoso_com/Documents/Reports',
                    parentReference: { driveId: 'b!-RIj2DuyvEyV1T4NlOaMHk8XkS_I8MdFlUCq1BlcjgmhRfAj3-Z8RY2VpuvV_tpd', driveType: 'business', id: '01BYE5RZ56Y2GOVW7725BZO354PWSELRRZ', path: '/drive/root:' },
                  },
                  {
                    id: '01BYE5RZ2KXWOTNNU3LBF2SEEYP3ZJ3HXK',
                    name: 'Budget.xlsx',
                    size: 35212,
                    file: { mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', hashes: { quickXorHash: 'mqRyaqfJHkeBmX2CLb1GCpRLL+c=' } },
                    lastModifiedDateTime: '2024-09-28T09:30:00Z',
                    lastModifiedBy: { user: { displayName: 'Bob Stone' } },
                    webUrl: 'https://contoso-my.sharepoint.com/personal/ada_contoso_com/Documents/Budget.xlsx',
                    parentReference: { driveType: 'business', id: '01BYE5RZ56Y2GOVW7725BZO354PWSELRRZ', path: '/drive/root:' },
                  },
                ],
              },
            },
    },
  ],
});
