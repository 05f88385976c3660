import type { FormulaDef } from '../../query/types';

/** Formulas defined on the sample datasource, in the query language's formula syntax. */
export const SAMPLE_FORMULAS: readonly FormulaDef[] = [
  { name: 'margin', expression: '[amount] - [cost]' },
  { name: 'margin_rate', expression: 'SUM([amount] - [cost]) / SUM([amount])' },
  { name: 'avg_basket', expression: 'SUM([amount]) / COUNT_DISTINCT([order_id])' },
  { name: 'is_big', expression: '[amount] >= 500' },
  { name: 'net_amount', expression: 'IF([returned], 0, [amount])' },
  { name: 'return_rate', expression: 'SUM(IF([returned], 1, 0)) / COUNT([order_id])' },
];
