/** Every gmail_* tool against the Gmail emulator, through POST /api/v1/execute_tool. */
import assert from 'node:assert/strict';
import type { RecordedRequest } from '../helpers/emulator.ts';
import { GMAIL_TOKEN, gmailEmulator } from '../emulators/gmail.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${GMAIL_TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };

/** Decodes a base64url RFC 822 `raw` message into its header block and decoded body. */
function decodeRaw(raw: string): { headers: string; body: string } {
  const message = Buffer.from(raw, 'base64url').toString('utf8');
  const [headers = '', body = ''] = message.split('\r\n\r\n');
  return { headers, body: Buffer.from(body, 'base64').toString('utf8') };
}

toolSuite({
  connector: 'gmail',
  emulator: gmailEmulator,
  account: {
    oauth_token: {
      access_token: GMAIL_TOKEN,
      scopes: ['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/gmail.send', 'https://www.googleapis.com/auth/gmail.compose', 'https://www.googleapis.com/auth/gmail.modify'],
    },
  },
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
      tool: 'gmail_fetch_mails',
      params: { query: 'nothing-matches', max_results: 50, include_spam_trash: true, page_token: 'page-2' },
      request: { method: 'GET', path: '/gmail/v1/users/me/messages', query: { q: 'nothing-matches', maxResults: '50', includeSpamTrash: 'true', pageToken: 'page-2' }, headers: auth },
      data: { result_size_estimate: 0 },
    },
    {
      tool: 'gmail_send_email',
      params: { to: ['bob@example.com'], subject: 'Quarterly report', body: 'Attached below.', thread_id: '18c0' },
      request: { method: 'POST', path: '/gmail/v1/users/me/messages/send', headers: json },
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
    {
      tool: 'gmail_get_message',
      params: { message_id: '18c1' },
      request: { method: 'GET', path: '/gmail/v1/users/me/messages/18c1', query: { format: 'metadata', metadataHeaders: ['From', 'To', 'Cc', 'Subject', 'Date'] }, headers: auth },
      data: {
        id: '18c1',
        thread_id: '18c0',
        label_ids: ['UNREAD', 'IMPORTANT', 'CATEGORY_PERSONAL', 'INBOX'],
        snippet: 'Hi Ada, the figures for Q3 are attached. Can we go through them on Thursday?',
        headers: [
          { name: 'Date', value: 'Tue, 1 Oct 2024 09:12:44 +0200' },
          { name: 'From', value: 'Alice Martin <alice@example.com>' },
          { name: 'Subject', value: 'Q3 figures' },
          { name: 'To', value: 'Ada Lovelace <ada@example.com>' },
        ],
        internal_date: '1727766764000',
        size_estimate: 5123,
      },
    },
    {
      tool: 'gmail_list_labels',
      params: {},
      request: { method: 'GET', path: '/gmail/v1/users/me/labels', headers: auth },
      data: {
        labels: [
          { id: 'CHAT', name: 'CHAT', type: 'system' },
          { id: 'INBOX', name: 'INBOX', type: 'system' },
          { id: 'Label_12', name: 'Invoices', type: 'user' },
        ],
      },
    },
    {
      tool: 'gmail_create_draft',
      params: { to: ['bob@example.com'], cc: ['carol@example.com'], subject: 'Réunion jeudi', body: '<p>See you <b>Thursday</b>.</p>', is_html: true },
      request: { method: 'POST', path: '/gmail/v1/users/me/drafts', headers: json },
      check: (request: RecordedRequest) => {
        const body = request.body as { message: Record<string, unknown> & { raw: string } };
        assert.deepEqual(Object.keys(body.message), ['raw'], 'no threadId when thread_id is not given');
        const { headers, body: text } = decodeRaw(body.message.raw);
        assert.match(headers, /^To: bob@example\.com$/m);
        assert.match(headers, /^Cc: carol@example\.com$/m);
        assert.ok(headers.split('\r\n').includes(`Subject: =?UTF-8?B?${Buffer.from('Réunion jeudi', 'utf8').toString('base64')}?=`), headers);
        assert.match(headers, /Content-Type: text\/html; charset="UTF-8"/);
        assert.equal(text, '<p>See you <b>Thursday</b>.</p>');
      },
      data: { draft_id: 'r-5512', message_id: '18e1', thread_id: '18e1', label_ids: ['DRAFT'] },
    },
    {
      tool: 'gmail_modify_labels',
      params: { message_id: '18c1', add_label_ids: ['STARRED'], remove_label_ids: ['UNREAD', 'INBOX'] },
      request: { method: 'POST', path: '/gmail/v1/users/me/messages/18c1/modify', headers: json, body: { addLabelIds: ['STARRED'], removeLabelIds: ['UNREAD', 'INBOX'] } },
      data: { id: '18c1', thread_id: '18c0', label_ids: ['CATEGORY_PERSONAL', 'STARRED'] },
    },
    {
      tool: 'gmail_modify_labels',
      params: { message_id: '18c2', remove_label_ids: ['UNREAD'] },
      request: { method: 'POST', path: '/gmail/v1/users/me/messages/18c2/modify', headers: json, body: { removeLabelIds: ['UNREAD'] } },
      data: { id: '18c2', thread_id: '18c0', label_ids: ['INBOX', 'CATEGORY_PERSONAL'] },
    },
    {
      tool: 'gmail_trash_message',
      params: { message_id: '18c1' },
      request: { method: 'POST', path: '/gmail/v1/users/me/messages/18c1/trash', headers: auth },
      data: { id: '18c1', thread_id: '18c0', label_ids: ['TRASH', 'CATEGORY_PERSONAL'] },
    },
  ],
});
