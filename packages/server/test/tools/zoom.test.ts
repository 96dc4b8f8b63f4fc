/** Every zoom_* tool against the Zoom emulator, through POST /api/v1/execute_tool. The base URL keeps /v2 so the recorded paths are the documented ones. */
import { MEETING_ID, RECURRING_ID, ZOOM_TOKEN, zoomEmulator } from '../emulators/zoom.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${ZOOM_TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };

const review = {
  id: MEETING_ID,
  uuid: 'iFMV9lE4Q4SztZbPkbWc8A==',
  topic: 'Design review',
  type: 2,
  status: 'waiting',
  start_time: '2024-10-07T09:00:00Z',
  duration: 60,
  timezone: 'Europe/Berlin',
  agenda: 'Walk through the Q4 mock-ups.',
  join_url: 'https://us05web.zoom.us/j/85746065432?pwd=Ym9jV0tsQ1RrbXBVdnRQbjJqZz09',
  password: 'x7Rq2p',
  host_email: 'ada@example.com',
  created_at: '2024-09-20T08:00:00Z',
  settings: { join_before_host: false, waiting_room: true, mute_upon_entry: true, auto_recording: 'none' },
};

const created = {
  id: 82109876543,
  uuid: 'nEwMtG4Q4SztZbPkbWc8A==',
  type: 2,
  status: 'waiting',
  join_url: 'https://us05web.zoom.us/j/82109876543?pwd=bmV3bWVldGluZw',
  host_email: 'ada@example.com',
  created_at: '2024-10-01T12:00:00Z',
};

