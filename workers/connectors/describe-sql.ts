/**
 * Wraps a user's SELECT so it yields no row and must be a single query expression: a
 * statement that is not a SELECT is a syntax error here rather than something that runs.
 * Newlines keep a trailing line comment from swallowing the closing parenthesis.
 */
export function wrapForDescribe(sql: string, limit = 0): string {
  const body = sql.replace(/[\s;]+$/, '');
  return `SELECT * FROM (\n${body}\n) AS sightline_describe LIMIT ${limit}`;
}
