/** The dashboard-shaped queries the engine benchmark runs over the orders table. */
import type { FormulaDef } from '../../query';

export const FORMULAS: FormulaDef[] = [
  { name: 'revenue', expression: '[amount] * [qty]' },
  { name: 'avg_unit_price', expression: 'ROUND(SUM([revenue]) / SUM([qty]), 2)' },
];

export interface EngineQuery {
  name: string;
  query: Record<string, unknown>;
}

export const ENGINE_QUERIES: EngineQuery[] = [
  {
    name: 'country × month, sum/count/avg',
    query: {
      dimensions: ['country', { field: 'ordered_at', granularity: 'month' }],
      measures: [{ agg: 'sum', field: 'amount' }, { agg: 'count' }, { agg: 'avg', field: 'qty' }],
      timezone: 'UTC',
    },
  },
  {
    name: 'category × quarter, filters + formulas',
    query: {
      dimensions: ['category', { field: 'ordered_at', granularity: 'quarter' }],
      measures: [{ formula: 'avg_unit_price' }, { agg: 'sum', field: 'revenue' }],
      filters: [
        { field: 'country', op: 'in', values: ['US', 'DE', 'FR', 'GB', 'JP'] },
        { field: 'ordered_at', op: 'between', values: ['2023-01-01T00:00:00Z', '2023-12-31T23:59:59Z'] },
        { or: [{ field: 'qty', op: 'gte', value: 2 }, { field: 'amount', op: 'gt', value: 500 }] },
      ],
      timezone: 'UTC',
    },
  },
  {
    // A wide result: 100 cursor round-trips of 1,000 rows and 100,000 rows through the decoder.
    name: 'country × category × day, 100k rows',
    query: {
      dimensions: ['country', 'category', { field: 'ordered_at', granularity: 'day' }],
      measures: [{ agg: 'sum', field: 'amount' }, { agg: 'count' }],
      limit: 100_000,
      timezone: 'UTC',
    },
  },
];
