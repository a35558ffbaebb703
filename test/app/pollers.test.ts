// The modules' pollers: composed from the manifests (a name declared twice stops the start),
// chosen per worker process (WORKER_POLLERS), and run as loops that drain a backlog without
// waiting, survive a failing pass, and stop after the pass in flight.
import test from 'ava';
import { composeModules, DuplicateDeclaration } from '../../app/registry.ts';
import { registry } from '../../app/modules.ts';
import { repeat, selectPollers, startPollers } from '../../app/pollers.ts';
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import type { PollerDeps, PollerSpec } from '../../modules/manifest.ts';

const logger = createLogger('silent');
const deps = { config: {}, logger, orm: {}, workflows: {} } as unknown as PollerDeps;
const spec = (name: string, poll: PollerSpec['poll'], intervalMs = 10_000): PollerSpec => ({ name, intervalMs, poll });

test('the registry composes every module\'s pollers, and refuses one name declared by two modules', (t) => {
  t.true(registry.pollers.some((p) => p.name === 'webhook-relay'));
  const poll = async () => 0;
  const composed = composeModules([{ name: 'a', pollers: [spec('one', poll)] }, { name: 'b', pollers: [spec('two', poll)] }]);
  t.deepEqual(composed.pollers.map((p) => p.name), ['one', 'two']);
  t.throws(() => composeModules([{ name: 'a', pollers: [spec('same', poll)] }, { name: 'b', pollers: [spec('same', poll)] }]),
    { instanceOf: DuplicateDeclaration, message: /poller "same" is declared by both module a and module b/ });
});

test('WORKER_POLLERS chooses the pollers a worker runs: all by default, none, or by name; an unknown name stops the start', (t) => {
  const specs = [spec('one', async () => 0), spec('two', async () => 0)];
  const base = { DATABASE_URL: 'postgres://x@y/z', TEMPORAL_ADDRESS: 'x:1', S3_ENDPOINT: 'http://x', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' };
  const chosen = (value?: string) => selectPollers(specs, loadConfig({ ...base, WORKER_POLLERS: value }, { root: '/nonexistent' }).workerPollers).map((s) => s.name);
  t.deepEqual(chosen(), ['one', 'two']);
  t.deepEqual(chosen('none'), []);
  t.deepEqual(chosen('two'), ['two']);
  t.throws(() => chosen('three'), { message: /unknown pollers: three/ });
});

test('a poller that finds work polls again at once; an idle one waits its interval', async (t) => {
  let calls = 0;
  let backlog = 5;
  let idle!: () => void;
  const wentIdle = new Promise<void>((resolve) => { idle = resolve; });
  const started = Date.now();
  const loops = startPollers([spec('drain', async () => {
    calls++;
    if (backlog > 0) return backlog--;
    idle();
    return 0;
  }, 60_000)], deps, logger);
  await wentIdle;
  const drainedIn = Date.now() - started;
  await new Promise((r) => setTimeout(r, 100));
  await loops.stop();
  // Five passes with work, then one idle pass; the next would wait a minute.
  t.is(calls, 6);
  t.true(drainedIn < 30_000, 'the backlog did not wait an interval per pass');
});

test('a failing pass is logged and the loop goes on; stop() waits for the pass in flight', async (t) => {
  let passes = 0;
  let finished = false;
  const errors: unknown[] = [];
  let second!: () => void;
  const secondStarted = new Promise<void>((resolve) => { second = resolve; });
  const loop = repeat(async () => {
    passes++;
    if (passes === 1) throw new Error('database away');
    if (passes === 2) second();
    await new Promise((r) => setTimeout(r, 50));
    finished = true;
  }, { intervalMs: 1, onError: (err) => errors.push(err) });
  await secondStarted;
  await loop.stop();
  t.is((errors[0] as Error).message, 'database away', 'the failure was reported');
  t.true(finished, 'stop waited for the pass in flight');
  const after = passes;
  await new Promise((r) => setTimeout(r, 30));
  t.is(passes, after, 'nothing runs after stop');
});
