/** Zoom API v2 (https://developers.zoom.us/docs/api/): the endpoints the zoom_* tools call, under /v2. */
import { defineEmulator, type EmulatorReply, type RecordedRequest } from '../helpers/emulator.ts';

export const ZOOM_TOKEN = 'eyJzdiI6IjAwMDAwMSIsImFsZyI6IkhTNTEyIn0.zoom-emulator-token';
export const MEETING_ID = 85746065432;
export const RECURRING_ID = 91234567890;

const notFound = (id: string): EmulatorReply => ({ status: 404, json: { code: 3001, message: `Meeting does not exist: ${id}.` } });

const SETTINGS = {
  host_video: false,
  participant_video: false,
  join_before_host: false,
  mute_upon_entry: true,
  watermark: false,
  use_pmi: false,
  approval_type: 2,
  audio: 'voip',
  auto_recording: 'none',
  waiting_room: true,
  meeting_authentication: false,
  encryption_type: 'enhanced_encryption',
};

/** A meetings resource as GET /meetings/{id} answers it (start_url and the other secrets the tools drop included). */
const REVIEW = {
  uuid: 'iFMV9lE4Q4SztZbPkbWc8A==',
  id: MEETING_ID,
  host_id: 'KDcuGIm1QgePTO8WbOqwIQ',
  host_email: 'ada@example.com',
  topic: 'Design review',
  type: 2,
  status: 'waiting',
  start_time: '2024-10-07T09:00:00Z',
  duration: 60,
  timezone: 'Europe/Berlin',
  agenda: 'Walk through the Q4 mock-ups.',
  created_at: '2024-09-20T08:00:00Z',
  start_url: 'https://us05web.zoom.us/s/85746065432?zak=eyJ0eXAiOiJKV1QiLCJzdiI6IjAwMDAwMSJ9.secret',
  join_url: 'https://us05web.zoom.us/j/85746065432?pwd=Ym9jV0tsQ1RrbXBVdnRQbjJqZz09',
  password: 'x7Rq2p',
  h323_password: '426178',
  pstn_password: '426178',
  encrypted_password: 'Ym9jV0tsQ1RrbXBVdnRQbjJqZz09',
  settings: SETTINGS,
  pre_schedule: false,
};

const WEEKLY = {
  ...REVIEW,
  uuid: 'wEeKlY9lE4Q4SztZbPkbWc==',
  id: RECURRING_ID,
  topic: 'Weekly sync',
  type: 8,
  start_time: '2024-10-08T08:00:00Z',
  duration: 30,
  agenda: '',
  join_url: 'https://us05web.zoom.us/j/91234567890?pwd=d2Vla2x5',
  password: 'wk1234',
  occurrences: [
    { occurrence_id: '1728374400000', start_time: '2024-10-08T08:00:00Z', duration: 30, status: 'available' },
    { occurrence_id: '1728979200000', start_time: '2024-10-15T08:00:00Z', duration: 30, status: 'available' },
  ],
  recurrence: { type: 2, repeat_interval: 1, weekly_days: '3', end_times: 2 },
};

const listed = (meeting: typeof REVIEW) => ({
  uuid: meeting.uuid,
  id: meeting.id,
  host_id: meeting.host_id,
  topic: meeting.topic,
  type: meeting.type,
  start_time: meeting.start_time,
  duration: meeting.duration,
  timezone: meeting.timezone,
  agenda: meeting.agenda,
  created_at: meeting.created_at,
  join_url: meeting.join_url,
});

interface MeetingBody {
  topic: string;
  type: number;
  start_time: string;
  duration?: number;
  timezone?: string;
  agenda?: string;
  password?: string;
  settings?: Record<string, unknown> & { meeting_invitees?: Array<{ email: string }> };
}

function created(request: RecordedRequest): EmulatorReply {
  const body = request.body as MeetingBody;
  const { meeting_invitees: invitees, ...settings } = body.settings ?? {};
  return {
    status: 201,
    json: {
      uuid: 'nEwMtG4Q4SztZbPkbWc8A==',
      id: 82109876543,
      host_id: 'KDcuGIm1QgePTO8WbOqwIQ',
      host_email: 'ada@example.com',
      topic: body.topic,
      type: body.type,
      status: 'waiting',
      // Zoom answers in UTC; a local start_time is converted with the time zone (here fixed at +02:00 for the test).
      start_time: body.start_time.endsWith('Z') ? body.start_time : new Date(`${body.start_time}+02:00`).toISOString().replace('.000', ''),
      duration: body.duration,
      timezone: body.timezone ?? 'Europe/Berlin',
      agenda: body.agenda ?? '',
      created_at: '2024-10-01T12:00:00Z',
      start_url: 'https://us05web.zoom.us/s/82109876543?zak=secret',
      join_url: 'https://us05web.zoom.us/j/82109876543?pwd=bmV3bWVldGluZw',
      password: body.password ?? 'Zm4q9T',
      settings: { ...SETTINGS, ...settings, ...(invitees === undefined ? {} : { meeting_invitees: invitees }) },
      pre_schedule: false,
    },
  };
}

