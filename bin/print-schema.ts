/** Writes the committed `schema.graphql` (the contract the SDK and the web app are typed from). */
import { writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { schema } from '../api/graphql/schema';

export const SCHEMA_HEADER = '# Generated from the Pothos schema by `npm run schema:print`. Do not edit by hand.\n\n';

export function printedSchema(): string {
  return SCHEMA_HEADER + printSchema(schema) + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('../schema.graphql', import.meta.url), printedSchema());
  console.log('schema.graphql written');
}
