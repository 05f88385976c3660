/** Scripts (tasks): operations the SDK has no helpers for yet. */
import { doc, type SightlineClient } from '$lib/api/client';

export type TaskRuntime = 'JAVASCRIPT' | 'TYPESCRIPT';
export const RUNTIMES: { value: TaskRuntime; label: string }[] = [
  { value: 'JAVASCRIPT', label: 'JavaScript' },
  { value: 'TYPESCRIPT', label: 'TypeScript' },
];

export interface Task {
  id: string;
  name: string;
  code: string;
  runtime: TaskRuntime;
  schedule: string | null;
  timezone: string;
  timeoutSeconds: number;
  enabled: boolean;
  nextRunAt: string | null;
  updatedAt: string;
}

export interface TaskInput {
  name?: string;
  code?: string;
  runtime?: TaskRuntime;
  /** "" removes the schedule. */
  schedule?: string;
  timezone?: string;
  timeoutSeconds?: number;
}

const FIELDS = `id name code runtime schedule timezone timeoutSeconds enabled nextRunAt updatedAt`;

const LIST = doc<{ tasks: { edges: { node: Task }[] } }, { first: number }>(`query Tasks($first: Int) { tasks(first: $first) { edges { node { ${FIELDS} } } } }`);
const GET = doc<{ task: Task | null }, { id: string }>(`query Task($id: ID!) { task(id: $id) { ${FIELDS} } }`);
const CREATE = doc<{ createTask: Task }, { input: TaskInput }>(`mutation CreateTask($input: TaskInput!) { createTask(input: $input) { ${FIELDS} } }`);
const UPDATE = doc<{ updateTask: Task }, { id: string; input: TaskInput }>(
  `mutation UpdateTask($id: ID!, $input: TaskInput!) { updateTask(id: $id, input: $input) { ${FIELDS} } }`,
);
const DELETE = doc<{ deleteTask: { id: string } }, { id: string }>(`mutation DeleteTask($id: ID!) { deleteTask(id: $id) { id } }`);

export const listTasks = async (c: SightlineClient): Promise<Task[]> => (await c.request(LIST, { first: 100 })).tasks.edges.map((e) => e.node);
export const getTask = async (c: SightlineClient, id: string): Promise<Task | null> => (await c.request(GET, { id })).task;
export const createTask = async (c: SightlineClient, input: TaskInput): Promise<Task> => (await c.request(CREATE, { input })).createTask;
export const updateTask = async (c: SightlineClient, id: string, input: TaskInput): Promise<Task> => (await c.request(UPDATE, { id, input })).updateTask;
export const deleteTask = async (c: SightlineClient, id: string): Promise<void> => void (await c.request(DELETE, { id }));

/** What a new script starts with: the SDK import and one line of output. */
export function starterCode(runtime: TaskRuntime): string {
  const typed = runtime === 'TYPESCRIPT' ? ': string' : '';
  return `import { client } from '@sightline/script';

const greeting${typed} = 'Hello from Sightline';
console.log(greeting);
`;
}
