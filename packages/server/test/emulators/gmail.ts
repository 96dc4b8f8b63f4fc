/** Gmail API v1 (https://developers.google.com/gmail/api/reference/rest): the endpoints the gmail_* tools call. */
import { defineEmulator } from '../helpers/emulator.ts';

export const GMAIL_TOKEN = 'ya29.gmail-emulator-token';

export const gmailEmulator = defineEmulator({
  name: 'gmail',
  authorized: (request) => request.headers['authorization'] === `Bearer ${GMAIL_TOKEN}`,
  unauthorized: { status: 401, json: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } } },
  routes: [
    { method: 'GET', path: '/gmail/v1/users/me/profile', reply: () => ({ json: { emailAddress: 'ada@example.com', messagesTotal: 1234, threadsTotal: 987, historyId: '55501' } }) },
    {
      method: 'GET',
      path: '/gmail/v1/users/me/messages',
      reply: (request) =>
        request.query['q'] === 'nothing-matches'
          ? { json: { resultSizeEstimate: 0 } }
          : { json: { messages: [{ id: '18c1', threadId: '18c0' }, { id: '18c2', threadId: '18c2' }], nextPageToken: 'page-2', resultSizeEstimate: 2 } },
    },
    { method: 'POST', path: '/gmail/v1/users/me/messages/send', reply: (request) => ({ json: { id: '18d9', threadId: (request.body as { threadId?: string }).threadId ?? '18d9', labelIds: ['SENT'] } }) },
  ],
});
