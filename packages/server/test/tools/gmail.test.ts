/** Every gmail_* tool against the Gmail emulator, through POST /api/v1/execute_tool. */
import assert from 'node:assert/strict';
import { GMAIL_TOKEN, gmailEmulator } from '../emulators/gmail.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${GMAIL_TOKEN}` };

toolSuite({
  connector: 'gmail',
  emulator: gmailEmulator,
  account: { oauth_token: { access_token: GMAIL_TOKEN, scopes: ['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/gmail.send'] } },
  cases: [
    {
      tool: 'gmail_get_profile',
      params: {},
      request: { method: 'GET', path: '/gmail/v1/users/me/profile', headers: auth },
      data: { email_address: 'ada@example.com', messages_total: 1234, threads_total: 987, history_id: '55501' },
    },
    {
      tool: 'gmail_fetch_mails',
      params: { query: 'from:alice is:unread', label_ids: ['INBOX', 'UNREAD'] },
      request: { method: 'GET', path: '/gmail/v1/users/me/messages', query: { q: 'from:alice is:unread', labelIds: ['INBOX', 'UNREAD'], maxResults: '10' }, headers: auth },
      data: { messages: [{ id: '18c1', thread_id: '18c0' }, { id: '18c2', thread_id: '18c2' }], result_size_estimate: 2, next_page_token: 'page-2' },
    },
    {
      tool: 'gmail_send_email',
      params: { to: ['bob@example.com'], subject: 'Quarterly report', body: 'Attached below.', thread_id: '18c0' },
      request: { method: 'POST', path: '/gmail/v1/users/me/messages/send', headers: { ...auth, 'content-type': 'application/json' } },
      check: (request) => {
        const body = request.body as { raw: string; threadId: string };
        assert.equal(body.threadId, '18c0');
        const message = Buffer.from(body.raw, 'base64url').toString('utf8');
        assert.match(message, /^To: bob@example\.com\r\n/m);
        assert.match(message, /^Subject: Quarterly report\r\n/m);
        assert.match(message, /Content-Type: text\/plain; charset="UTF-8"/);
        assert.equal(Buffer.from(message.split('\r\n\r\n')[1] ?? '', 'base64').toString('utf8'), 'Attached below.');
      },
      data: { id: '18d9', thread_id: '18c0', label_ids: ['SENT'] },
    },
  ],
});
