export const TASK_RUNTIMES = ['javascript', 'typescript'] as const;
export type TaskRuntime = (typeof TASK_RUNTIMES)[number];