toolSuite({
  connector: 'zoom',
  emulator: zoomEmulator,
  account: { oauth_token: { access_token: ZOOM_TOKEN, scopes: ['meeting:read', 'meeting:write', 'user:read', 'recording:read'] } },
  basePath: '/v2',
  routePrefix: /\/v2/,
  cases: [
    {
      tool: 'zoom_get_me',
      params: {},
      request: { method: 'GET', path: '/v2/users/me', headers: auth },
      data: {
        id: 'KDcuGIm1QgePTO8WbOqwIQ',
        display_name: 'Ada Lovelace',
        first_name: 'Ada',
        last_name: 'Lovelace',
        email: 'ada@example.com',
        type: 2,
        timezone: 'Europe/Berlin',
        pmi: 3542471135,
        personal_meeting_url: 'https://us05web.zoom.us/j/3542471135?pwd=cG1pcHdk',
        language: 'en-US',
        status: 'active',
        account_id: 'Q5Fc3qVXQ4a6Ihlr0LqHPw',
      },
    },
    {
      tool: 'zoom_list_meetings',
      params: { from: '2024-10-01', to: '2024-10-31', page_size: 2 },
      request: { method: 'GET', path: '/v2/users/me/meetings', query: { type: 'upcoming', from: '2024-10-01', to: '2024-10-31', page_size: '2' }, headers: auth },
      data: {
        meetings: [
          { id: MEETING_ID, topic: 'Design review', type: 2, start_time: '2024-10-07T09:00:00Z', duration: 60, timezone: 'Europe/Berlin', agenda: 'Walk through the Q4 mock-ups.', join_url: review.join_url },
          { id: RECURRING_ID, topic: 'Weekly sync', type: 8, start_time: '2024-10-08T08:00:00Z', duration: 30, timezone: 'Europe/Berlin', agenda: '', join_url: 'https://us05web.zoom.us/j/91234567890?pwd=d2Vla2x5' },
        ],
        total_records: 3,
        next_page_token: 'Tva2CuIdTgsv8wAnhyAdU3m06Y2HuLQtlh3',
      },
    },
    {
      // Zoom's last page carries next_page_token "" (not absent).
      tool: 'zoom_list_meetings',
      params: { type: 'previous_meetings', page_token: 'Tva2CuIdTgsv8wAnhyAdU3m06Y2HuLQtlh3' },
      request: { method: 'GET', path: '/v2/users/me/meetings', query: { type: 'previous_meetings', page_size: '30', next_page_token: 'Tva2CuIdTgsv8wAnhyAdU3m06Y2HuLQtlh3' }, headers: auth },
      data: { meetings: [], total_records: 0, next_page_token: '' },
    },
    {
      tool: 'zoom_get_meeting',
      params: { meeting_id: MEETING_ID },
      request: { method: 'GET', path: `/v2/meetings/${MEETING_ID}`, headers: auth },
      data: review,
    },
    {
      // The id may come as a string too; occurrences of a recurring meeting are listed.
      tool: 'zoom_get_meeting',
      params: { meeting_id: String(RECURRING_ID), occurrence_id: '1728374400000' },
      request: { method: 'GET', path: `/v2/meetings/${RECURRING_ID}`, query: { occurrence_id: '1728374400000' }, headers: auth },
      data: {
        ...review,
        id: RECURRING_ID,
        uuid: 'wEeKlY9lE4Q4SztZbPkbWc==',
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
      },
    },
    {
      tool: 'zoom_create_meeting',
      params: { topic: 'Budget sync', start_time: '2024-10-09T13:00:00Z' },
      request: { method: 'POST', path: '/v2/users/me/meetings', headers: json, body: { topic: 'Budget sync', type: 2, start_time: '2024-10-09T13:00:00Z', duration: 30 } },
      data: {
        ...created,
        topic: 'Budget sync',
        start_time: '2024-10-09T13:00:00Z',
        duration: 30,
        timezone: 'Europe/Berlin',
        agenda: '',
        password: 'Zm4q9T',
        settings: { join_before_host: false, waiting_room: true, mute_upon_entry: true, auto_recording: 'none' },
      },
    },
    {
      tool: 'zoom_create_meeting',
      params: {
        topic: 'Customer onboarding',
        start_time: '2024-10-10T15:30:00',
        timezone: 'Europe/Berlin',
        duration: 45,
        agenda: 'Set-up and Q&A',
        password: 'onb0ard',
        waiting_room: false,
        join_before_host: true,
        auto_recording: 'cloud',
        invitees: ['dan@partner.example'],
      },
      request: {
        method: 'POST',
        path: '/v2/users/me/meetings',
        headers: json,
        body: {
          topic: 'Customer onboarding',
          type: 2,
          start_time: '2024-10-10T15:30:00',
          duration: 45,
          timezone: 'Europe/Berlin',
          agenda: 'Set-up and Q&A',
          password: 'onb0ard',
          settings: { join_before_host: true, waiting_room: false, auto_recording: 'cloud', meeting_invitees: [{ email: 'dan@partner.example' }] },
        },
      },
      data: {
        ...created,
        topic: 'Customer onboarding',
        start_time: '2024-10-10T13:30:00Z',
        duration: 45,
        timezone: 'Europe/Berlin',
        agenda: 'Set-up and Q&A',
        password: 'onb0ard',
        settings: { join_before_host: true, waiting_room: false, mute_upon_entry: true, auto_recording: 'cloud' },
      },
    },
    {
      tool: 'zoom_update_meeting',
      params: { meeting_id: MEETING_ID, start_time: '2024-10-07T10:00:00Z', duration: 45, mute_upon_entry: false },
      request: { method: 'PATCH', path: `/v2/meetings/${MEETING_ID}`, headers: json, body: { start_time: '2024-10-07T10:00:00Z', duration: 45, settings: { mute_upon_entry: false } } },
      data: { updated: true },
    },
    {
      tool: 'zoom_update_meeting',
      params: { meeting_id: RECURRING_ID, occurrence_id: '1728979200000', topic: 'Weekly sync (moved)' },
      request: { method: 'PATCH', path: `/v2/meetings/${RECURRING_ID}`, query: { occurrence_id: '1728979200000' }, headers: json, body: { topic: 'Weekly sync (moved)' } },
      data: { updated: true },
    },
    {
      tool: 'zoom_delete_meeting',
      params: { meeting_id: MEETING_ID, notify_host: true, notify_registrants: false },
      request: { method: 'DELETE', path: `/v2/meetings/${MEETING_ID}`, query: { schedule_for_reminder: 'true', cancel_meeting_reminder: 'false' }, headers: auth },
      data: { deleted: true },
    },
    {
      tool: 'zoom_list_recordings',
      params: { from: '2024-09-30', to: '2024-10-01' },
      request: { method: 'GET', path: '/v2/users/me/recordings', query: { from: '2024-09-30', to: '2024-10-01', page_size: '30' }, headers: auth },
      data: {
        meetings: [
          {
            id: 81112223334,
            uuid: 'oLdMtG4Q4SztZbPkbWc8A==',
            topic: 'Customer call',
            start_time: '2024-09-30T14:00:00Z',
            duration: 42,
            total_size: 52428800,
            share_url: 'https://us05web.zoom.us/rec/share/Xyz123',
            files: [
              { id: 'a1b2c3d4-0001', recording_type: 'shared_screen_with_speaker_view', file_type: 'MP4', file_size: 52000000, recording_start: '2024-09-30T14:00:05Z', recording_end: '2024-09-30T14:42:10Z', play_url: 'https://us05web.zoom.us/rec/play/abc', status: 'completed' },
              { id: 'a1b2c3d4-0002', recording_type: 'audio_only', file_type: 'M4A', file_size: 428800, recording_start: '2024-09-30T14:00:05Z', recording_end: '2024-09-30T14:42:10Z', play_url: 'https://us05web.zoom.us/rec/play/def', status: 'completed' },
            ],
          },
        ],
        from: '2024-09-30',
        to: '2024-10-01',
        total_records: 1,
        next_page_token: '',
      },
    },
  ],
});
