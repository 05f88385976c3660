/**
 * One execution per job event for all the WebSocket subscribers of this process that asked the
 * same thing. A job's event reaches every local subscriber as the same parsed object (EventHub),
 * and executing the selection set on it was the bulk of a fan-out: 5,000 subscribers of one
 * dashboard query ran 5,000 identical executions.
 *
 * A subscription's result is shared only when it cannot depend on who asks:
 * - every field it selects is in CONTEXT_FREE_FIELDS, whose resolvers read nothing but their
 *   parent value (no context, no principal, no loaders, no auth scope on the type or field);
 *   anything else (`job`, whose type is scope-checked and loads the datasource and the user
 *   through the caller's context) makes it run per subscriber as before;
 * - the shared execution runs with an empty context of its own, so even a resolver changed later
 *   to read the context could not hand one subscriber's view to another (it would fail for all);
 * - the key holds every other input of the execution: the schema, the parsed document, the
 *   operation name, the variables, and, beyond what those resolvers read, the organization and
 *   the kind and role of the principal (all that auth scopes are computed from).
 * Results are shared only for the same event object within one turn of the event loop (one
 * fan-out) and are frozen, so no later step can change what another subscriber receives.
 *
 * The source stream is still created per subscriber with that subscriber's context and
 * arguments (authorization, counting, cancellation on the last unsubscribe), as is everything
 * envelop does around it (error masking).
 */
import {
  createSourceEventStream,
  execute,
  getNamedType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isLeafType,
  isObjectType,
  Kind,
  locatedError,
  type DirectiveNode,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Principal } from '../auth/principal';
import { FanOutMemo } from './fan-out-memo';

/**
 * Fields whose resolvers are functions of their parent value alone (api/graphql/types/query-job.ts).
 * A field added here must not read the context, the principal or any loader, and its type must
 * carry no auth scopes.
 */
const CONTEXT_FREE_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  // Both resolve to the event itself; their `subscribe` runs per subscriber.
  Subscription: new Set(['queryJob', 'liveQuery']),
  QueryJobEvent: new Set(['jobId', 'status', 'progress', 'rowsFetched', 'cached', 'error', 'result']),
  QueryError: new Set(['code', 'message', 'path', 'formula', 'position']),
  QueryResult: new Set(['columns', 'rows', 'rowCount', 'truncated']),
  ResultColumn: new Set(['name', 'type']),
};

/** Set in the initial context of operations that arrive over the WebSocket (websocket.ts). */
export const SHARE_SUBSCRIPTION_RESULTS = Symbol('share subscription results');

/** Executions run and reused, for tests and benchmarks. */
export const executionCounters = { executed: 0, reused: 0 };

type MaybePromise<T> = T | Promise<T>;

const ids = new WeakMap<object, number>();
let nextId = 0;
function identity(value: object): number {
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = ++nextId));
  return id;
}

/** JSON with object keys sorted, so the same variables in another order share too. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** @skip and @include depend on the variables alone, which are in the key; others may not. */
function plainDirectives(directives: readonly DirectiveNode[] | undefined): boolean {
  return !directives || directives.every((d) => d.name.value === 'skip' || d.name.value === 'include');
}

/** Whether every field the operation can select is context-free (CONTEXT_FREE_FIELDS). */
function selectsContextFreeFields(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const entered = new Set<string>();
  const visit = (typeName: string, set: SelectionSetNode): boolean => {
    const allowed = CONTEXT_FREE_FIELDS[typeName];
    const type = schema.getType(typeName);
    if (!allowed || !isObjectType(type)) return false;
    for (const selection of set.selections) {
      if (!plainDirectives(selection.directives)) return false;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename' && !selection.selectionSet) continue;
        const field = type.getFields()[name];
        if (!allowed.has(name) || !field) return false;
        const named = getNamedType(field.type);
        if (selection.selectionSet ? !visit(named.name, selection.selectionSet) : !isLeafType(named)) return false;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if ((selection.typeCondition?.name.value ?? typeName) !== typeName || !visit(typeName, selection.selectionSet)) return false;
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || fragment.typeCondition.name.value !== typeName || !plainDirectives(fragment.directives)) return false;
        // Validation rejects cycles; this only keeps a broken document from looping here.
        if (entered.has(fragment.name.value)) return false;
        entered.add(fragment.name.value);
        const ok = visit(typeName, fragment.selectionSet);
        entered.delete(fragment.name.value);
        if (!ok) return false;
      }
    }
    return true;
  };
  const root = schema.getSubscriptionType();
  return root !== null && root !== undefined && plainDirectives(operation.directives) && visit(root.name, operation.selectionSet);
}

