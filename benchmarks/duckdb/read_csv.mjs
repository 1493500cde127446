// Times DuckDB's read_csv on the same generated ticket summary CSV that our reader is measured on
// (docs/performance-ingest.md). Usage: node read_csv.mjs FILE [threads] [repeats] [mode]
// mode "table" (default): every column is parsed into its type and materialised in an in-memory table, as our reader
//   builds typed rows; the column types are given, so no time goes into DuckDB's type sniffing.
// mode "scan": the same typed parse, aggregated instead of stored (every column is touched, nothing is kept).
// mode "text": every column read as VARCHAR and aggregated: DuckDB's tokenizer without date or number parsing.
import { DuckDBInstance } from '@duckdb/node-api';
import { statSync } from 'node:fs';

const [file, threadsArg, repeatsArg, modeArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node read_csv.mjs FILE [threads] [repeats] [table|scan|text]');
  process.exit(2);
}

const threads = threadsArg ?? '2';
const repeats = Number(repeatsArg ?? '3');
const mode = modeArg ?? 'table';
const bytes = statSync(file).size;
const columns = `{
  'id': 'VARCHAR', 'created_at': 'TIMESTAMPTZ', 'first_reply_at': 'TIMESTAMPTZ', 'solved_at': 'TIMESTAMPTZ',
  'reopens': 'INTEGER', 'agent_replies': 'INTEGER', 'priority': 'VARCHAR', 'channel': 'VARCHAR', 'team': 'VARCHAR',
  'agent': 'VARCHAR', 'customer': 'VARCHAR', 'language': 'VARCHAR', 'satisfaction': 'INTEGER'}`;
const path = file.replaceAll("'", "''");
const names = ['id', 'created_at', 'first_reply_at', 'solved_at', 'reopens', 'agent_replies', 'priority', 'channel',
  'team', 'agent', 'customer', 'language', 'satisfaction'];
const textColumns = `{${names.map((n) => `'${n}': 'VARCHAR'`).join(', ')}}`;
const source = (types) =>
  `read_csv('${path}', header = true, delim = ',', quote = '"', escape = '"', columns = ${types})`;
const aggregate = names.map((n) => `count(${n})`).join(', ');
const statement = {
  table: `CREATE TABLE tickets AS SELECT * FROM ${source(columns)}`,
  scan: `SELECT count(*), ${aggregate} FROM ${source(columns)}`,
  text: `SELECT count(*), ${aggregate} FROM ${source(textColumns)}`,
}[mode];
if (!statement) {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}

const instance = await DuckDBInstance.create(':memory:', { threads });
const connection = await instance.connect();
const version = (await connection.runAndReadAll('SELECT version()')).getRows()[0][0];
for (let i = 0; i < repeats; i++) {
  await connection.run('DROP TABLE IF EXISTS tickets');
  const cpuStart = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await connection.runAndReadAll(statement);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rows = Number(mode === 'table'
    ? (await connection.runAndReadAll('SELECT count(*) FROM tickets')).getRows()[0][0]
    : result.getRows()[0][0]);
  console.log(JSON.stringify({
    engine: `duckdb ${version}`, mode, threads: Number(threads), rows, bytes, seconds: Number(seconds.toFixed(3)), cpu_seconds: Number(cpuSeconds.toFixed(3)),
    mb_per_s: Number((bytes / seconds / 1e6).toFixed(1)), rows_per_s: Math.round(rows / seconds),
  }));
}
connection.closeSync();
