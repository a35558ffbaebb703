// Every benchmark suite, one line each (a module adds its own file under bench/suites/).
// BENCH_ONLY=crm,support runs some of them.
import type { BenchSuite } from './suite.ts';
import { crmBench } from './suites/crm.ts';
import { analyticsBench } from './suites/analytics.ts';
import { assetsBench } from './suites/assets.ts';
import { biBench } from './suites/bi.ts';
import { biExportsBench } from './suites/bi-exports.ts';
import { cmsBench } from './suites/cms.ts';
import { supportBench } from './suites/support.ts';
import { webhooksBench } from './suites/webhooks.ts';
import { httpBench } from './suites/http.ts';
import { conversionsBench } from './suites/conversions.ts';

export const SUITES: Record<string, BenchSuite> = {
  crm: crmBench,
  analytics: analyticsBench,
  assets: assetsBench,
  cms: cmsBench,
  support: supportBench,
  webhooks: webhooksBench,
  bi: biBench,
  'bi-exports': biExportsBench,
  http: httpBench,
  conversions: conversionsBench,
};
