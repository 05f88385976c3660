import { GraphQLError, Kind } from 'graphql';
import { builder } from './builder';

builder.scalarType('DateTime', {
  description: 'An instant, as ISO-8601 in UTC (`2024-01-31T12:00:00.000Z`).',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
    if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO-8601 string', { extensions: { code: 'BAD_USER_INPUT' } });
    return date;
  },
});

/** Free-form JSON: queries, dashboard models, chart options. Validated where it is used. */
builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: function parse(ast): unknown {
    switch (ast.kind) {
      case Kind.STRING:
      case Kind.BOOLEAN:
        return ast.value;
      case Kind.INT:
      case Kind.FLOAT:
        return Number(ast.value);
      case Kind.NULL:
        return null;
      case Kind.LIST:
        return ast.values.map((v) => parse(v));
      case Kind.OBJECT:
        return Object.fromEntries(ast.fields.map((f) => [f.name.value, parse(f.value)]));
      default:
        throw new GraphQLError('variables are not allowed inside a JSON literal; pass the whole value as a variable', {
          extensions: { code: 'BAD_USER_INPUT' },
        });
    }
  },
});
