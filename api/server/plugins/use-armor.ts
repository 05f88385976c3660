import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { Plugin } from 'graphql-yoga';

/** Limits a public endpoint needs: depth, cost, aliases, tokens, directives; no field suggestions. */
export function useArmor(): Plugin {
  return EnvelopArmorPlugin({
    // Introspection counts too (the standard introspection query needs 21 levels), so it cannot be used to
    // build arbitrarily deep documents.
    maxDepth: { n: 22, ignoreIntrospection: false },
    costLimit: { maxCost: 20_000 },
    maxAliases: { n: 30 },
    maxTokens: { n: 4_000 },
    maxDirectives: { n: 20 },
    blockFieldSuggestion: { enabled: true },
  }) as Plugin;
}
