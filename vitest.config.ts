import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql ships CommonJS and ESM copies: Node (and every library) loads the CommonJS one,
    // so tests must too, or schema objects would come from two "realms".
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'web/build/**', 'web/.svelte-kit/**', 'web/src/**', 'sdk/node_modules/**', 'data/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores here: more workers only add contention with the databases under test.
    maxWorkers: 2,
  },
});
