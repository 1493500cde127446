// The DuckDB side of the KPI report benchmark (docs/performance.md): the facts table's columns as exported by
// `Utendaji.Benchmarks run export-facts`, and the two queries timed against `utendaji report`.
export const columns = `{
  'team': 'VARCHAR', 'channel': 'VARCHAR', 'created_us': 'BIGINT', 'solved_us': 'BIGINT',
  'frb': 'DOUBLE', 'frc': 'DOUBLE', 'rb': 'DOUBLE', 'rc': 'DOUBLE', 'reopens': 'INTEGER', 'fcr': 'INTEGER',
  'satisfaction': 'INTEGER', 'sla_fr_met': 'INTEGER', 'sla_fr_breached': 'INTEGER', 'sla_nr_met': 'INTEGER',
  'sla_nr_breached': 'INTEGER', 'sla_res_met': 'INTEGER', 'sla_res_breached': 'INTEGER'}`;

// Only what the target names: exact median and p90 of first reply time (business and calendar) per team × channel × week.
export const quantilesOnly = `
SELECT team, channel, date_trunc('week', make_timestamp(created_us)) AS week,
       quantile_cont(frb, [0.5, 0.9]) AS first_reply_business, quantile_cont(frc, [0.5, 0.9]) AS first_reply_calendar
FROM facts GROUP BY ALL ORDER BY ALL`;

// The figures our report computes per group and week (backlog aside): the arrival cohort by creation week, the
// solve cohort by solve week, each duration with n, mean, median and p90, each rate with its n.
export const fullReport = `
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
