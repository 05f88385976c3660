import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSdkSource, OUTPUT_FILE } from '../codegen';

describe('sdk/src/generated', () => {
  it('is committed up to date with schema.graphql and the operations (run `npm run sdk:generate`)', async () => {
    expect(readFileSync(OUTPUT_FILE, 'utf8')).toBe(await generateSdkSource());
  });
});
