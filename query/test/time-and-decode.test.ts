import { describe, expect, it } from 'vitest';
import { canonicalZone, createRowDecoder, sqliteFunctions } from '../index';
import { roundDecimal } from '../dialect/sqlite/sqlite-functions';
import { plainDecimal } from '../formula/numbers';
import { parseTimestampValue } from '../time/time-values';
import { offsetSecondsAt, zoneSteps } from '../time/zone';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('time zones', () => {
  it('accepts IANA names and links, refuses anything else', () => {
    expect(canonicalZone('Europe/Paris')).toBe('Europe/Paris');
    expect(canonicalZone('US/Eastern')).toBe('America/New_York');
    expect(canonicalZone('Etc/UTC')).toBe('UTC');
    for (const bad of ['+02:00', 'CET-1CEST', 'Mars/Base', '', "UTC'--"]) expect(canonicalZone(bad)).toBeNull();
  });

  it('derives transitions from the platform data', () => {
    const { at, offsets } = zoneSteps('Europe/Paris');
    const i = at.indexOf(Date.UTC(2024, 2, 31, 1) / 1000);
    expect(i).toBeGreaterThan(0);
    expect([offsets[i], offsets[i + 1]]).toEqual([3600, 7200]);
    expect(at).toContain(Date.UTC(2024, 9, 27, 1) / 1000);
    expect(zoneSteps('UTC')).toEqual({ at: [], offsets: [0] });
    expect(offsetSecondsAt('Asia/Kathmandu', Date.UTC(2024, 0, 1))).toBe(5 * 3600 + 45 * 60);
  });

  it('reads filter timestamps: instants with Z or offset, wall-clock times in the zone otherwise', () => {
    const P = 'Europe/Paris';
    expect(iso(parseTimestampValue('2024-01-15T10:00:00Z', P))).toBe('2024-01-15T10:00:00.000Z');
    expect(iso(parseTimestampValue('2024-01-15T10:00:00+05:30', P))).toBe('2024-01-15T04:30:00.000Z');
    expect(iso(parseTimestampValue('2024-01-15', P))).toBe('2024-01-14T23:00:00.000Z');
    expect(iso(parseTimestampValue('2024-07-15 10:00:00.250', P))).toBe('2024-07-15T08:00:00.250Z');
    // The hour repeated when clocks go back: the earlier instant.
    expect(iso(parseTimestampValue('2024-10-27T02:30', P))).toBe('2024-10-27T00:30:00.000Z');
    // The hour skipped when clocks go forward: moved forward by the gap.
    expect(iso(parseTimestampValue('2024-03-31T02:30', P))).toBe('2024-03-31T01:30:00.000Z');
    for (const bad of ['2024-02-30', '2024-01-15T25:00', 'tomorrow', '2024-1-5']) expect(parseTimestampValue(bad, P)).toBeNull();
  });
});

describe('decimals', () => {
  it('writes plain decimals', () => {
    expect(['1e3', '.5', '1.5e-3', '0012.50', '-0', '1e21', '-2.5E+2'].map(plainDecimal)).toEqual(['1000', '0.5', '0.0015', '12.50', '0', '1000000000000000000000', '-250']);
  });

  it('rounds half away from zero on the shortest decimal form', () => {
    expect(roundDecimal(12.35, 1)).toBe(12.4);
    expect(roundDecimal(-12.35, 1)).toBe(-12.4);
    expect(roundDecimal(1.005, 2)).toBe(1.01);
    expect(roundDecimal(2.5, 0)).toBe(3);
    expect(roundDecimal(-2.5, 0)).toBe(-3);
    expect(roundDecimal(150, -2)).toBe(200);
    expect(roundDecimal(149, -2)).toBe(100);
    expect(roundDecimal(-0.4, 0)).toBe(0);
    expect(roundDecimal(0.1 + 0.2, 15)).toBe(0.3);
    expect(roundDecimal(1e-7, 8)).toBe(1e-7);
  });
});

describe('SQLite functions', () => {
  const f = sqliteFunctions;
  it('maps case on all of Unicode, one code point to one', () => {
    expect(f.sl_upper!('élan Ωmega straße')).toBe('ÉLAN ΩMEGA STRAßE');
    expect(f.sl_lower!('ÉLAN ΩMEGA Ü')).toBe('élan ωmega ü');
    expect(f.sl_upper!(null)).toBeNull();
  });
  it('writes numbers in their shortest form and gives UTC offsets', () => {
    expect([12.5, 3, 0.1 + 0.2, 1e21, -0.000001].map((n) => f.sl_number_text!(n))).toEqual(['12.5', '3', '0.30000000000000004', '1000000000000000000000', '-0.000001']);
    expect(f.sl_utc_offset!(Date.UTC(2024, 6, 1), 'Europe/Paris')).toBe(7200);
    expect(f.sl_utc_offset!(Date.UTC(2024, 2, 31, 1), 'Europe/Paris')).toBe(7200);
    expect(f.sl_utc_offset!(Date.UTC(2024, 2, 31, 1) - 1, 'Europe/Paris')).toBe(3600);
    expect(f.sl_utc_offset!(null, 'Europe/Paris')).toBeNull();
  });
});

describe('row decoder', () => {
  const columns = [
    { name: 'n', type: 'number' }, { name: 'b', type: 'boolean' }, { name: 'd', type: 'date' },
    { name: 't', type: 'timestamp' }, { name: 's', type: 'string' },
  ] as const;
  it('decodes what each driver hands back', () => {
    const decode = createRowDecoder('postgres', [...columns]);
    expect(decode(['1520.50', 't', '2024-01-01', '2024-01-01T10:00:00.000Z', 'x'])).toEqual([1520.5, true, '2024-01-01', '2024-01-01T10:00:00.000Z', 'x']);
    expect(decode([12n, 0, '2024-01-01 00:00:00', '2024-01-01 10:00:00.5', Buffer.from('é')])).toEqual([12, false, '2024-01-01', '2024-01-01T10:00:00.500Z', 'é']);
    expect(decode([null, null, null, null, null])).toEqual([null, null, null, null, null]);
    expect(decode([3, 'f', new Date(Date.UTC(2024, 1, 29)), new Date(Date.UTC(2024, 1, 29, 1)), 5])).toEqual([3, false, '2024-02-29', '2024-02-29T01:00:00.000Z', '5']);
  });
});
