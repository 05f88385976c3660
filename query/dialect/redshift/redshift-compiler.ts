/**
 * Redshift, a PostgreSQL flavour: `numeric` without precision means (18,0) and `text` means
 * VARCHAR(256) there, it orders text in binary already and has no COLLATE "C", no trim_scale;
 * its CONCAT takes two arguments, so the default `||` chain stays.
 */
import { raw, sql, type Sql } from '../../compiler/sql-fragment';
import { PostgresCompiler } from '../postgres/postgres-compiler';

export class RedshiftCompiler extends PostgresCompiler {
  protected override numericType = 'DECIMAL(38,16)';
  protected override textType = 'VARCHAR(65535)';

  override textOrder(e: Sql): Sql {
    return e;
  }
  override numberToText(x: Sql): Sql {
    const t = sql`CAST(${this.num(x)} AS VARCHAR)`;
    return sql`REGEXP_REPLACE(REGEXP_REPLACE(${t}, '(\\.[0-9]*[1-9])0+$', '\\1'), '\\.0*$', '')`;
  }
  override localTimestamp(ts: Sql, offset: Sql | number): Sql {
    const utc = sql`(${ts} AT TIME ZONE 'UTC')`;
    return offset === 0 ? utc : sql`DATEADD(second, ${typeof offset === 'number' ? raw(String(offset)) : offset}, ${utc})`;
  }
}
