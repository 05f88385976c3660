import { describe, expect, it } from 'vitest';
import { CONVERTERS, INVALID } from '../csv-values';
import { classifyCell } from '../type-inference';

describe('cell conversion', () => {
  it('keeps 64-bit integers exact as decimal strings', () => {
    expect(['42', '+7', '-0', ' 12 ', '-9223372036854775808', '9223372036854775807'].map(CONVERTERS.bigint)).toEqual([
      '42', '7', '0', '12', '-9223372036854775808', '9223372036854775807',
    ]);
    expect(['1.5', '1e3', '12x', '-9223372036854775809'].map(CONVERTERS.bigint)).toEqual([INVALID, INVALID, INVALID, INVALID]);
  });

  it('reads doubles with decimals and exponents, and refuses what overflows', () => {
    expect(['3.25', '-.5', '6.02e23', '1E-3', '7.'].map(CONVERTERS.double)).toEqual([3.25, -0.5, 6.02e23, 0.001, 7]);
    expect(['1e999', '1,5', 'NaN', '0x10'].map(CONVERTERS.double)).toEqual([INVALID, INVALID, INVALID, INVALID]);
  });

  it('keeps numeric text as written, checked', () => {
    expect(CONVERTERS.numeric('123456789012345678901234567890.000000001')).toBe('123456789012345678901234567890.000000001');
    expect(CONVERTERS.numeric('12.3.4')).toBe(INVALID);
  });

  it('validates calendar dates, leap years included', () => {
    expect(['2024-02-29', '2000-02-29'].map(CONVERTERS.date)).toEqual(['2024-02-29', '2000-02-29']);
    expect(['2023-02-29', '1900-02-29', '2023-04-31', '2023-13-01', '2023-1-5'].map(CONVERTERS.date)).toEqual([
      INVALID, INVALID, INVALID, INVALID, INVALID,
    ]);
  });

  it('normalizes timestamps to UTC, keeping microseconds', () => {
    expect(CONVERTERS.timestamptz('2024-03-31T01:30:00.5+0200')).toBe('2024-03-30T23:30:00.5Z');
    expect(CONVERTERS.timestamptz('2024-12-31 23:30:00-01:00')).toBe('2025-01-01T00:30:00Z');
    expect(CONVERTERS.timestamptz('2024-01-01T00:00:00.1234567Z')).toBe('2024-01-01T00:00:00.123456Z');
    expect(['2024-01-01T24:00', '2024-02-30T10:00', '2024-01-01T10:00+25:00', 'yesterday'].map(CONVERTERS.timestamptz)).toEqual([
      INVALID, INVALID, INVALID, INVALID,
    ]);
  });

  it('treats an empty field as null in every type, and blanks as null outside text', () => {
    for (const convert of Object.values(CONVERTERS)) expect(convert('')).toBeNull();
    expect(CONVERTERS.bigint('   ')).toBeNull();
    expect(CONVERTERS.text('   ')).toBe('   ');
  });

  it('guesses only the types it is sure of', () => {
    expect(['12', '1.5', 'TRUE', 'f', '2024-01-01', '2024-01-01 10:00', '0012', 'yes', '1,5', ''].map(classifyCell)).toEqual([
      'bigint', 'double', 'boolean', 'boolean', 'date', 'timestamptz', 'text', 'text', 'text', 'empty',
    ]);
  });
});
