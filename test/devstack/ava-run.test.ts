// bin/test's ava runner always ends: an ava that hangs after its timeout message is killed with
// everything it started, and a test file's leftover child never outlives the run.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runAva } from '../../tools/devstack/ava-run.ts';

/** Running (a killed orphan may stay a zombie until some reaper gets to it: that is not running). */
const running = (pid: number) => { try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; } };
/** Whether the process is still running after SIGKILL had up to 2 s to land. */
const alive = async (pid: number) => {
  for (let i = 0; i < 40 && running(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return running(pid);
};

/** A stand-in for ava: starts a child that would run for a minute, prints, then exits or hangs. */
const fakeAva = (lines: string, exitCode: number | null) => [
  '-e',
  `const { spawn } = require('node:child_process');
   const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
   console.log('child ' + c.pid);
   console.log(${JSON.stringify(lines)});
   ${exitCode === null ? 'setInterval(() => {}, 1000);' : `setTimeout(() => process.exit(${exitCode}), 50);`}`,
];

const childPid = (output: string) => Number(/child (\d+)/.exec(output)![1]);

test('an ava that hangs after its timeout message is killed with its children', async (t) => {
  const run = runAva(process.execPath, fakeAva('✘ Timed out while running tests', null), { cwd: tmpdir(), env: process.env, graceMs: 300 });
  const result = await run.done;
  t.true(result.killed);
  t.is(result.code, 1);
  t.false(await alive(childPid(result.output)), 'the test file\'s child went with it');
});

test('an ava that exits keeps its code and leaves no child behind', async (t) => {
  const seen: string[] = [];
  const run = runAva(process.execPath, fakeAva('  ✔ one\n  1 test passed', 0), { cwd: tmpdir(), env: process.env, graceMs: 300, onOutput: (c) => seen.push(c) });
  const result = await run.done;
  t.false(result.killed);
  t.is(result.code, 0);
  t.regex(seen.join(''), /1 test passed/);
  t.false(await alive(childPid(result.output)));
});

test('stop() ends a run that is still going', async (t) => {
  const run = runAva(process.execPath, fakeAva('  ✔ one', null), { cwd: tmpdir(), env: process.env, graceMs: 60_000 });
  await new Promise((r) => setTimeout(r, 500));
  run.stop();
  const result = await run.done;
  t.false(result.killed);
  t.not(result.code, 0);
  t.false(await alive(childPid(result.output)));
});