/** The key under which this operation's results may be shared, or null to run it alone. */
export function sharingKey(args: ExecutionArgs): string | null {
  const context = args.contextValue as { principal?: Principal | null; [SHARE_SUBSCRIPTION_RESULTS]?: boolean } | undefined;
  if (!context?.[SHARE_SUBSCRIPTION_RESULTS]) return null;
  const principal = context.principal;
  if (!principal) return null;
  // Anything that changes how execution itself behaves keeps the operation on its own.
  const { fieldResolver, typeResolver, subscribeFieldResolver } = args;
  if (fieldResolver || typeResolver || subscribeFieldResolver || (args as { signal?: unknown }).signal) return null;
  const operation = getOperationAST(args.document, args.operationName);
  if (!operation || operation.operation !== 'subscription') return null;
  if (!selectsContextFreeFields(args.schema, args.document, operation)) return null;
  return JSON.stringify([
    identity(args.schema),
    identity(args.document),
    args.operationName ?? null,
    canonical(args.variableValues ?? {}),
    principal.organizationId,
    principal.kind,
    principal.role,
  ]);
}

/** Marks results shared between subscribers read-only: their objects and lists, not data values. */
function freezeExecutionValue(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  if (Array.isArray(value)) {
    // A list of the executor's objects is its own; a JSON value (rows) belongs to the event.
    if (!value.some((v) => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === null)) return;
    for (const v of value) freezeExecutionValue(v);
    Object.freeze(value);
    return;
  }
  if (Object.getPrototypeOf(value) !== null) return;
  for (const v of Object.values(value)) freezeExecutionValue(v);
  Object.freeze(value);
}

function freezeResult(result: ExecutionResult): ExecutionResult {
  freezeExecutionValue(result.data);
  if (result.errors) Object.freeze(result.errors);
  return Object.freeze(result);
}

const memo = new FanOutMemo<object, Map<string, MaybePromise<ExecutionResult>>>();

/** The result of this operation on this event, executed once per fan-out for its key. */
function sharedResult(args: ExecutionArgs, key: string, event: unknown): MaybePromise<ExecutionResult> {
  if (event === null || typeof event !== 'object') return execute({ ...args, rootValue: event });
  let byKey = memo.get(event);
  const known = byKey?.get(key);
  if (known !== undefined) {
    executionCounters.reused++;
    return known;
  }
  // Nothing of the subscriber who happens to come first reaches the execution.
  const run = execute({ ...args, rootValue: event, contextValue: {} });
  const result = run instanceof Promise ? run.then(freezeResult) : freezeResult(run);
  executionCounters.executed++;
  if (!byKey) memo.set(event, (byKey = new Map()));
  byKey.set(key, result);
  return result;
}

/** As the executor wraps a failing source stream's error (@graphql-tools/executor). */
function wrapSourceError(error: unknown, operation: OperationDefinitionNode): GraphQLError | AggregateError {
  const wrap = (e: unknown) => new GraphQLError(e instanceof Error ? e.message : String(e), { originalError: e instanceof Error ? e : null, nodes: [operation] });
  if (error instanceof AggregateError) return new AggregateError(error.errors.map(wrap), error.message);
  return wrap(error);
}

/**
 * The subscriber's source stream, each event mapped to the shared result. Closing it closes the
 * source; a source that fails is closed and its error raised, as yoga's executor does.
 */
function mapEvents(source: AsyncIterable<unknown>, onEvent: (event: unknown) => MaybePromise<ExecutionResult>, operation: OperationDefinitionNode): AsyncIterableIterator<ExecutionResult> {
  const it = source[Symbol.asyncIterator]();
  const closeAndThrow = async (error: unknown): Promise<never> => {
    if (it.return) await it.return().catch(() => undefined);
    throw error;
  };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      let step: IteratorResult<unknown>;
      try {
        step = await it.next();
      } catch (err) {
        return closeAndThrow(wrapSourceError(err, operation));
      }
      if (step.done) return { done: true, value: undefined };
      try {
        return { done: false, value: await onEvent(step.value) };
      } catch (err) {
        return closeAndThrow(err);
      }
    },
    async return() {
      await it.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      if (!it.throw) return closeAndThrow(error);
      const step = await it.throw(error).catch((err: unknown) => closeAndThrow(wrapSourceError(err, operation)));
      return step.done ? { done: true, value: undefined } : { done: false, value: await onEvent(step.value) };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

async function subscribeShared(args: ExecutionArgs, key: string, alone: (args: ExecutionArgs) => unknown): Promise<unknown> {
  const operation = getOperationAST(args.document, args.operationName)!;
  // Variables that do not coerce are reported by the executor itself, in its own words.
  const coerced = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {}, { maxErrors: 50 });
  if (coerced.errors) return alone(args);
  let stream: AsyncIterable<unknown> | ExecutionResult;
  try {
    stream = await createSourceEventStream(args);
  } catch (err) {
    // graphql-js throws where yoga's executor answers with a located error (a field that
    // returned no stream); the answer is kept.
    const field = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
    if (!field || field.kind !== Kind.FIELD) throw err;
    return { errors: [locatedError(err, [field], [field.alias?.value ?? field.name.value])] };
  }
  if (!(Symbol.asyncIterator in stream)) return stream;
  return mapEvents(stream, (event) => sharedResult(args, key, event), operation);
}

/** The envelop plugin: subscriptions with a sharing key are executed as above. */
export function useSharedSubscriptionResults(): Plugin {
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const key = sharingKey(args);
      if (key === null) return;
      setSubscribeFn(((a: ExecutionArgs) => subscribeShared(a, key, subscribeFn as (args: ExecutionArgs) => unknown)) as never);
    },
  };
}
