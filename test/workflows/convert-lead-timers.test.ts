// The convertLead workflow alone (a pure unit: its activities are fakes) in Temporal's time-
// skipping test server: retry backoff that takes real minutes runs in well under a second. This
// is the model the SLA, publishing, retention and retry timers follow. Tests run serially: time
// skips for the whole server, and would expire another test's running activity.
import test from 'ava';
import { fileURLToPath } from 'node:url';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ConversionActivities } from '../../modules/crm/leads/conversion/activities.ts';
import type { ConvertLeadInput } from '../../modules/crm/leads/conversion/types.ts';
import { timeSkippingEnvironment, timeSkippingWorker } from '../helpers/time-skipping.ts';

const workflowsPath = fileURLToPath(new URL('../../modules/crm/leads/conversion/workflow.ts', import.meta.url));
const input: ConvertLeadInput = { workspaceId: 'wrk_t', leadId: 'lead_t', requestId: null, deal: {}, commandId: 'cmd_t' };

let env: TestWorkflowEnvironment;
test.before(async () => { env = await timeSkippingEnvironment(); });
test.after.always(async () => { await env?.teardown(); });

/** Fake steps that record their calls; `overrides` replace some. */
function fakeSteps(calls: string[], overrides: Partial<ConversionActivities> = {}): ConversionActivities {
  const step = <T>(name: string, value: T) => async () => { calls.push(name); return value; };
  return {
    beginLeadConversion: step('begin', { alreadyConverted: false }),
    ensureConversionCompany: step('company', { id: 'com_1', created: true }),
    ensureConversionContact: step('contact', { id: 'con_1', created: true }),
    ensureConversionDeal: step('deal', { id: 'deal_1', created: true }),
    completeLeadConversion: step('complete', { lead_id: 'lead_t', contact_id: 'con_1', company_id: 'com_1', deal_id: 'deal_1' }),
    undoConversionDeal: step('undo deal', { removed: 'deal_1', kept: null }),
    undoConversionContact: step('undo contact', { removed: 'con_1', kept: null }),
    undoConversionCompany: step('undo company', { removed: 'com_1', kept: null }),
    restoreConvertingLead: step('restore', undefined),
    ...overrides,
  } as ConversionActivities;
}

test.serial('a step that keeps failing is retried with backoff until it succeeds: 15 s of backoff pass without waiting', async (t) => {
  const calls: string[] = [];
  let failures = 0;
  const activities = fakeSteps(calls, {
    ensureConversionContact: async () => {
      if (failures < 4) { failures++; throw new Error('database unavailable'); }
      calls.push('contact');
      return { id: 'con_1', created: true };
    },
  });
  const worker = await timeSkippingWorker(env, 'convert-timers', workflowsPath, activities);
  const startedAt = await env.currentTimeMs();
  const wallStart = Date.now();
  const result = await worker.runUntil(env.client.workflow.execute('convertLead', { taskQueue: 'convert-timers', workflowId: 'lead-convert-retry', args: [input] }));
  t.deepEqual(result, { lead_id: 'lead_t', contact_id: 'con_1', company_id: 'com_1', deal_id: 'deal_1' });
  t.is(failures, 4);
  // Backoff 1 + 2 + 4 + 8 s between the five attempts.
  t.true((await env.currentTimeMs()) - startedAt >= 15_000, 'workflow time passed the backoff');
  t.true(Date.now() - wallStart < 15_000, 'the test did not wait for it');
  t.deepEqual(calls, ['begin', 'company', 'contact', 'deal', 'complete']);
});

test.serial('a business failure compensates what was created, in reverse, restores the lead and fails naming the reason', async (t) => {
  const calls: string[] = [];
  const activities = fakeSteps(calls, {
    ensureConversionDeal: async () => { calls.push('deal'); throw ApplicationFailure.nonRetryable('No such stage', 'UnknownDealStage', { field: 'deal_stage' }); },
  });
  const worker = await timeSkippingWorker(env, 'convert-saga', workflowsPath, activities);
  const err = await t.throwsAsync(worker.runUntil(env.client.workflow.execute('convertLead', { taskQueue: 'convert-saga', workflowId: 'lead-convert-saga', args: [input] })),
    { instanceOf: WorkflowFailedError });
  const cause = err!.cause as ApplicationFailure;
  t.is(cause.type, 'LeadConversionFailed');
  t.like(cause.details?.[0], { reason: 'UnknownDealStage', field: 'deal_stage', business: true });
  t.deepEqual(calls, ['begin', 'company', 'contact', 'deal', 'undo contact', 'undo company', 'restore']);
});
