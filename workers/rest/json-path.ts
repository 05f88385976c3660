/** JSON as `JSON.parse` returns it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type PathLookup = { found: true; value: Json } | { found: false; missing: string };

/**
 * Follows a dot path (`data.items`, `results.0.rows`) into a parsed body; '' is the body.
 * Digits index arrays. When a step is missing, `missing` says which prefix ended the walk.
 */
export function valueAtPath(body: Json, path: string): PathLookup {
  if (path === '') return { found: true, value: body };
  let current: Json = body;
  const steps = path.split('.');
  for (let i = 0; i < steps.length; i += 1) {
    const step = steps[i] as string;
    const walked = steps.slice(0, i).join('.');
    const here = walked === '' ? 'the body' : `"${walked}"`;
    if (Array.isArray(current)) {
      const index = /^\d+$/.test(step) ? Number(step) : NaN;
      if (!(index < current.length)) return { found: false, missing: `${here} is an array of ${current.length} without an item "${step}"` };
      current = current[index] as Json;
    } else if (current !== null && typeof current === 'object') {
      if (!Object.hasOwn(current, step)) return { found: false, missing: `${here} has no key "${step}"` };
      current = current[step] as Json;
    } else {
      return { found: false, missing: `${here} is ${describeJson(current)}, not an object` };
    }
  }
  return { found: true, value: current };
}

/** A short phrase for what a JSON value is, for messages: never the value of a string. */
export function describeJson(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty object';
    const shown = keys.slice(0, 5).join(', ');
    return `an object with keys ${shown}${keys.length > 5 ? ', …' : ''}`;
  }
  if (typeof value === 'string') return 'a string';
  return `a ${typeof value}`;
}
