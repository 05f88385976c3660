import { invalid } from '../errors';
import { canonicalZone } from '../time/zone';
import {
  AGGREGATES, FILTER_OPS, GRANULARITIES,
  type Aggregate, type DimensionSpec, type FilterOp, type FilterSpec, type Granularity,
  type MeasureSpec, type OrderSpec, type QuerySpec, type ScalarValue,
} from './query-spec';

type Json = Record<string, unknown>;

const QUERY_KEYS = ['dimensions', 'measures', 'filters', 'having', 'orderBy', 'limit', 'offset', 'timezone'];

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? 'a string' : `a ${typeof v}`;
}

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function object(v: unknown, path: string, keys: readonly string[]): Json {
  if (!isObject(v)) throw invalid(`expected an object, got ${describe(v)}`, path || undefined);
  for (const k of Object.keys(v)) {
    if (!keys.includes(k)) throw invalid(`unknown key "${k}"; allowed: ${keys.join(', ')}`, child(path, k));
  }
  return v;
}

function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw invalid(`expected an array, got ${describe(v)}`, path);
  return v;
}

function nonEmptyString(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.length === 0) throw invalid(`expected a non-empty string, got ${describe(v)}`, path);
  return v;
}

function oneOf<T extends string>(v: unknown, options: readonly T[], path: string): T {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
    throw invalid(`expected one of ${options.join(', ')}, got ${JSON.stringify(v) ?? 'nothing'}`, path);
  }
  return v as T;
}

function count(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw invalid(`expected a non-negative integer, got ${JSON.stringify(v)}`, path);
  }
  return v;
}

function optional<T>(o: Json, key: string, path: string, read: (v: unknown, p: string) => T): T | undefined {
  return o[key] === undefined ? undefined : read(o[key], child(path, key));
}

function dimension(v: unknown, path: string): DimensionSpec {
  if (typeof v === 'string') return { field: nonEmptyString(v, path), path };
  const o = object(v, path, ['field', 'granularity', 'as']);
  const d: DimensionSpec = { field: nonEmptyString(o.field, child(path, 'field')), path };
  const g = optional<Granularity>(o, 'granularity', path, (x, p) => oneOf(x, GRANULARITIES, p));
  if (g) d.granularity = g;
  const as = optional(o, 'as', path, nonEmptyString);
  if (as !== undefined) d.as = as;
  return d;
}

function measure(v: unknown, path: string): MeasureSpec {
  const o = object(v, path, ['agg', 'field', 'formula', 'as']);
  const as = optional(o, 'as', path, nonEmptyString);
  if (o.formula !== undefined) {
    if (o.agg !== undefined || o.field !== undefined) {
      throw invalid('a measure is either {"formula"} or {"agg", "field"}, not both', path);
    }
    return { kind: 'formula', formula: nonEmptyString(o.formula, child(path, 'formula')), ...(as !== undefined ? { as } : {}), path };
  }
  if (o.agg === undefined) throw invalid('a measure needs "agg" or "formula"', path);
  const agg = oneOf<Aggregate>(o.agg, AGGREGATES, child(path, 'agg'));
  const field = optional(o, 'field', path, nonEmptyString);
  if (field === undefined && agg !== 'count') throw invalid(`"${agg}" needs a "field"`, path);
  return { kind: 'agg', agg, ...(field !== undefined ? { field } : {}), ...(as !== undefined ? { as } : {}), path };
}

function scalar(v: unknown, path: string): ScalarValue {
  if (v === null) throw invalid('a null value matches nothing: use the is_null or is_not_null op', path);
  if (typeof v === 'number' && !Number.isFinite(v)) throw invalid('numbers must be finite', path);
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
    throw invalid(`expected a string, number or boolean, got ${describe(v)}`, path);
  }
  // PostgreSQL text cannot hold NUL, so no database could store a value equal to it.
  if (typeof v === 'string' && v.includes('\u0000')) throw invalid('text values cannot contain the NUL character', path);
  return v;
}

/** Every value is a bound parameter; SQLite accepts 32,766 per statement, PostgreSQL 65,535. */
export const MAX_LIST_VALUES = 20_000;

