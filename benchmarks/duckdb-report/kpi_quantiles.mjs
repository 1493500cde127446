// The KPI report's figures per team × channel × ISO week computed by DuckDB over its own table, to compare with
// `utendaji report --by team,channel --period week` over the same tickets (docs/performance-report.md).
// Usage: node kpi_quantiles.mjs FACTS.csv [threads] [repeats]
// FACTS.csv is written by `Utendaji.Benchmarks run export-facts DB FILE`. Loading the CSV into the table is not
// timed; only the queries are. quantile_cont is Hyndman–Fan type 7 (linear), the report's default definition.
import { DuckDBInstance } from '@duckdb/node-api';

const [file, threadsArg, repeatsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node kpi_quantiles.mjs FACTS.csv [threads] [repeats]');
  process.exit(2);
}

const threads = threadsArg ?? '2';
const repeats = Number(repeatsArg ?? '3');
const columns = `{
  'team': 'VARCHAR', 'channel': 'VARCHAR', 'created_us': 'BIGINT', 'solved_us': 'BIGINT',
  'frb': 'DOUBLE', 'frc': 'DOUBLE', 'rb': 'DOUBLE', 'rc': 'DOUBLE', 'reopens': 'INTEGER', 'fcr': 'INTEGER',
  'satisfaction': 'INTEGER', 'sla_fr_met': 'INTEGER', 'sla_fr_breached': 'INTEGER', 'sla_nr_met': 'INTEGER',
  'sla_nr_breached': 'INTEGER', 'sla_res_met': 'INTEGER', 'sla_res_breached': 'INTEGER'}`;

// Only what the target names: exact median and p90 of first reply time (business and calendar) per team × channel × week.
const quantilesOnly = `
SELECT team, channel, date_trunc('week', make_timestamp(created_us)) AS week,
       quantile_cont(frb, [0.5, 0.9]) AS first_reply_business, quantile_cont(frc, [0.5, 0.9]) AS first_reply_calendar
FROM facts GROUP BY ALL ORDER BY ALL`;

// The figures our report computes per group and week (backlog aside): the arrival cohort by creation week, the
// solve cohort by solve week, each duration with n, mean, median and p90, each rate with its n.
const fullReport = `
WITH arrival AS (
  SELECT team, channel, date_trunc('week', make_timestamp(created_us)) AS week, count(*) AS created,
         count(frb) AS fr_n, avg(frb) AS frb_mean, quantile_cont(frb, [0.5, 0.9]) AS frb_q,
         avg(frc) AS frc_mean, quantile_cont(frc, [0.5, 0.9]) AS frc_q,
         sum(sla_fr_met) AS sla_fr_met, sum(sla_fr_met + sla_fr_breached) AS sla_fr_n,
         sum(sla_nr_met) AS sla_nr_met, sum(sla_nr_met + sla_nr_breached) AS sla_nr_n
  FROM facts GROUP BY ALL),
solve AS (
  SELECT team, channel, date_trunc('week', make_timestamp(solved_us)) AS week, count(*) AS solved,
         count(rb) AS res_n, avg(rb) AS rb_mean, quantile_cont(rb, [0.5, 0.9]) AS rb_q,
         avg(rc) AS rc_mean, quantile_cont(rc, [0.5, 0.9]) AS rc_q,
         sum(fcr) AS fcr, count(fcr) AS fcr_n, sum((reopens > 0)::INTEGER) AS reopened,
         sum(sla_res_met) AS sla_res_met, sum(sla_res_met + sla_res_breached) AS sla_res_n,
         sum((satisfaction >= 4)::INTEGER) AS satisfied, count(satisfaction) AS csat_n
  FROM facts WHERE solved_us IS NOT NULL GROUP BY ALL)
SELECT * FROM arrival FULL JOIN solve USING (team, channel, week) ORDER BY ALL`;

const instance = await DuckDBInstance.create(':memory:', { threads });
const connection = await instance.connect();
const version = (await connection.runAndReadAll('SELECT version()')).getRows()[0][0];
await connection.run("SET TimeZone = 'UTC'");
const loadStarted = process.hrtime.bigint();
await connection.run(`CREATE TABLE facts AS SELECT * FROM read_csv('${file.replaceAll("'", "''")}', header = true, columns = ${columns})`);
const loadSeconds = Number(process.hrtime.bigint() - loadStarted) / 1e9;
const rows = Number((await connection.runAndReadAll('SELECT count(*) FROM facts')).getRows()[0][0]);
console.log(JSON.stringify({ engine: `duckdb ${version}`, threads: Number(threads), rows, load_seconds: Number(loadSeconds.toFixed(2)) }));

for (const [name, sql] of [['quantiles_only', quantilesOnly], ['full_report', fullReport]]) {
  for (let i = 0; i < repeats; i++) {
    const started = process.hrtime.bigint();
    const result = await connection.runAndReadAll(sql); // materialised: every result row read
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const out = result.getRows();
    console.log(JSON.stringify({ query: name, run: i + 1, result_rows: out.length, seconds: Number(seconds.toFixed(3)) }));
    if (i === 0 && name === 'quantiles_only') {
      console.log(JSON.stringify({ sample: out[0].map(String) }));
    }
  }
}
