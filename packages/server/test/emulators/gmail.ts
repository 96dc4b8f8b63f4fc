/** Gmail API v1 (https://developers.google.com/gmail/api/reference/rest): the endpoints the gmail_* tools call. */
import { defineEmulator, type RecordedRequest } from '../helpers/emulator.ts';

export const GMAIL_TOKEN = 'ya29.gmail-emulator-token';

const notFound = { status: 404, json: { error: { code: 404, message: 'Requested entity was not found.', errors: [{ message: 'Requested entity was not found.', domain: 'global', reason: 'notFound' }], status: 'NOT_FOUND' } } };

const LABELS = [
  { id: 'CHAT', name: 'CHAT', messageListVisibility: 'hide', labelListVisibility: 'labelHide', type: 'system' },
  { id: 'INBOX', name: 'INBOX', messageListVisibility: 'hide', labelListVisibility: 'labelShow', type: 'system' },
  { id: 'Label_12', name: 'Invoices', messageListVisibility: 'show', labelListVisibility: 'labelShow', type: 'user', color: { textColor: '#ffffff', backgroundColor: '#16a765' } },
];

/** A users.messages resource (format=minimal) as modify and trash return it. */
function message(id: string, labelIds: string[]) {
  return { id, threadId: '18c0', labelIds };
}

function modify(request: RecordedRequest) {
  const body = request.body as { addLabelIds?: string[]; removeLabelIds?: string[] };
  const labels = new Set(['INBOX', 'UNREAD', 'CATEGORY_PERSONAL']);
  for (const label of body.removeLabelIds ?? []) labels.delete(label);
  for (const label of body.addLabelIds ?? []) labels.add(label);
  return { json: message(request.params['id'] ?? '', [...labels]) };
}

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
    {
      method: 'GET',
      path: '/gmail/v1/users/me/messages/:id',
      reply: (request) =>
        request.params['id'] !== '18c1'
          ? notFound
          : {
              json: {
                id: '18c1',
                threadId: '18c0',
                labelIds: ['UNREAD', 'IMPORTANT', 'CATEGORY_PERSONAL', 'INBOX'],
                snippet: 'Hi Ada, the figures for Q3 are attached. Can we go through them on Thursday?',
                payload: {
                  partId: '',
                  mimeType: 'multipart/alternative',
                  filename: '',
                  headers: [
                    { name: 'Date', value: 'Tue, 1 Oct 2024 09:12:44 +0200' },
                    { name: 'From', value: 'Alice Martin <alice@example.com>' },
                    { name: 'Subject', value: 'Q3 figures' },
                    { name: 'To', value: 'Ada Lovelace <ada@example.com>' },
                  ],
                },
                sizeEstimate: 5123,
                historyId: '55490',
                internalDate: '1727766764000',
              },
            },
    },
    { method: 'GET', path: '/gmail/v1/users/me/labels', reply: () => ({ json: { labels: LABELS } }) },
    {
      method: 'POST',
      path: '/gmail/v1/users/me/drafts',
      reply: (request) => ({ json: { id: 'r-5512', message: { id: '18e1', threadId: (request.body as { message: { threadId?: string } }).message.threadId ?? '18e1', labelIds: ['DRAFT'] } } }),
    },
    { method: 'POST', path: '/gmail/v1/users/me/messages/:id/modify', reply: modify },
    { method: 'POST', path: '/gmail/v1/users/me/messages/:id/trash', reply: (request) => ({ json: message(request.params['id'] ?? '', ['TRASH', 'CATEGORY_PERSONAL']) }) },
  ],
});
