import { builder } from './builder';

/** A GraphQL enum over a domain's lower-case values: `file_load` travels as `FILE_LOAD`. */
export function upperCaseEnum<const T extends string>(name: string, values: readonly T[]) {
  return builder.enumType(name, {
    values: Object.fromEntries(values.map((v) => [v.toUpperCase(), { value: v }])) as Record<Uppercase<T>, { value: T }>,
  });
}
