/**
 * Raw driver values to the output contract. The SQL already writes dates and timestamps in
 * their canonical text, so decoding is mostly a type check; the fallbacks cover drivers that
 * hand back Date objects, Buffers or bigints.
 */
import type { Dialect, FieldType, OutputColumn, RawValue } from '../types';

type Decoder = (v: RawValue) => unknown;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

const decoders: Record<FieldType, Decoder> = {
  string: (v) => {
    if (v === null || typeof v === 'string') return v;
    if (Buffer.isBuffer(v)) return v.toString('utf8');
    if (v instanceof Date) return v.toISOString();
    return String(v);
  },
  number: (v) => {
    if (v === null || typeof v === 'number') return v;
    if (typeof v === 'string') return Number(v);
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (Buffer.isBuffer(v)) return Number(v.toString('utf8'));
    return Number(v);
  },
  boolean: (v) => {
    if (v === null || typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'bigint') return v !== 0n;
    if (typeof v === 'string') return v === 't' || v === 'true' || v === '1' || v === 'TRUE';
    if (Buffer.isBuffer(v)) return v.length > 0 && v[0] !== 0 && v[0] !== 0x30;
    return Boolean(v);
  },
  date: (v) => {
    if (v === null) return null;
    if (typeof v === 'string') return v.length === 10 ? v : v.slice(0, 10);
    if (v instanceof Date) return `${pad(v.getUTCFullYear(), 4)}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
    return String(v).slice(0, 10);
  },
  timestamp: (v) => {
    if (v === null) return null;
    if (typeof v === 'string') {
      if (v.length === 24 && v.endsWith('Z')) return v;
      const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v.replace(' ', 'T') : `${v.replace(' ', 'T')}Z`);
      return Number.isNaN(t) ? v : new Date(t).toISOString();
    }
    if (v instanceof Date) return v.toISOString();
    if (typeof v === 'number') return new Date(v).toISOString();
    return String(v);
  },
};

export type RowDecoder = (row: readonly RawValue[]) => unknown[];

/** Builds the per-column decoders once; the returned function runs per row. */
export function createRowDecoder(_dialect: Dialect, columns: readonly OutputColumn[]): RowDecoder {
  const fns = columns.map((c) => decoders[c.type]);
  const n = fns.length;
  return (row) => {
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = fns[i]!(row[i] ?? null);
    return out;
  };
}

/** Decodes one row; prefer createRowDecoder when decoding many. */
export function decodeRow(dialect: Dialect, columns: readonly OutputColumn[], row: readonly RawValue[]): unknown[] {
  return createRowDecoder(dialect, columns)(row);
}
