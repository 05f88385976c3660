import type { ConformanceCase } from '../case';
import { aggregateCases } from './aggregates';
import { bulkCases } from './bulk';
import { errorCases } from './errors';
import { formulaCases } from './formulas';
import { operatorCases } from './operators';
import { orderingCases } from './ordering';
import { timeCases } from './time';

/** Every conformance case, by topic. */
export const CASES_BY_TOPIC: Record<string, ConformanceCase[]> = {
  operators: operatorCases,
  aggregates: aggregateCases,
  time: timeCases,
  formulas: formulaCases,
  ordering: orderingCases,
  errors: errorCases,
  bulk: bulkCases,
};
