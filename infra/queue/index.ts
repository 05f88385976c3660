export * from './job-queue';
export { createMemoryQueue } from './memory/memory-queue';
export { createBullmqQueue, DEFAULT_TIMINGS, type BullmqQueueOptions } from './bullmq/bullmq-queue';
export type { WorkerTimings } from './bullmq/fair-worker';
export type { RedisTarget } from './bullmq/connection';
export { assertNoEviction } from './no-eviction';
