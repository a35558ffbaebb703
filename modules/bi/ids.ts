// Id prefixes of BI records (declared in the manifest; unique across modules). `qry_` names a
// query result, which is never stored.
export const BI_IDS = {
  dashboard: 'dash',
  card: 'card',
  dataset: 'ds',
  report: 'rpt',
  metric: 'met',
  query: 'qry',
  export: 'exp',
  scheduledArtifact: 'sched',
} as const;
