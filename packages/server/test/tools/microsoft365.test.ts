/** Every microsoft365_* tool against the Microsoft Graph emulator, through POST /api/v1/execute_tool. */
import { MESSAGE_ID, MICROSOFT365_TOKEN, microsoft365Emulator } from '../emulators/microsoft365.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${MICROSOFT365_TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };
const MSG_SELECT = 'id,subject,from,toRecipients,receivedDateTime,isRead,hasAttachments,importance,bodyPreview,conversationId,webLink';
const EVENT_SELECT = 'id,subject,start,end,isAllDay,location,organizer,attendees,isOnlineMeeting,onlineMeeting,showAs,isCancelled,bodyPreview,webLink';

const q3 = {
  id: MESSAGE_ID,
  subject: 'Q3 figures',
  from: 'alice@contoso.com',
  from_name: 'Alice Martin',
  to: ['ada@contoso.com', 'finance@contoso.com'],
  received_at: '2024-10-01T07:12:44Z',
  is_read: false,
  has_attachments: true,
  importance: 'normal',
  preview: 'Hi Ada, the figures for Q3 are attached.',
  conversation_id: 'AAQkAGI2TG93conv=',
  web_link: 'https://outlook.office365.com/owa/?ItemID=AAMkAGI2TG93AAA%3D&exvsurl=1&viewmodel=ReadMessageItem',
};

const review = {
  id: 'AAMkAGIAAAoZDOFAAA=',
  subject: 'Design review',
  start: { dateTime: '2024-10-07T12:00:00.0000000', timeZone: 'UTC' },
  end: { dateTime: '2024-10-07T13:00:00.0000000', timeZone: 'UTC' },
  is_all_day: false,
  location: 'Room 4.02',
  organizer: 'ada@contoso.com',
  attendees: [
    { email: 'bob@contoso.com', name: 'Bob Stone', type: 'required', response: 'accepted' },
    { email: 'carol@contoso.com', name: 'Carol Jones', type: 'optional', response: 'none' },
  ],
  is_online_meeting: true,
  join_url: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0',
  show_as: 'busy',
  is_cancelled: false,
  preview: 'Walk through the Q4 mock-ups.',
  web_link: 'https://outlook.office365.com/owa/?itemid=AAMkAGIAAAoZDOFAAA%3D&exvsurl=1&path=/calendar/item',
};

