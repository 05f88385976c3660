import Database from 'better-sqlite3';
import {
  CATEGORIES,
  CHANNELS,
  COUNTRIES,
  DISCOUNTS,
  DISCOUNT_WEIGHTS,
  MONTH_SEASONALITY,
  SEGMENTS,
  SEGMENT_WEIGHTS,
  WEEKDAY_SEASONALITY,
  channelWeights,
} from './catalog';
import { Prng } from './prng';

export const SAMPLE_TABLE = 'orders';
/** Bump when the data changes: an older file is then rebuilt, not reused. */
export const SAMPLE_VERSION = 1;

export interface GenerateOptions {
  rows: number;
  seed: number;
  firstDay: string;
  lastDay: string;
}

export const DEFAULT_GENERATE_OPTIONS: GenerateOptions = {
  rows: 300_000,
  seed: 20_210_101,
  firstDay: '2021-01-01',
  lastDay: '2025-12-31',
};

const DAY_MS = 86_400_000;
const YEARLY_GROWTH = 0.28;

const SCHEMA = `
CREATE TABLE ${SAMPLE_TABLE} (
  order_id INTEGER NOT NULL,
  order_date DATE NOT NULL,
  ordered_at TIMESTAMP NOT NULL,
  country TEXT NOT NULL,
  country_name TEXT NOT NULL,
  region TEXT NOT NULL,
  city TEXT NOT NULL,
  category TEXT NOT NULL,
  product TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  unit_price DECIMAL(10, 2) NOT NULL,
  amount DECIMAL(12, 2) NOT NULL,
  discount DECIMAL(4, 2) NOT NULL,
  cost DECIMAL(12, 2) NOT NULL,
  returned BOOLEAN NOT NULL,
  customer_segment TEXT NOT NULL,
  channel TEXT NOT NULL
);
CREATE TABLE sample_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);`;

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Rows per day, summing exactly to `total`: growth over the years times seasonality. */
function rowsPerDay(first: number, days: number, total: number): number[] {
  const weights: number[] = [];
  for (let d = 0; d < days; d++) {
    const date = new Date(first + d * DAY_MS);
    const years = d / 365.25;
    weights.push(
      Math.pow(1 + YEARLY_GROWTH, years) *
        MONTH_SEASONALITY[date.getUTCMonth()]! *
        WEEKDAY_SEASONALITY[date.getUTCDay()]!,
    );
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts: number[] = [];
  let carried = 0;
  let assigned = 0;
  for (const w of weights) {
    carried += (w / sum) * total;
    const n = Math.round(carried) - assigned;
    counts.push(n);
    assigned += n;
  }
  return counts;
}

/** Seconds into the day: few orders at night, most in the afternoon and evening (UTC). */
function secondOfDay(rng: Prng): number {
  const hour = rng.weighted(
    Array.from({ length: 24 }, (_, h) => h),
    [1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 2, 3.5, 4.5, 5, 5.5, 6, 6, 5.5, 5.5, 5.5, 6, 6.5, 7, 6.5, 5, 3.5, 2],
  );
  return hour * 3600 + rng.int(0, 3599);
}

/**
 * Writes the sample `orders` table (one row per order line) into a new SQLite file.
 * One transaction and one prepared insert: a few hundred thousand rows take about a second.
 */
export function generateOrders(file: string, options: GenerateOptions = DEFAULT_GENERATE_OPTIONS): void {
  const rng = new Prng(options.seed);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(SCHEMA);
    const insert = db.prepare(
      `INSERT INTO ${SAMPLE_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const first = Date.parse(`${options.firstDay}T00:00:00Z`);
    const days = Math.round((Date.parse(`${options.lastDay}T00:00:00Z`) - first) / DAY_MS) + 1;
    const perDay = rowsPerDay(first, days, options.rows);
    const countryWeights = COUNTRIES.map((c) => c.weight);
    const categoryWeights = CATEGORIES.map((c) => c.weight);

    db.transaction(() => {
      let orderId = 100_000;
      for (let d = 0; d < days; d++) {
        const dayStart = first + d * DAY_MS;
        const date = new Date(dayStart);
        const month = date.getUTCMonth();
        const yearIndex = date.getUTCFullYear() - new Date(first).getUTCFullYear();
        const holiday = month >= 10;
        let left = perDay[d]!;
        while (left > 0) {
          // An order: one customer, place, channel and moment; one to four lines.
          orderId++;
          const lines = Math.min(left, rng.weighted([1, 2, 3, 4], [55, 25, 13, 7]));
          left -= lines;
          const country = rng.weighted(COUNTRIES, countryWeights);
          const city = rng.pick(country.cities);
          const segment = rng.weighted(SEGMENTS, SEGMENT_WEIGHTS);
          const channel = rng.weighted(CHANNELS, channelWeights(yearIndex));
          const at = new Date(dayStart + secondOfDay(rng) * 1000).toISOString();
          const orderedAt = `${at.slice(0, 10)} ${at.slice(11, 19)}`;
          const orderDate = at.slice(0, 10);
          for (let l = 0; l < lines; l++) {
            const category = rng.weighted(
              CATEGORIES,
              CATEGORIES.map((c, i) => categoryWeights[i]! * (holiday ? c.holidayBoost : 1)),
            );
            const product = rng.pick(category.products);
            const quantity =
              segment === 'Consumer' ? rng.weighted([1, 2, 3, 4], [70, 20, 7, 3]) : rng.int(1, product.price > 300 ? 4 : 12);
            // Prices drift up a few percent a year, and vary a little around the list price.
            const unitPrice = round2(product.price * (1 + 0.03 * yearIndex) * (1 + 0.04 * rng.normal()));
            const discount = rng.weighted(DISCOUNTS, DISCOUNT_WEIGHTS);
            const amount = round2(quantity * unitPrice * (1 - discount));
            const cost = round2(quantity * unitPrice * category.costRatio * (1 + 0.03 * rng.normal()));
            const returned = rng.next() < category.returnRate ? 1 : 0;
            insert.run(
              orderId, orderDate, orderedAt, country.code, country.name, country.region, city,
              category.name, product.name, quantity, unitPrice, amount, discount, cost, returned, segment, channel,
            );
          }
        }
      }
      const info = db.prepare('INSERT INTO sample_info VALUES (?, ?)');
      info.run('version', String(SAMPLE_VERSION));
      info.run('rows', String(options.rows));
      info.run('seed', String(options.seed));
    })();
  } finally {
    db.close();
  }
}
