// DuckDB peer of bench/dashboard_bench: loads the exported facts into an
// in-memory DuckDB table (sorted by watch and time, so zone maps prune) and
// answers each query with the GROUP BY a dashboard would send, timing each.
// Prints {"version","threads","load_s","rows","ms":[...],"checksums":[...]}.
//   node peer.mjs FACTS.csv QUERIES.jsonl
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [factsPath, queriesPath] = process.argv.slice(2);
const DAY = 86400000, HOUR = 3600000, YEAR_AGO = 364 * DAY;
const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
const t0 = performance.now();
await db.run(`CREATE TABLE facts AS SELECT * FROM read_csv('${factsPath}', header = true,
  columns = {'w': 'BIGINT', 't': 'BIGINT', 'channel': 'VARCHAR', 'country': 'VARCHAR', 'cls': 'INTEGER',
             'reach': 'BIGINT', 'eng': 'BIGINT'}) ORDER BY w, t`);
const loadS = (performance.now() - t0) / 1000;
const rows = Number((await db.runAndReadAll('SELECT count(*) FROM facts')).getRows()[0][0]);
const version = (await db.runAndReadAll('SELECT version()')).getRows()[0][0];
const threads = (await db.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0];

const figures = 'count(*) AS n, sum(CASE WHEN cls = 1 THEN 1 ELSE 0 END) AS pos, ' +
  'sum(CASE WHEN cls = 2 THEN 1 ELSE 0 END) AS neg, sum(CASE WHEN cls = 0 THEN 1 ELSE 0 END) AS neu, ' +
  'sum(reach) AS reach, sum(eng) AS eng';

function sqlFor(q) {
  const w = q.watches[0];
  switch (q.kind) {
    case 'volume_day':
    case 'volume_hour': {
      const width = q.kind === 'volume_day' ? DAY : HOUR;
      return [`SELECT t // ${width} AS b, ${figures} FROM facts WHERE w = ${w} AND t >= ${q.from} AND t < ${q.to}
               GROUP BY b ORDER BY b`];
    }
    case 'share_of_voice':
      return [`SELECT w, ${figures} FROM facts WHERE w IN (${q.watches.join(',')}) AND t >= ${q.from}
               AND t < ${q.to} GROUP BY w ORDER BY w`];
    case 'channels':
    case 'countries': {
      const col = q.kind === 'channels' ? 'channel' : 'country';
      return [`SELECT ${col}, ${figures} FROM facts WHERE w = ${w} AND t >= ${q.from} AND t < ${q.to}
               GROUP BY ${col}`];
    }
    case 'volume_filtered':
      return [`SELECT t // ${DAY} AS b, ${figures} FROM facts WHERE w = ${w} AND t >= ${q.from} AND t < ${q.to}
               AND channel = '${q.channel}' AND country = '${q.country}' GROUP BY b ORDER BY b`];
    case 'channels_filtered':
      return [`SELECT channel, ${figures} FROM facts WHERE w = ${w} AND t >= ${q.from} AND t < ${q.to}
               AND country = '${q.country}' GROUP BY channel`];
    case 'comparison': {
      const len = q.to - q.from;
      const period = `CASE WHEN t >= ${q.from} THEN 0 WHEN t >= ${q.from - len} THEN 1 ELSE 2 END`;
      const where = `w = ${w} AND ((t >= ${q.from - len} AND t < ${q.to}) OR
                     (t >= ${q.from - YEAR_AGO} AND t < ${q.to - YEAR_AGO}))`;
      return ['channel', 'country'].map(
          (col) => `SELECT ${period} AS p, ${col}, ${figures} FROM facts WHERE ${where} GROUP BY p, ${col}`);
    }
  }
  throw new Error(`unknown query kind ${q.kind}`);
}

// Overlapping previous and year-ago periods (a range longer than 364 days)
// would be counted once by the CASE above; the bench never draws those.
const queries = readFileSync(queriesPath, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l));
const prepared = queries.map(sqlFor);
for (const sqls of prepared) for (const sql of sqls) await db.runAndReadAll(sql);  // warm
const ms = [], checksums = [];
for (const sqls of prepared) {
  const start = performance.now();
  let sum = 0;
  for (const sql of sqls) {
    const reader = await db.runAndReadAll(sql);
    const cols = reader.columnNames();
    const n = cols.indexOf('n'), pos = cols.indexOf('pos');
    for (const row of reader.getRows()) sum += Number(row[n]) + Number(row[pos] ?? 0);
  }
  ms.push(performance.now() - start);
  checksums.push(sum);
}
console.log(JSON.stringify({ version, threads: String(threads), load_s: loadS, rows, ms, checksums }));
