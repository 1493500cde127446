// The KPI report's figures per team × channel × ISO week computed by DuckDB over its own table, to compare with
// `utendaji report --by team,channel --period week` over the same tickets (docs/performance-report.md).
// Usage: node kpi_quantiles.mjs FACTS.csv [threads] [repeats]
// FACTS.csv is written by `Utendaji.Benchmarks run export-facts DB FILE`. Loading the CSV into the table is not
// timed; only the queries are. quantile_cont is Hyndman–Fan type 7 (linear), the report's default definition.
import { DuckDBInstance } from '@duckdb/node-api';
import { columns, quantilesOnly, fullReport } from './queries.mjs';

const [file, threadsArg, repeatsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node kpi_quantiles.mjs FACTS.csv [threads] [repeats]');
  process.exit(2);
}

const threads = threadsArg ?? '2';
const repeats = Number(repeatsArg ?? '3');
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
