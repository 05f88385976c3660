/**
 * The `operations` and `map` fields of the GraphQL multipart request spec: `operations` is the
 * GraphQL request with `null` where files go; `map` says which file part fills which
 * `variables.…` path.
 */
import type { GraphQLParams } from 'graphql-yoga';
import { badMultipart, tooLarge } from './upload-errors';

export type Operations = GraphQLParams & Record<string, unknown>;

/** File part name → the object paths (`variables.files.0`) it fills. */
export type UploadMap = Map<string, string[]>;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badMultipart(`the "${field}" field is not valid JSON`);
  }
}

export function parseOperations(text: string): Operations {
  const value = parseJson(text, 'operations');
  if (Array.isArray(value)) throw badMultipart('batched operations are not supported: send one operation per request');
  if (!isRecord(value)) throw badMultipart('the "operations" field must be a JSON object');
  if (value['variables'] !== undefined && value['variables'] !== null && !isRecord(value['variables'])) {
    throw badMultipart('"operations.variables" must be a JSON object');
  }
  return value as Operations;
}

export function parseMap(text: string, operations: Operations, maxFiles: number): UploadMap {
  const value = parseJson(text, 'map');
  if (!isRecord(value)) throw badMultipart('the "map" field must be a JSON object of file part names to paths');
  const entries = Object.entries(value);
  if (entries.length > maxFiles) throw tooLarge(`"map" lists ${entries.length} files; at most ${maxFiles} are allowed per request`);
  const map: UploadMap = new Map();
  const seen = new Set<string>();
  for (const [name, paths] of entries) {
    if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p): p is string => typeof p === 'string')) {
      throw badMultipart(`map["${name}"] must be a non-empty array of paths such as "variables.file"`);
    }
    for (const path of paths) {
      if (seen.has(path)) throw badMultipart(`map path "${path}" is listed twice`);
      seen.add(path);
      placeholder(operations, path);
    }
    map.set(name, paths);
  }
  return map;
}

/** Puts a staged file where the map says, replacing its `null` placeholder. */
export function setAtPath(operations: Operations, path: string, value: unknown): void {
  const { parent, key } = placeholder(operations, path);
  (parent as Record<string, unknown>)[key] = value;
}

/** The container and key of a path's `null` placeholder; refuses any other path. */
function placeholder(operations: Operations, path: string): { parent: object; key: string } {
  const keys = path.split('.');
  if (keys[0] !== 'variables' || keys.length < 2) throw badMultipart(`map path "${path}" must point into "variables"`);
  let node: unknown = operations;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const own = Array.isArray(node)
      ? /^\d+$/.test(key) && Number(key) < node.length
      : isRecord(node) && !FORBIDDEN_KEYS.has(key) && Object.hasOwn(node, key);
    if (!own) throw badMultipart(`map path "${path}" does not exist in "operations"`);
    const next = (node as Record<string, unknown>)[key];
    if (i === keys.length - 1) {
      if (next !== null) throw badMultipart(`map path "${path}" must hold null in "operations" (the file's placeholder)`);
      return { parent: node as object, key };
    }
    node = next;
  }
  throw badMultipart(`map path "${path}" is empty`);
}
