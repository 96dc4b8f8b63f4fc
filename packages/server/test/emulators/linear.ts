/**
 * Linear GraphQL API (https://linear.app/developers/graphql, POST https://api.linear.app/graphql):
 * the operations the linear_* tools send, recognised by operation name. Answers follow Linear's
 * schema; an unknown entity is a 200 with `errors` and `data: null`, as Linear sends.
 */
import { defineEmulator, type EmulatorReply, type RecordedRequest } from '../helpers/emulator.ts';

export const LINEAR_TOKEN = 'lin_oauth_8f3e0c1d2b4a59687766554433221100aabbccdd';

const ENG = { id: '9cfb482a-81e3-4154-b5b9-2c805e70a02d', key: 'ENG', name: 'Engineering', description: 'Product engineering', private: false };
const ada = { id: 'a8b0f1c2-3d4e-4f50-8a6b-7c8d9e0f1a2b', name: 'Ada Lovelace' };
const inProgress = { id: '5e1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d', name: 'In Progress', type: 'started' };

const eng123 = {
  id: 'b7f1e4a2-0c3d-4e5f-9a8b-1c2d3e4f5a6b',
  identifier: 'ENG-123',
  title: 'Crash when exporting CSV',
  description: 'Exporting a **large** board crashes the tab.',
  priority: 2,
  priorityLabel: 'High',
  estimate: 3,
  dueDate: '2024-04-30',
  url: 'https://linear.app/acme/issue/ENG-123/crash-when-exporting-csv',
  createdAt: '2024-04-01T09:00:00.000Z',
  updatedAt: '2024-04-02T14:00:00.000Z',
  completedAt: null,
  state: inProgress,
  assignee: ada,
  creator: { name: 'Grace Hopper' },
  team: { id: ENG.id, key: 'ENG' },
  project: { name: 'Q2 Reliability' },
  labels: { nodes: [{ name: 'Bug' }, { name: 'Export' }] },
  parent: null,
  comments: { nodes: [{ id: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', body: 'Reproduced with 10k rows.', createdAt: '2024-04-01T10:00:00.000Z', user: { name: 'Grace Hopper' } }] },
};

const eng124 = {
  id: 'c8a2f5b3-1d4e-4f6a-8b9c-2d3e4f5a6b7c',
  identifier: 'ENG-124',
  title: 'Flaky login test',
  priority: 0,
  priorityLabel: 'No priority',
  dueDate: null,
  url: 'https://linear.app/acme/issue/ENG-124/flaky-login-test',
  createdAt: '2024-03-30T09:00:00.000Z',
  updatedAt: '2024-04-01T08:00:00.000Z',
  state: { name: 'Backlog', type: 'backlog' },
  assignee: null,
  team: { key: 'ENG' },
  project: null,
  labels: { nodes: [] },
};

function entityNotFound(kind: string): EmulatorReply {
  return {
    json: {
      errors: [
        {
          message: 'Entity not found',
          path: [kind],
          locations: [{ line: 1, column: 30 }],
          extensions: { type: 'invalid input', code: 'INPUT_ERROR', statusCode: 400, userError: true, userPresentableMessage: `Could not find referenced ${kind}.` },
        },
      ],
      data: null,
    },
  };
}

function operation(request: RecordedRequest): { name: string; variables: Record<string, any> } {
  const body = request.body as { query?: string; variables?: Record<string, unknown> };
  const name = /^\s*(?:query|mutation)\s+([A-Za-z]+)/.exec(body.query ?? '')?.[1] ?? '';
  return { name, variables: body.variables ?? {} };
}

export const linearEmulator = defineEmulator({
  name: 'linear',
  authorized: (request) => request.headers['authorization'] === `Bearer ${LINEAR_TOKEN}`,
  unauthorized: {
    status: 401,
    json: {
      errors: [
        {
          message: 'Authentication required, not authenticated',
          extensions: { type: 'authentication error', code: 'AUTHENTICATION_ERROR', statusCode: 401, userError: true, userPresentableMessage: 'You need to authenticate to access this operation.' },
        },
      ],
    },
  },
  routes: [
    {
      method: 'POST',
      path: '/graphql',
      reply: (request) => {
        const { name, variables } = operation(request);
        switch (name) {
          case 'Viewer':
            return { json: { data: { viewer: { id: ada.id, name: ada.name, displayName: 'ada', email: 'ada@acme.dev', admin: true, organization: { name: 'Acme', urlKey: 'acme' } } } } };
          case 'Teams':
            return {
              json: {
                data: {
                  teams: {
                    nodes: variables['after'] === undefined ? [ENG, { id: '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a', key: 'DES', name: 'Design', description: null, private: true }] : [],
                    pageInfo: { hasNextPage: variables['after'] === undefined, endCursor: variables['after'] === undefined ? '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a' : null },
                  },
                },
              },
            };
          case 'WorkflowStates':
            return {
              json: {
                data: {
                  workflowStates: {
                    nodes: [
                      { id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', name: 'Backlog', type: 'backlog', position: 0, team: { key: 'ENG' } },
                      { id: inProgress.id, name: 'In Progress', type: 'started', position: 2, team: { key: 'ENG' } },
                      { id: '7f8e9d0c-1b2a-4c3d-9e4f-5a6b7c8d9e0f', name: 'Done', type: 'completed', position: 3, team: { key: 'ENG' } },
                    ],
                  },
                },
              },
            };
          case 'Issues':
            return { json: { data: { issues: { nodes: [eng123, eng124].map(({ description: _d, creator: _c, comments: _m, parent: _p, completedAt: _x, estimate: _e, ...issue }: Record<string, unknown>) => issue), pageInfo: { hasNextPage: true, endCursor: eng124.id } } } } };
          case 'Issue':
            return variables['id'] === 'ENG-123' || variables['id'] === eng123.id ? { json: { data: { issue: eng123 } } } : entityNotFound('issue');
          case 'IssueCreate': {
            const input = variables['input'] as { teamId?: string; title?: string; priority?: number; assigneeId?: string };
            if (input.teamId !== ENG.id) return entityNotFound('team');
            return {
              json: {
                data: {
                  issueCreate: {
                    success: true,
                    issue: {
                      id: 'd9b3a6c4-2e5f-4a7b-9c0d-3e4f5a6b7c8d',
                      identifier: 'ENG-125',
                      title: input.title,
                      url: 'https://linear.app/acme/issue/ENG-125/add-retry-to-webhook-sender',
                      priority: input.priority ?? 0,
                      state: { name: 'Backlog' },
                      assignee: input.assigneeId === ada.id ? { name: ada.name } : null,
                      team: { key: 'ENG' },
                    },
                  },
                },
              },
            };
          }
          case 'IssueUpdate':
            if (variables['id'] !== 'ENG-123') return entityNotFound('issue');
            return {
              json: {
                data: {
                  issueUpdate: {
                    success: true,
                    issue: { id: eng123.id, identifier: 'ENG-123', title: eng123.title, url: eng123.url, priority: variables['input']?.priority ?? 2, state: { name: 'Done', type: 'completed' }, assignee: { name: ada.name }, updatedAt: '2024-04-03T12:00:00.000Z' },
                  },
                },
              },
            };
          case 'CommentCreate':
            return {
              json: {
                data: {
                  commentCreate: {
                    success: true,
                    comment: {
                      id: 'e0f1a2b3-c4d5-4e6f-8a7b-9c0d1e2f3a4b',
                      body: variables['input']?.body,
                      url: 'https://linear.app/acme/issue/ENG-123/crash-when-exporting-csv#comment-e0f1a2b3',
                      createdAt: '2024-04-03T12:05:00.000Z',
                      user: { name: ada.name },
                    },
                  },
                },
              },
            };
          default:
            return { status: 400, json: { errors: [{ message: `Unknown operation ${name}`, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] } };
        }
      },
    },
  ],
});
