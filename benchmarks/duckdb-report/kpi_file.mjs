// The counterpart of the whole `utendaji report` command: a DuckDB database file on disk, opened by a fresh
// process that runs the full report once and exits (time the process from outside, e.g. /usr/bin/time).
// Usage: node kpi_file.mjs FACTS.duckdb [FACTS.csv] [threads]
// With FACTS.csv, (re)creates the file's facts table from the CSV and exits: the one-time load, not timed.
import { DuckDBInstance } from '@duckdb/node-api';
import { columns, fullReport } from './queries.mjs';

const [database, csv, threadsArg] = process.argv.slice(2);
if (!database) {
  console.error('usage: node kpi_file.mjs FACTS.duckdb [FACTS.csv] [threads]');
  process.exit(2);
}

const instance = await DuckDBInstance.create(database, { threads: threadsArg ?? '2' });
const connection = await instance.connect();
await connection.run("SET TimeZone = 'UTC'");
if (csv) {
  await connection.run('DROP TABLE IF EXISTS facts');
  await connection.run(`CREATE TABLE facts AS SELECT * FROM read_csv('${csv.replaceAll("'", "''")}', header = true, columns = ${columns})`);
  await connection.run('CHECKPOINT');
  console.log(JSON.stringify({ loaded: csv }));
} else {
  const started = process.hrtime.bigint();
  const rows = (await connection.runAndReadAll(fullReport)).getRows(); // materialised: every result row read
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ query: 'full_report', result_rows: rows.length, seconds: Number(seconds.toFixed(3)) }));
}
