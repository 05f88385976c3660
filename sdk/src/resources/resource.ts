import { listAll, type FetchPage, type ListAllOptions, type Page, type PageArgs } from '../paging.js';

/** The same five calls on every kind of content, lists as Relay pages (newest first). */
export interface Resource<T, CreateInput, UpdateInput> {
  list(args?: PageArgs, signal?: AbortSignal): Promise<Page<T>>;
  listAll(options?: ListAllOptions): AsyncGenerator<T, void, undefined>;
  /** Null when there is no such item in the organization. */
  get(id: string, signal?: AbortSignal): Promise<T | null>;
  create(input: CreateInput): Promise<T>;
  update(id: string, input: UpdateInput): Promise<T>;
  delete(id: string): Promise<void>;
}

export interface ResourceCalls<T, CreateInput, UpdateInput> {
  page: FetchPage<T>;
  get(id: string, signal?: AbortSignal): Promise<T | null>;
  create(input: CreateInput): Promise<T>;
  update(id: string, input: UpdateInput): Promise<T>;
  delete(id: string): Promise<void>;
}

export function resource<T, CreateInput, UpdateInput>(calls: ResourceCalls<T, CreateInput, UpdateInput>): Resource<T, CreateInput, UpdateInput> {
  return {
    list: (args = {}, signal) => calls.page({ first: args.first ?? 50, after: args.after ?? null }, signal),
    listAll: (options) => listAll(calls.page, options),
    get: calls.get,
    create: calls.create,
    update: calls.update,
    delete: calls.delete,
  };
}
