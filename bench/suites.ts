// Every benchmark suite, one line each (a module adds its own file under bench/suites/).
// BENCH_ONLY=crm,support runs some of them.
import type { BenchSuite } from './suite.ts';
import { crmBench } from './suites/crm.ts';
import { biBench } from './suites/bi.ts';

export const SUITES: Record<string, BenchSuite> = {
  crm: crmBench,
  bi: biBench,
};
