/** Every asana_* tool against the Asana emulator, through POST /api/v1/execute_tool. */
import { ASANA_TOKEN, asanaEmulator } from '../emulators/asana.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${ASANA_TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };
const WORKSPACE = '1200000000000100';
const TASK = '1204000000000301';

const listedTasks = [
  { gid: TASK, name: 'Write launch copy', completed: false, assignee: 'Ada Lovelace', due_on: '2024-04-20', modified_at: '2024-04-02T10:00:00.000Z', permalink_url: `https://app.asana.com/0/1204000000000200/${TASK}` },
  { gid: '1204000000000302', name: 'Pick a domain', completed: true, due_on: null, modified_at: '2024-03-20T10:00:00.000Z', permalink_url: 'https://app.asana.com/0/1204000000000200/1204000000000302' },
];

toolSuite({
  connector: 'asana',
  emulator: asanaEmulator,
  account: { oauth_token: { access_token: ASANA_TOKEN, scopes: ['default'] } },
  cases: [
    {
      tool: 'asana_list_workspaces',
      params: {},
      request: { method: 'GET', path: '/workspaces', query: { limit: '50', opt_fields: 'name,is_organization' }, headers: auth },
      // next_page is null on the last page, so next_offset is absent.
      data: {
        workspaces: [
          { gid: WORKSPACE, name: 'Acme Corp', is_organization: true },
          { gid: '1200000000000101', name: 'Personal Projects', is_organization: false },
        ],
      },
    },
    {
      tool: 'asana_list_projects',
      params: { workspace: WORKSPACE, limit: 2 },
      request: {
        method: 'GET',
        path: '/projects',
        query: { workspace: WORKSPACE, archived: 'false', limit: '2', opt_fields: 'name,archived,owner.name,due_on,modified_at,permalink_url' },
        headers: auth,
      },
      data: {
        projects: [
          { gid: '1204000000000200', name: 'Website launch', archived: false, owner: 'Ada Lovelace', due_on: '2024-06-30', modified_at: '2024-04-02T10:00:00.000Z', permalink_url: 'https://app.asana.com/0/1204000000000200/1204000000000200' },
          { gid: '1204000000000201', name: 'Hiring', archived: false, due_on: null, modified_at: '2024-03-15T10:00:00.000Z', permalink_url: 'https://app.asana.com/0/1204000000000201/1204000000000201' },
        ],
        next_offset: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJib3VuZCI6MTIwNDAwMDAwMDAwMDIwMX0',
      },
    },
    {
      tool: 'asana_list_tasks',
      params: { project: '1204000000000200', completed_since: 'now' },
      request: {
        method: 'GET',
        path: '/tasks',
        query: { project: '1204000000000200', completed_since: 'now', limit: '50', opt_fields: 'name,completed,assignee.name,due_on,modified_at,permalink_url' },
        headers: auth,
      },
      data: { tasks: listedTasks },
    },
    {
      tool: 'asana_list_tasks',
      params: { assignee: 'me', workspace: WORKSPACE, modified_since: '2024-03-01T00:00:00Z', limit: 10, offset: 'eyJib3VuZCI6MX0' },
      request: {
        method: 'GET',
        path: '/tasks',
        query: { assignee: 'me', workspace: WORKSPACE, modified_since: '2024-03-01T00:00:00Z', limit: '10', offset: 'eyJib3VuZCI6MX0', opt_fields: 'name,completed,assignee.name,due_on,modified_at,permalink_url' },
        headers: auth,
      },
      data: { tasks: listedTasks },
    },
    {
      tool: 'asana_get_task',
      params: { task_gid: TASK },
      request: {
        method: 'GET',
        path: `/tasks/${TASK}`,
        query: { opt_fields: 'name,notes,completed,completed_at,assignee.name,start_on,due_on,due_at,projects.name,tags.name,parent.name,num_subtasks,custom_fields.name,custom_fields.display_value,permalink_url,created_at,modified_at' },
        headers: auth,
      },
      data: {
        gid: TASK,
        name: 'Write launch copy',
        notes: 'Hero text and three feature blurbs.',
        completed: false,
        completed_at: null,
        assignee: 'Ada Lovelace',
        assignee_gid: '1200000000000001',
        start_on: null,
        due_on: '2024-04-20',
        due_at: null,
        projects: [{ gid: '1204000000000200', name: 'Website launch' }],
        tags: ['copy'],
        num_subtasks: 2,
        custom_fields: [{ name: 'Priority', value: 'High' }],
        permalink_url: `https://app.asana.com/0/1204000000000200/${TASK}`,
        created_at: '2024-04-01T09:00:00.000Z',
        modified_at: '2024-04-02T10:00:00.000Z',
      },
    },
    {
      tool: 'asana_create_task',
      params: { name: 'Book the venue', notes: 'Capacity 200.', projects: ['1204000000000200'], assignee: 'me', due_on: '2024-05-10' },
      request: {
        method: 'POST',
        path: '/tasks',
        headers: json,
        body: { data: { name: 'Book the venue', notes: 'Capacity 200.', projects: ['1204000000000200'], assignee: 'me', due_on: '2024-05-10' } },
      },
      data: {
        gid: '1204000000000399',
        name: 'Book the venue',
        assignee: 'Ada Lovelace',
        due_on: '2024-05-10',
        projects: ['Website launch'],
        permalink_url: 'https://app.asana.com/0/0/1204000000000399',
        created_at: '2024-04-03T09:00:00.000Z',
      },
    },
    {
      tool: 'asana_create_task',
      params: { name: 'Personal reminder', workspace: WORKSPACE },
      request: { method: 'POST', path: '/tasks', headers: json, body: { data: { name: 'Personal reminder', workspace: WORKSPACE } } },
      data: { gid: '1204000000000399', name: 'Personal reminder', due_on: null, projects: [], permalink_url: 'https://app.asana.com/0/0/1204000000000399', created_at: '2024-04-03T09:00:00.000Z' },
    },
    {
      tool: 'asana_update_task',
      params: { task_gid: TASK, completed: true },
      request: { method: 'PUT', path: `/tasks/${TASK}`, headers: json, body: { data: { completed: true } } },
      data: {
        gid: TASK,
        name: 'Write launch copy',
        completed: true,
        completed_at: '2024-04-03T10:00:00.000Z',
        assignee: 'Ada Lovelace',
        due_on: '2024-04-20',
        modified_at: '2024-04-03T10:00:00.000Z',
        permalink_url: `https://app.asana.com/0/1204000000000200/${TASK}`,
      },
    },
    {
      tool: 'asana_add_comment',
      params: { task_gid: TASK, text: 'Draft is in the doc.' },
      request: { method: 'POST', path: `/tasks/${TASK}/stories`, headers: json, body: { data: { text: 'Draft is in the doc.' } } },
      data: { gid: '1204000000000601', author: 'Ada Lovelace', text: 'Draft is in the doc.', created_at: '2024-04-03T10:05:00.000Z' },
    },
  ],
});