const NO_VALUE: readonly FilterOp[] = ['is_null', 'is_not_null'];
const LIST_VALUE: readonly FilterOp[] = ['in', 'not_in', 'between'];

export function filter(v: unknown, path: string): FilterSpec {
  if (!isObject(v)) throw invalid(`expected a filter object, got ${describe(v)}`, path);
  for (const k of ['and', 'or'] as const) {
    if (v[k] !== undefined) {
      object(v, path, [k]);
      const list = array(v[k], child(path, k));
      if (k === 'or' && list.length === 0) throw invalid('"or" needs at least one condition', child(path, k));
      return { kind: k, items: list.map((x, i) => filter(x, child(child(path, k), i))), path };
    }
  }
  if (v.not !== undefined) {
    object(v, path, ['not']);
    return { kind: 'not', item: filter(v.not, child(path, 'not')), path };
  }
  const o = object(v, path, ['field', 'op', 'value', 'values']);
  const field = nonEmptyString(o.field, child(path, 'field'));
  const op = oneOf<FilterOp>(o.op, FILTER_OPS, child(path, 'op'));
  if (NO_VALUE.includes(op)) {
    if ('value' in o || 'values' in o) throw invalid(`"${op}" takes no value`, path);
    return { kind: 'condition', field, op, values: [], valuePaths: [], path };
  }
  if (LIST_VALUE.includes(op)) {
    if ('value' in o) throw invalid(`"${op}" takes "values", not "value"`, child(path, 'value'));
    const listPath = child(path, 'values');
    if (o.values === undefined) throw invalid(`"${op}" needs "values"`, path);
    const list = array(o.values, listPath);
    if (list.length === 0) throw invalid('"values" must not be empty', listPath);
    if (list.length > MAX_LIST_VALUES) throw invalid(`"values" holds at most ${MAX_LIST_VALUES} values, got ${list.length}`, listPath);
    if (op === 'between' && list.length !== 2) throw invalid('"between" needs exactly two values [low, high]', listPath);
    const valuePaths = list.map((_, i) => child(listPath, i));
    return { kind: 'condition', field, op, values: list.map((x, i) => scalar(x, valuePaths[i]!)), valuePaths, path };
  }
  if ('values' in o) throw invalid(`"${op}" takes "value", not "values"`, child(path, 'values'));
  if (!('value' in o)) throw invalid(`"${op}" needs a "value"`, path);
  const valuePath = child(path, 'value');
  return { kind: 'condition', field, op, values: [scalar(o.value, valuePath)], valuePaths: [valuePath], path };
}

function order(v: unknown, path: string): OrderSpec {
  const o = object(v, path, ['field', 'dir']);
  const dir = optional(o, 'dir', path, (x, p) => oneOf(x, ['asc', 'desc'] as const, p)) ?? 'asc';
  return { field: nonEmptyString(o.field, child(path, 'field')), dir, path };
}

function list<T>(o: Json, key: string, read: (v: unknown, path: string) => T): T[] {
  if (o[key] === undefined) return [];
  return array(o[key], key).map((x, i) => read(x, child(key, i)));
}

/** Checks the shape of a JSON query; names are resolved later, against the datasource. */
export function validateQueryShape(query: unknown): QuerySpec {
  const o = object(query, '', QUERY_KEYS);
  const timezone = o.timezone === undefined ? 'UTC' : nonEmptyString(o.timezone, 'timezone');
  const zone = canonicalZone(timezone);
  if (zone === null) throw invalid(`unknown time zone ${JSON.stringify(timezone)}: use an IANA name such as "Europe/Paris"`, 'timezone');
  return {
    dimensions: list(o, 'dimensions', dimension),
    measures: list(o, 'measures', measure),
    filters: list(o, 'filters', filter),
    having: list(o, 'having', filter),
    orderBy: list(o, 'orderBy', order),
    limit: o.limit === undefined ? null : count(o.limit, 'limit'),
    offset: o.offset === undefined ? 0 : count(o.offset, 'offset'),
    timezone: zone,
  };
}
