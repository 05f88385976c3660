/**
 * The exact SQL and parameters per dialect for representative queries. Each expectation was
 * read and checked by hand; the same queries run on real databases in real-databases.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../index';
import type { Dialect, SourceColumn, SqlParam } from '../types';

const columns: SourceColumn[] = [{"name":"country","type":"string","nativeType":"text"},{"name":"sales","type":"number","nativeType":"numeric"},{"name":"at","type":"timestamp","nativeType":"timestamptz"}];
const formulas = [{"name":"margin","expression":"ROUND(SUM([sales]) / COUNT(), 2)"},{"name":"label","expression":"CONCAT(UPPER([country]), ' ', [sales])"}];

const cases: { name: string; query: unknown; expected: Record<Dialect, { sql: string; params: SqlParam[] }> }[] = [
  {
    name: "a grouped query with a filter",
    query: {"dimensions":["country"],"measures":[{"agg":"sum","field":"sales"}],"filters":[{"field":"sales","op":"gte","value":100.5}]},
    expected: {
      postgres: {
        sql: "SELECT \"d0\" AS \"o0\", \"m0\" AS \"o1\" FROM (SELECT \"d0\" AS \"d0\", SUM(\"a0\") AS \"m0\" FROM (SELECT \"src\".\"country\" AS \"d0\", \"src\".\"sales\" AS \"a0\" FROM \"sales\".\"orders\" AS \"src\" WHERE (\"src\".\"sales\" >= CAST($1 AS numeric))) AS \"r\" GROUP BY \"d0\") AS \"g\" ORDER BY (\"d0\" COLLATE \"C\") ASC NULLS FIRST LIMIT 10000",
        params: ["100.5"],
      },
      mysql: {
        sql: "SELECT `d0` AS `o0`, `m0` AS `o1` FROM (SELECT `d0` AS `d0`, SUM(`a0`) AS `m0` FROM (SELECT (CONVERT(`src`.`country` USING utf8mb4) COLLATE utf8mb4_nopad_bin) AS `d0`, `src`.`sales` AS `a0` FROM `sales`.`orders` AS `src` WHERE (`src`.`sales` >= CAST(? AS DECIMAL(65,1)))) AS `r` GROUP BY `d0`) AS `g` ORDER BY `d0` ASC LIMIT 10000",
        params: ["100.5"],
      },
      sqlite: {
        sql: "SELECT \"d0\" AS \"o0\", \"m0\" AS \"o1\" FROM (SELECT \"d0\" AS \"d0\", sl_sum(SUM(\"a0\")) AS \"m0\" FROM (SELECT (\"src\".\"country\" COLLATE BINARY) AS \"d0\", \"src\".\"sales\" AS \"a0\" FROM \"sales\".\"orders\" AS \"src\" WHERE (\"src\".\"sales\" >= ?)) AS \"r\" GROUP BY \"d0\") AS \"g\" ORDER BY \"d0\" ASC LIMIT 10000",
        params: [100.5],
      },
      redshift: {
        sql: "SELECT \"d0\" AS \"o0\", \"m0\" AS \"o1\" FROM (SELECT \"d0\" AS \"d0\", SUM(\"a0\") AS \"m0\" FROM (SELECT \"src\".\"country\" AS \"d0\", \"src\".\"sales\" AS \"a0\" FROM \"sales\".\"orders\" AS \"src\" WHERE (\"src\".\"sales\" >= CAST($1 AS DECIMAL(38,16)))) AS \"r\" GROUP BY \"d0\") AS \"g\" ORDER BY \"d0\" ASC NULLS FIRST LIMIT 10000",
        params: ["100.5"],
      },
    },
  },
  {
    name: "raw rows with contains, order, limit and offset",
    query: {"filters":[{"field":"country","op":"contains","value":"it's"}],"orderBy":[{"field":"sales","dir":"desc"}],"limit":5,"offset":10},
    expected: {
      postgres: {
        sql: "SELECT \"src\".\"country\" AS \"o0\", \"src\".\"sales\" AS \"o1\", to_char(CAST(\"src\".\"at\" AS timestamptz) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS \"o2\" FROM \"sales\".\"orders\" AS \"src\" WHERE (STRPOS(\"src\".\"country\", CAST($1 AS text)) > 0) ORDER BY \"src\".\"sales\" DESC NULLS LAST LIMIT 5 OFFSET 10",
        params: ["it's"],
      },
      mysql: {
        sql: "SELECT (CONVERT(`src`.`country` USING utf8mb4) COLLATE utf8mb4_nopad_bin) AS `o0`, `src`.`sales` AS `o1`, CONCAT(LEFT(DATE_FORMAT(`src`.`at`, '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z') AS `o2` FROM `sales`.`orders` AS `src` WHERE (LOCATE((CONVERT(? USING utf8mb4) COLLATE utf8mb4_nopad_bin), (CONVERT(`src`.`country` USING utf8mb4) COLLATE utf8mb4_nopad_bin)) > 0) ORDER BY `src`.`sales` DESC LIMIT 5 OFFSET 10",
        params: ["it's"],
      },
      sqlite: {
        sql: "SELECT (\"src\".\"country\" COLLATE BINARY) AS \"o0\", \"src\".\"sales\" AS \"o1\", STRFTIME('%Y-%m-%dT%H:%M:%fZ', CAST(ROUND(UNIXEPOCH(\"src\".\"at\", 'subsec') * 1000) AS INTEGER) / 1000.0, 'unixepoch') AS \"o2\" FROM \"sales\".\"orders\" AS \"src\" WHERE (INSTR((\"src\".\"country\" COLLATE BINARY), ?) > 0) ORDER BY \"src\".\"sales\" DESC LIMIT 5 OFFSET 10",
        params: ["it's"],
      },
      redshift: {
        sql: "SELECT \"src\".\"country\" AS \"o0\", \"src\".\"sales\" AS \"o1\", to_char(CAST(\"src\".\"at\" AS timestamptz) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS \"o2\" FROM \"sales\".\"orders\" AS \"src\" WHERE (STRPOS(\"src\".\"country\", CAST($1 AS VARCHAR(65535))) > 0) ORDER BY \"src\".\"sales\" DESC NULLS LAST LIMIT 5 OFFSET 10",
        params: ["it's"],
      },
    },
  },
  {
    name: "formulas, having and order by an aggregate formula",
    query: {"dimensions":["label"],"measures":[{"formula":"margin"}],"having":[{"field":"margin","op":"gt","value":1}],"orderBy":[{"field":"margin","dir":"desc"}]},
    expected: {
      postgres: {
        sql: "SELECT \"d0\" AS \"o0\", \"m0\" AS \"o1\" FROM (SELECT \"d0\" AS \"d0\", ROUND(CAST((CAST(SUM(\"a0\") AS numeric) / NULLIF(CAST(COUNT(*) AS numeric), 0)) AS numeric), CAST(CAST($1 AS bigint) AS INTEGER)) AS \"m0\" FROM (SELECT (COALESCE(UPPER(\"src\".\"country\"), '') || COALESCE(CAST($2 AS text), '') || COALESCE(CAST(trim_scale(CAST(\"src\".\"sales\" AS numeric)) AS text), '')) AS \"d0\", \"src\".\"sales\" AS \"a0\" FROM \"sales\".\"orders\" AS \"src\") AS \"r\" GROUP BY \"d0\") AS \"g\" WHERE (\"m0\" > CAST($3 AS bigint)) ORDER BY \"m0\" DESC NULLS LAST, (\"d0\" COLLATE \"C\") ASC NULLS FIRST LIMIT 10000",
        params: ["2"," ","1"],
      },
      mysql: {
        sql: "SELECT `d0` AS `o0`, `m0` AS `o1` FROM (SELECT `d0` AS `d0`, ROUND(CAST((CAST(SUM(`a0`) AS DECIMAL(65,30)) / NULLIF(COUNT(*), 0)) AS DECIMAL(65,30)), CAST(CAST(? AS SIGNED) AS SIGNED)) AS `m0` FROM (SELECT (CONVERT(CONCAT(COALESCE(UPPER((CONVERT(`src`.`country` USING utf8mb4) COLLATE utf8mb4_nopad_bin)), ''), COALESCE((CONVERT(? USING utf8mb4) COLLATE utf8mb4_nopad_bin), ''), COALESCE(TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM CAST(CAST(`src`.`sales` AS DECIMAL(65,30)) AS CHAR))), '')) USING utf8mb4) COLLATE utf8mb4_nopad_bin) AS `d0`, `src`.`sales` AS `a0` FROM `sales`.`orders` AS `src`) AS `r` GROUP BY `d0`) AS `g` WHERE (`m0` > CAST(? AS SIGNED)) ORDER BY `m0` DESC, `d0` ASC LIMIT 10000",
        params: ["2"," ","1"],
      },
      sqlite: {
        sql: "SELECT \"d0\" AS \"o0\", \"m0\" AS \"o1\" FROM (SELECT \"d0\" AS \"d0\", sl_round(sl_div(sl_sum(SUM(\"a0\")), COUNT(*)), ?) AS \"m0\" FROM (SELECT (COALESCE(sl_upper((\"src\".\"country\" COLLATE BINARY)), '') || COALESCE(?, '') || COALESCE(sl_number_text(\"src\".\"sales\"), '')) AS \"d0\", \"src\".\"sales\" AS \"a0\" FROM \"sales\".\"orders\" AS \"src\") AS \"r\" GROUP BY \"d0\") AS \"g\" WHERE (\"m0\" > ?) ORDER BY \"m0\" DESC, \"d0\" ASC LIMIT 10000",
        params: [2," ",1],
      },
      redshift: {
        sql: "SELECT \"d0\" AS \"o0\", \"m0\" AS \"o1\" FROM (SELECT \"d0\" AS \"d0\", ROUND(CAST((CAST(SUM(\"a0\") AS DECIMAL(38,16)) / NULLIF(CAST(COUNT(*) AS DECIMAL(38,16)), 0)) AS DECIMAL(38,16)), CAST(CAST($1 AS bigint) AS INTEGER)) AS \"m0\" FROM (SELECT (COALESCE(UPPER(\"src\".\"country\"), '') || COALESCE(CAST($2 AS VARCHAR(65535)), '') || COALESCE(REGEXP_REPLACE(REGEXP_REPLACE(CAST(CAST(\"src\".\"sales\" AS DECIMAL(38,16)) AS VARCHAR), '(\\.[0-9]*[1-9])0+$', '\\1'), '\\.0*$', ''), '')) AS \"d0\", \"src\".\"sales\" AS \"a0\" FROM \"sales\".\"orders\" AS \"src\") AS \"r\" GROUP BY \"d0\") AS \"g\" WHERE (\"m0\" > CAST($3 AS bigint)) ORDER BY \"m0\" DESC NULLS LAST, \"d0\" ASC NULLS FIRST LIMIT 10000",
        params: ["2"," ","1"],
      },
    },
  },
  {
    name: "a week bucket and a timestamp filter",
    query: {"dimensions":[{"field":"at","granularity":"week"}],"measures":[{"agg":"count"}],"filters":[{"field":"at","op":"lt","value":"2024-01-01T00:00:00Z"}]},
    expected: {
      postgres: {
        sql: "SELECT to_char(\"d0\", 'YYYY-MM-DD') AS \"o0\", \"m0\" AS \"o1\" FROM (SELECT \"d0\" AS \"d0\", COUNT(*) AS \"m0\" FROM (SELECT CAST(DATE_TRUNC('week', CAST(CAST((CAST(\"src\".\"at\" AS timestamptz) AT TIME ZONE 'UTC') AS date) AS timestamp)) AS date) AS \"d0\" FROM \"sales\".\"orders\" AS \"src\" WHERE (CAST(\"src\".\"at\" AS timestamptz) < CAST($1 AS timestamptz))) AS \"r\" GROUP BY \"d0\") AS \"g\" ORDER BY \"d0\" ASC NULLS FIRST LIMIT 10000",
        params: ["2024-01-01T00:00:00.000Z"],
      },
      mysql: {
        sql: "SELECT DATE_FORMAT(`d0`, '%Y-%m-%d') AS `o0`, `m0` AS `o1` FROM (SELECT `d0` AS `d0`, COUNT(*) AS `m0` FROM (SELECT DATE_SUB(DATE(`src`.`at`), INTERVAL WEEKDAY(DATE(`src`.`at`)) DAY) AS `d0` FROM `sales`.`orders` AS `src` WHERE (`src`.`at` < CAST(? AS DATETIME(3)))) AS `r` GROUP BY `d0`) AS `g` ORDER BY `d0` ASC LIMIT 10000",
        params: ["2024-01-01 00:00:00.000"],
      },
      sqlite: {
        sql: "SELECT \"d0\" AS \"o0\", \"m0\" AS \"o1\" FROM (SELECT \"d0\" AS \"d0\", COUNT(*) AS \"m0\" FROM (SELECT DATE(DATE(CAST(ROUND(UNIXEPOCH(\"src\".\"at\", 'subsec') * 1000) AS INTEGER) / 1000.0, 'unixepoch'), 'weekday 0', '-6 days') AS \"d0\" FROM \"sales\".\"orders\" AS \"src\" WHERE (CAST(ROUND(UNIXEPOCH(\"src\".\"at\", 'subsec') * 1000) AS INTEGER) < ?)) AS \"r\" GROUP BY \"d0\") AS \"g\" ORDER BY \"d0\" ASC LIMIT 10000",
        params: [1704067200000],
      },
      redshift: {
        sql: "SELECT to_char(\"d0\", 'YYYY-MM-DD') AS \"o0\", \"m0\" AS \"o1\" FROM (SELECT \"d0\" AS \"d0\", COUNT(*) AS \"m0\" FROM (SELECT CAST(DATE_TRUNC('week', CAST(CAST((CAST(\"src\".\"at\" AS timestamptz) AT TIME ZONE 'UTC') AS date) AS timestamp)) AS date) AS \"d0\" FROM \"sales\".\"orders\" AS \"src\" WHERE (CAST(\"src\".\"at\" AS timestamptz) < CAST($1 AS timestamptz))) AS \"r\" GROUP BY \"d0\") AS \"g\" ORDER BY \"d0\" ASC NULLS FIRST LIMIT 10000",
        params: ["2024-01-01T00:00:00.000Z"],
      },
    },
  },
  {
    name: "an hour bucket in a zone with an odd offset",
    query: {"dimensions":[{"field":"at","granularity":"hour"}],"timezone":"Asia/Kolkata","filters":[{"field":"at","op":"gte","value":"2024-01-01"}]},
    expected: {
      postgres: {
        sql: "SELECT to_char(\"d0\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS \"o0\" FROM (SELECT \"d0\" AS \"d0\" FROM (SELECT ((DATE_TRUNC('hour', (CAST(\"src\".\"at\" AS timestamptz) AT TIME ZONE 'UTC') + CASE WHEN CAST(\"src\".\"at\" AS timestamptz) < TIMESTAMPTZ '1905-12-31 18:38:50+00' THEN 1270 ELSE 1800 END * INTERVAL '1 second') - CASE WHEN CAST(\"src\".\"at\" AS timestamptz) < TIMESTAMPTZ '1905-12-31 18:38:50+00' THEN 1270 ELSE 1800 END * INTERVAL '1 second') AT TIME ZONE 'UTC') AS \"d0\" FROM \"sales\".\"orders\" AS \"src\" WHERE (CAST(\"src\".\"at\" AS timestamptz) >= CAST($1 AS timestamptz))) AS \"r\" GROUP BY \"d0\") AS \"g\" ORDER BY \"d0\" ASC NULLS FIRST LIMIT 10000",
        params: ["2023-12-31T18:30:00.000Z"],
      },
      mysql: {
        sql: "SELECT CONCAT(LEFT(DATE_FORMAT(`d0`, '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z') AS `o0` FROM (SELECT `d0` AS `d0` FROM (SELECT DATE_SUB(CAST(DATE_FORMAT(DATE_ADD(`src`.`at`, INTERVAL CASE WHEN `src`.`at` < TIMESTAMP'1905-12-31 18:38:50' THEN 1270 ELSE 1800 END SECOND), '%Y-%m-%d %H:00:00') AS DATETIME), INTERVAL CASE WHEN `src`.`at` < TIMESTAMP'1905-12-31 18:38:50' THEN 1270 ELSE 1800 END SECOND) AS `d0` FROM `sales`.`orders` AS `src` WHERE (`src`.`at` >= CAST(? AS DATETIME(3)))) AS `r` GROUP BY `d0`) AS `g` ORDER BY `d0` ASC LIMIT 10000",
        params: ["2023-12-31 18:30:00.000"],
      },
      sqlite: {
        sql: "SELECT STRFTIME('%Y-%m-%dT%H:%M:%fZ', \"d0\" / 1000.0, 'unixepoch') AS \"o0\" FROM (SELECT \"d0\" AS \"d0\" FROM (SELECT (((CAST(ROUND(UNIXEPOCH(\"src\".\"at\", 'subsec') * 1000) AS INTEGER) + (((sl_utc_offset(CAST(ROUND(UNIXEPOCH(\"src\".\"at\", 'subsec') * 1000) AS INTEGER), ?) % 3600) + 3600) % 3600) * 1000) - ((((CAST(ROUND(UNIXEPOCH(\"src\".\"at\", 'subsec') * 1000) AS INTEGER) + (((sl_utc_offset(CAST(ROUND(UNIXEPOCH(\"src\".\"at\", 'subsec') * 1000) AS INTEGER), ?) % 3600) + 3600) % 3600) * 1000) % 3600000) + 3600000) % 3600000)) - (((sl_utc_offset(CAST(ROUND(UNIXEPOCH(\"src\".\"at\", 'subsec') * 1000) AS INTEGER), ?) % 3600) + 3600) % 3600) * 1000) AS \"d0\" FROM \"sales\".\"orders\" AS \"src\" WHERE (CAST(ROUND(UNIXEPOCH(\"src\".\"at\", 'subsec') * 1000) AS INTEGER) >= ?)) AS \"r\" GROUP BY \"d0\") AS \"g\" ORDER BY \"d0\" ASC LIMIT 10000",
        params: ["Asia/Calcutta","Asia/Calcutta","Asia/Calcutta",1704047400000],
      },
      redshift: {
        sql: "SELECT to_char(\"d0\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS \"o0\" FROM (SELECT \"d0\" AS \"d0\" FROM (SELECT ((DATE_TRUNC('hour', (CAST(\"src\".\"at\" AS timestamptz) AT TIME ZONE 'UTC') + CASE WHEN CAST(\"src\".\"at\" AS timestamptz) < TIMESTAMPTZ '1905-12-31 18:38:50+00' THEN 1270 ELSE 1800 END * INTERVAL '1 second') - CASE WHEN CAST(\"src\".\"at\" AS timestamptz) < TIMESTAMPTZ '1905-12-31 18:38:50+00' THEN 1270 ELSE 1800 END * INTERVAL '1 second') AT TIME ZONE 'UTC') AS \"d0\" FROM \"sales\".\"orders\" AS \"src\" WHERE (CAST(\"src\".\"at\" AS timestamptz) >= CAST($1 AS timestamptz))) AS \"r\" GROUP BY \"d0\") AS \"g\" ORDER BY \"d0\" ASC NULLS FIRST LIMIT 10000",
        params: ["2023-12-31T18:30:00.000Z"],
      },
    },
  },
];

describe('SQL per dialect', () => {
  for (const c of cases) {
    describe(c.name, () => {
      for (const dialect of Object.keys(c.expected) as Dialect[]) {
        it(dialect, () => {
          const compiled = compileQuery({ dialect, source: { kind: 'table', schema: 'sales', table: 'orders' }, columns, formulas, query: c.query });
          expect({ sql: compiled.sql, params: compiled.params }).toEqual(c.expected[dialect]);
        });
      }
    });
  }

  it('wraps a custom SQL source as a subquery, unchanged', () => {
    const compiled = compileQuery({ dialect: 'postgres', source: { kind: 'sql', sql: 'SELECT * FROM t -- all' }, columns, formulas, query: { limit: 1 } });
    expect(compiled.sql).toContain('FROM (\nSELECT * FROM t -- all\n) AS "src" LIMIT 1');
  });

  it('writes a zone with daylight saving as a balanced CASE over its transitions', () => {
    const compiled = compileQuery({ dialect: 'mysql', source: { kind: 'table', table: 'orders' }, columns, formulas, query: { dimensions: [{ field: 'at', granularity: 'day' }], timezone: 'Europe/Paris' } });
    const whens = compiled.sql.match(/WHEN/g)!.length;
    expect(whens).toBeGreaterThan(250);
    expect(whens).toBeLessThan(400);
    expect(compiled.sql).toContain("TIMESTAMP'2024-10-27 01:00:00' THEN 7200 ELSE 3600");
    expect(compiled.params).toEqual([]);
  });
});