toolSuite({
  connector: 'microsoft365',
  emulator: microsoft365Emulator,
  account: { oauth_token: { access_token: MICROSOFT365_TOKEN, scopes: ['offline_access', 'User.Read', 'Mail.ReadWrite', 'Mail.Send', 'Calendars.ReadWrite', 'Files.ReadWrite'] } },
  cases: [
    {
      tool: 'microsoft365_get_me',
      params: {},
      request: { method: 'GET', path: '/v1.0/me', query: { $select: 'id,displayName,givenName,surname,mail,userPrincipalName,jobTitle,officeLocation,mobilePhone,businessPhones,preferredLanguage' }, headers: auth },
      data: {
        id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
        display_name: 'Ada Lovelace',
        given_name: 'Ada',
        surname: 'Lovelace',
        mail: 'ada@contoso.com',
        user_principal_name: 'ada@contoso.onmicrosoft.com',
        job_title: 'Analyst',
        office_location: '18/2111',
        mobile_phone: null,
        business_phones: ['+1 425 555 0109'],
        preferred_language: 'en-US',
      },
    },
    {
      tool: 'microsoft365_list_messages',
      params: { filter: 'isRead eq false', top: 2 },
      request: { method: 'GET', path: '/v1.0/me/mailFolders/inbox/messages', query: { $filter: 'isRead eq false', $top: '2', $select: MSG_SELECT }, headers: auth },
      data: {
        messages: [
          q3,
          {
            ...q3,
            id: 'AAMkAGI2TG94AAA=',
            subject: 'Lunch?',
            from: 'bob@contoso.com',
            from_name: 'Bob Stone',
            to: ['ada@contoso.com'],
            is_read: true,
            has_attachments: false,
            preview: 'Free on Thursday?',
          },
        ],
        next_link: 'https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messages?%24top=2&%24skip=2',
      },
    },
    {
      // $search takes a quoted string; the last page has no next_link.
      tool: 'microsoft365_list_messages',
      params: { folder: 'sentitems', search: 'from:alice budget', order_by: 'receivedDateTime desc' },
      request: { method: 'GET', path: '/v1.0/me/mailFolders/sentitems/messages', query: { $search: '"from:alice budget"', $orderby: 'receivedDateTime desc', $top: '10', $select: MSG_SELECT }, headers: auth },
      data: { messages: [] },
    },
    {
      tool: 'microsoft365_get_message',
      params: { message_id: MESSAGE_ID },
      request: { method: 'GET', path: '/v1.0/me/messages/AAMkAGI2TG93AAA%3D', query: { $select: `${MSG_SELECT},ccRecipients,body` }, headers: { ...auth, prefer: 'outlook.body-content-type="text"' } },
      data: { ...q3, cc: ['bob@contoso.com'], body: 'Hi Ada,\r\n\r\nthe figures for Q3 are attached.\r\n\r\nAlice' },
    },
    {
      tool: 'microsoft365_send_mail',
      params: { to: ['bob@contoso.com', 'carol@contoso.com'], cc: ['finance@contoso.com'], subject: 'Budget', body: 'See the attached numbers.' },
      request: {
        method: 'POST',
        path: '/v1.0/me/sendMail',
        headers: json,
        body: {
          message: {
            subject: 'Budget',
            body: { contentType: 'Text', content: 'See the attached numbers.' },
            toRecipients: [{ emailAddress: { address: 'bob@contoso.com' } }, { emailAddress: { address: 'carol@contoso.com' } }],
            ccRecipients: [{ emailAddress: { address: 'finance@contoso.com' } }],
          },
          saveToSentItems: true,
        },
      },
      data: { sent: true },
    },
    {
      tool: 'microsoft365_send_mail',
      params: { to: ['bob@contoso.com'], bcc: ['audit@contoso.com'], subject: 'Hi', body: '<p>Hello <b>Bob</b></p>', content_type: 'HTML', save_to_sent_items: false },
      request: {
        method: 'POST',
        path: '/v1.0/me/sendMail',
        headers: json,
        body: {
          message: {
            subject: 'Hi',
            body: { contentType: 'HTML', content: '<p>Hello <b>Bob</b></p>' },
            toRecipients: [{ emailAddress: { address: 'bob@contoso.com' } }],
            bccRecipients: [{ emailAddress: { address: 'audit@contoso.com' } }],
          },
          saveToSentItems: false,
        },
      },
      data: { sent: true },
    },
    {
      tool: 'microsoft365_list_events',
      params: { start_date_time: '2024-10-07T00:00:00Z', end_date_time: '2024-10-14T00:00:00Z' },
      request: {
        method: 'GET',
        path: '/v1.0/me/calendarView',
        query: { startDateTime: '2024-10-07T00:00:00Z', endDateTime: '2024-10-14T00:00:00Z', $top: '25', $orderby: 'start/dateTime', $select: EVENT_SELECT },
        headers: auth,
      },
      check: (request) => {
        if (request.headers['prefer'] !== undefined) throw new Error(`no Prefer header without time_zone, got ${request.headers['prefer']}`);
      },
      data: { events: [review] },
    },
    {
      tool: 'microsoft365_list_events',
      params: { start_date_time: '2024-10-07T00:00:00+02:00', end_date_time: '2024-10-08T00:00:00+02:00', time_zone: 'Europe/Paris', top: 5, skip: 5 },
      request: {
        method: 'GET',
        path: '/v1.0/me/calendarView',
        query: { startDateTime: '2024-10-07T00:00:00+02:00', endDateTime: '2024-10-08T00:00:00+02:00', $top: '5', $skip: '5', $orderby: 'start/dateTime', $select: EVENT_SELECT },
        headers: { ...auth, prefer: 'outlook.timezone="Europe/Paris"' },
      },
      data: {
        events: [{ ...review, start: { dateTime: '2024-10-07T14:00:00.0000000', timeZone: 'Europe/Paris' }, end: { dateTime: '2024-10-07T15:00:00.0000000', timeZone: 'Europe/Paris' } }],
      },
    },
    {
      tool: 'microsoft365_create_event',
      params: { subject: 'Budget sync', start: '2024-10-08T10:00:00', end: '2024-10-08T10:30:00', time_zone: 'W. Europe Standard Time', body: '<p>Agenda: Q4</p>', location: 'Room 1', attendees: ['bob@contoso.com'], is_online_meeting: true },
      request: {
        method: 'POST',
        path: '/v1.0/me/events',
        headers: json,
        body: {
          subject: 'Budget sync',
          body: { contentType: 'HTML', content: '<p>Agenda: Q4</p>' },
          start: { dateTime: '2024-10-08T10:00:00', timeZone: 'W. Europe Standard Time' },
          end: { dateTime: '2024-10-08T10:30:00', timeZone: 'W. Europe Standard Time' },
          location: { displayName: 'Room 1' },
          attendees: [{ emailAddress: { address: 'bob@contoso.com' }, type: 'required' }],
          isOnlineMeeting: true,
        },
      },
      data: {
        id: 'AAMkAGInEwEvEnT=',
        subject: 'Budget sync',
        start: { dateTime: '2024-10-08T10:00:00.0000000', timeZone: 'W. Europe Standard Time' },
        end: { dateTime: '2024-10-08T10:30:00.0000000', timeZone: 'W. Europe Standard Time' },
        is_all_day: false,
        location: 'Room 1',
        organizer: 'ada@contoso.com',
        attendees: [{ email: 'bob@contoso.com', name: 'bob@contoso.com', type: 'required', response: 'none' }],
        is_online_meeting: true,
        join_url: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_new%40thread.v2/0',
        show_as: 'busy',
        is_cancelled: false,
        preview: 'Agenda: Q4',
        web_link: 'https://outlook.office365.com/owa/?itemid=AAMkAGInEwEvEnT%3D&exvsurl=1&path=/calendar/item',
      },
    },
    {
      // Minimal call: time_zone defaults to UTC; the body object keeps its literal contentType without content.
      tool: 'microsoft365_create_event',
      params: { subject: 'Focus time', start: '2024-10-09T08:00:00', end: '2024-10-09T10:00:00' },
      request: {
        method: 'POST',
        path: '/v1.0/me/events',
        headers: json,
        body: { subject: 'Focus time', body: { contentType: 'HTML' }, start: { dateTime: '2024-10-09T08:00:00', timeZone: 'UTC' }, end: { dateTime: '2024-10-09T10:00:00', timeZone: 'UTC' } },
      },
      data: {
        id: 'AAMkAGInEwEvEnT=',
        subject: 'Focus time',
        start: { dateTime: '2024-10-09T08:00:00.0000000', timeZone: 'UTC' },
        end: { dateTime: '2024-10-09T10:00:00.0000000', timeZone: 'UTC' },
        is_all_day: false,
        location: '',
        organizer: 'ada@contoso.com',
        attendees: [],
        is_online_meeting: false,
        show_as: 'busy',
        is_cancelled: false,
        preview: '',
        web_link: 'https://outlook.office365.com/owa/?itemid=AAMkAGInEwEvEnT%3D&exvsurl=1&path=/calendar/item',
      },
    },
    {
      tool: 'microsoft365_list_drive_items',
      params: { order_by: 'name' },
      request: { method: 'GET', path: '/v1.0/me/drive/items/root/children', query: { $top: '50', $orderby: 'name', $select: 'id,name,size,folder,file,lastModifiedDateTime,lastModifiedBy,webUrl,parentReference' }, headers: auth },
      data: {
        items: [
          {
            id: '01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K',
            name: 'Reports',
            size: 1048576,
            folder_child_count: 4,
            last_modified: '2024-09-30T16:00:00Z',
            last_modified_by: 'Ada Lovelace',
            web_url: 'https://contoso-my.sharepoint.com/personal/ada_contoso_com/Documents/Reports',
            path: '/drive/root:',
          },
          {
            id: '01BYE5RZ2KXWOTNNU3LBF2SEEYP3ZJ3HXK',
            name: 'Budget.xlsx',
            size: 35212,
            mime_type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            last_modified: '2024-09-28T09:30:00Z',
            last_modified_by: 'Bob Stone',
            web_url: 'https://contoso-my.sharepoint.com/personal/ada_contoso_com/Documents/Budget.xlsx',
            path: '/drive/root:',
          },
        ],
        next_link: 'https://graph.microsoft.com/v1.0/me/drive/items/root/children?$top=2&$skiptoken=UGFnZWQ9VFJVRSZwX0lEPTM',
      },
    },
    {
      tool: 'microsoft365_list_drive_items',
      params: { item_id: '01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K', top: 200 },
      request: { method: 'GET', path: '/v1.0/me/drive/items/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K/children', query: { $top: '200', $select: 'id,name,size,folder,file,lastModifiedDateTime,lastModifiedBy,webUrl,parentReference' }, headers: auth },
      data: { items: [] },
    },
  ],
});