const known = (request: RecordedRequest) => request.params['id'] === String(MEETING_ID) || request.params['id'] === String(RECURRING_ID);

export const zoomEmulator = defineEmulator({
  name: 'zoom',
  authorized: (request) => request.headers['authorization'] === `Bearer ${ZOOM_TOKEN}`,
  unauthorized: { status: 401, json: { code: 124, message: 'Invalid access token.' } },
  routes: [
    {
      method: 'GET',
      path: '/users/me',
      reply: () => ({
        json: {
          id: 'KDcuGIm1QgePTO8WbOqwIQ',
          first_name: 'Ada',
          last_name: 'Lovelace',
          display_name: 'Ada Lovelace',
          email: 'ada@example.com',
          type: 2,
          role_name: 'Owner',
          pmi: 3542471135,
          use_pmi: false,
          personal_meeting_url: 'https://us05web.zoom.us/j/3542471135?pwd=cG1pcHdk',
          timezone: 'Europe/Berlin',
          verified: 1,
          dept: '',
          created_at: '2021-03-05T09:00:00Z',
          last_login_time: '2024-10-01T07:00:00Z',
          pic_url: 'https://us05web.zoom.us/p/v2/abc/def',
          language: 'en-US',
          phone_number: '',
          status: 'active',
          role_id: '0',
          account_id: 'Q5Fc3qVXQ4a6Ihlr0LqHPw',
          account_number: 8762345,
          cluster: 'us05',
          user_created_at: '2021-03-05T09:00:00Z',
        },
      }),
    },
    {
      method: 'GET',
      path: '/users/me/meetings',
      reply: (request) =>
        request.query['type'] === 'previous_meetings'
          ? { json: { page_size: 30, total_records: 0, next_page_token: '', meetings: [] } }
          : { json: { page_size: Number(request.query['page_size'] ?? 30), total_records: 3, next_page_token: 'Tva2CuIdTgsv8wAnhyAdU3m06Y2HuLQtlh3', meetings: [listed(REVIEW), listed(WEEKLY)] } },
    },
    { method: 'GET', path: '/meetings/:id', reply: (request) => (!known(request) ? notFound(request.params['id'] ?? '') : { json: request.params['id'] === String(MEETING_ID) ? REVIEW : WEEKLY }) },
    { method: 'POST', path: '/users/me/meetings', reply: created },
    { method: 'PATCH', path: '/meetings/:id', reply: (request) => (known(request) ? { status: 204 } : notFound(request.params['id'] ?? '')) },
    { method: 'DELETE', path: '/meetings/:id', reply: (request) => (known(request) ? { status: 204 } : notFound(request.params['id'] ?? '')) },
    {
      method: 'GET',
      path: '/users/me/recordings',
      reply: (request) => ({
        json: {
          from: request.query['from'] ?? '2024-09-30',
          to: request.query['to'] ?? '2024-10-01',
          page_count: 1,
          page_size: 30,
          total_records: 1,
          next_page_token: '',
          meetings: [
            {
              uuid: 'oLdMtG4Q4SztZbPkbWc8A==',
              id: 81112223334,
              account_id: 'Q5Fc3qVXQ4a6Ihlr0LqHPw',
              host_id: 'KDcuGIm1QgePTO8WbOqwIQ',
              topic: 'Customer call',
              type: 2,
              start_time: '2024-09-30T14:00:00Z',
              timezone: 'Europe/Berlin',
              duration: 42,
              total_size: 52428800,
              recording_count: 2,
              share_url: 'https://us05web.zoom.us/rec/share/Xyz123',
              recording_files: [
                {
                  id: 'a1b2c3d4-0001',
                  meeting_id: 'oLdMtG4Q4SztZbPkbWc8A==',
                  recording_start: '2024-09-30T14:00:05Z',
                  recording_end: '2024-09-30T14:42:10Z',
                  file_type: 'MP4',
                  file_extension: 'MP4',
                  file_size: 52000000,
                  play_url: 'https://us05web.zoom.us/rec/play/abc',
                  download_url: 'https://us05web.zoom.us/rec/download/abc',
                  status: 'completed',
                  recording_type: 'shared_screen_with_speaker_view',
                },
                {
                  id: 'a1b2c3d4-0002',
                  meeting_id: 'oLdMtG4Q4SztZbPkbWc8A==',
                  recording_start: '2024-09-30T14:00:05Z',
                  recording_end: '2024-09-30T14:42:10Z',
                  file_type: 'M4A',
                  file_extension: 'M4A',
                  file_size: 428800,
                  play_url: 'https://us05web.zoom.us/rec/play/def',
                  download_url: 'https://us05web.zoom.us/rec/download/def',
                  status: 'completed',
                  recording_type: 'audio_only',
                },
              ],
            },
          ],
        },
      }),
    },
  ],
});
