/** Asana REST API 1.0 (https://developers.asana.com/reference/rest-api-reference): the endpoints the asana_* tools call. */
import { defineEmulator, type RecordedRequest } from '../helpers/emulator.ts';

export const ASANA_TOKEN = '2/1200000000000001/1206543210987654:3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c';

const WORKSPACE = '1200000000000100';
const ada = { gid: '1200000000000001', name: 'Ada Lovelace', resource_type: 'user' };
const launch = { gid: '1204000000000200', name: 'Website launch', resource_type: 'project' };

function nextPage(path: string, offset: string) {
  return { offset, path: `${path}&offset=${offset}`, uri: `https://app.asana.com/api/1.0${path}&offset=${offset}` };
}

function task(gid: string, name: string, extra: Record<string, unknown> = {}) {
  return {
    gid,
    resource_type: 'task',
    name,
    resource_subtype: 'default_task',
    notes: '',
    completed: false,
    completed_at: null,
    assignee: ada,
    start_on: null,
    due_on: '2024-04-20',
    due_at: null,
    projects: [launch],
    tags: [],
    parent: null,
    num_subtasks: 0,
    custom_fields: [],
    permalink_url: `https://app.asana.com/0/${launch.gid}/${gid}`,
    created_at: '2024-04-01T09:00:00.000Z',
    modified_at: '2024-04-02T10:00:00.000Z',
    ...extra,
  };
}

const notFound = { status: 404, json: { errors: [{ message: 'task: Unknown object: 999', help: 'For more information on API status codes and how to handle them, read the docs on errors: https://developers.asana.com/docs/errors' }] } };
const knownTask = (request: RecordedRequest) => request.params['gid'] === '1204000000000301';

export const asanaEmulator = defineEmulator({
  name: 'asana',
  authorized: (request) => request.headers['authorization'] === `Bearer ${ASANA_TOKEN}`,
  unauthorized: {
    status: 401,
    json: { errors: [{ message: 'Not Authorized', help: 'For more information on API status codes and how to handle them, read the docs on errors: https://developers.asana.com/docs/errors' }] },
  },
  routes: [
    {
      method: 'GET',
      path: '/workspaces',
      reply: () => ({
        json: {
          data: [
            { gid: WORKSPACE, name: 'Acme Corp', resource_type: 'workspace', is_organization: true },
            { gid: '1200000000000101', name: 'Personal Projects', resource_type: 'workspace', is_organization: false },
          ],
          next_page: null,
        },
      }),
    },
    {
      method: 'GET',
      path: '/projects',
      reply: (request) =>
        request.query['workspace'] === undefined
          ? { status: 400, json: { errors: [{ message: 'Must specify exactly one of project, tag, team, workspace, or assignee + workspace', help: 'https://developers.asana.com/docs/errors' }] } }
          : {
              json: {
                data: [
                  { ...launch, archived: false, owner: ada, due_on: '2024-06-30', modified_at: '2024-04-02T10:00:00.000Z', permalink_url: `https://app.asana.com/0/${launch.gid}/${launch.gid}` },
                  { gid: '1204000000000201', name: 'Hiring', resource_type: 'project', archived: false, owner: null, due_on: null, modified_at: '2024-03-15T10:00:00.000Z', permalink_url: 'https://app.asana.com/0/1204000000000201/1204000000000201' },
                ],
                next_page: nextPage(`/projects?workspace=${WORKSPACE}&limit=2`, 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJib3VuZCI6MTIwNDAwMDAwMDAwMDIwMX0'),
              },
            },
    },
    {
      method: 'GET',
      path: '/tasks',
      reply: (request) => {
        if (request.query['project'] === undefined && (request.query['assignee'] === undefined || request.query['workspace'] === undefined)) {
          return { status: 400, json: { errors: [{ message: 'Must specify exactly one of project, tag, section, user task list, or assignee + workspace', help: 'https://developers.asana.com/docs/errors' }] } };
        }
        return {
          json: {
            data: [
              { gid: '1204000000000301', name: 'Write launch copy', resource_type: 'task', completed: false, assignee: ada, due_on: '2024-04-20', modified_at: '2024-04-02T10:00:00.000Z', permalink_url: `https://app.asana.com/0/${launch.gid}/1204000000000301` },
              { gid: '1204000000000302', name: 'Pick a domain', resource_type: 'task', completed: true, assignee: null, due_on: null, modified_at: '2024-03-20T10:00:00.000Z', permalink_url: `https://app.asana.com/0/${launch.gid}/1204000000000302` },
            ],
            next_page: null,
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/tasks/:gid',
      reply: (request) =>
        knownTask(request)
          ? {
              json: {
                data: task('1204000000000301', 'Write launch copy', {
                  notes: 'Hero text and three feature blurbs.',
                  tags: [{ gid: '1204000000000400', name: 'copy' }],
                  num_subtasks: 2,
                  custom_fields: [{ gid: '1204000000000500', name: 'Priority', display_value: 'High', resource_subtype: 'enum' }],
                }),
              },
            }
          : notFound,
    },
    {
      method: 'POST',
      path: '/tasks',
      reply: (request) => {
        const data = (request.body as { data?: { name?: string; projects?: string[]; workspace?: string; parent?: string; assignee?: string; due_on?: string; notes?: string } }).data ?? {};
        if (data.projects === undefined && data.workspace === undefined && data.parent === undefined) {
          return { status: 400, json: { errors: [{ message: 'You should specify one of workspace, parent, projects', help: 'https://developers.asana.com/docs/errors' }] } };
        }
        return {
          status: 201,
          json: {
            data: task('1204000000000399', data.name ?? '', {
              notes: data.notes ?? '',
              assignee: data.assignee === undefined ? null : ada,
              due_on: data.due_on ?? null,
              projects: (data.projects ?? []).map((gid) => (gid === launch.gid ? launch : { gid, name: 'Other', resource_type: 'project' })),
              created_at: '2024-04-03T09:00:00.000Z',
              modified_at: '2024-04-03T09:00:00.000Z',
              permalink_url: 'https://app.asana.com/0/0/1204000000000399',
            }),
          },
        };
      },
    },
    {
      method: 'PUT',
      path: '/tasks/:gid',
      reply: (request) => {
        if (!knownTask(request)) return notFound;
        const data = (request.body as { data?: { completed?: boolean; due_on?: string } }).data ?? {};
        return {
          json: {
            data: task('1204000000000301', 'Write launch copy', {
              completed: data.completed ?? false,
              completed_at: data.completed === true ? '2024-04-03T10:00:00.000Z' : null,
              due_on: data.due_on ?? '2024-04-20',
              modified_at: '2024-04-03T10:00:00.000Z',
            }),
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/tasks/:gid/stories',
      reply: (request) =>
        knownTask(request)
          ? {
              status: 201,
              json: {
                data: {
                  gid: '1204000000000601',
                  resource_type: 'story',
                  created_at: '2024-04-03T10:05:00.000Z',
                  created_by: ada,
                  resource_subtype: 'comment_added',
                  text: (request.body as { data?: { text?: string } }).data?.text,
                  type: 'comment',
                  is_pinned: false,
                  target: { gid: '1204000000000301', name: 'Write launch copy', resource_type: 'task' },
                },
              },
            }
          : notFound,
    },
  ],
});
