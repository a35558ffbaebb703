// A property's pattern runs against every payload the API validates, in the API's event loop: it
// must compile as clients' JSON Schema libraries compile it (ECMA-262 with the `u` flag, as Ajv
// does), and it must not backtrack catastrophically (ReDoS), or one payload could stall the
// process for every workspace. redos-detector proves the second statically, within a time budget.
import { isSafePattern } from 'redos-detector';

/** How long one definition's patterns may take to analyse in all (bounds the event loop's stall). */
export const ANALYSIS_BUDGET_MS = 250;

export interface AnalysisBudget { deadline: number }
export const newAnalysisBudget = (): AnalysisBudget => ({ deadline: performance.now() + ANALYSIS_BUDGET_MS });

/** Why the pattern is refused, or null when it is usable. */
export function patternProblem(pattern: string, budget: AnalysisBudget): string | null {
  try {
    new RegExp(pattern, 'u');
  } catch (err) {
    return `does not compile as an ECMA-262 regular expression with the u flag (${(err as Error).message})`;
  }
  const remaining = Math.floor(budget.deadline - performance.now());
  if (remaining <= 0) return 'could not be checked for catastrophic backtracking within this definition\'s time budget; simplify the patterns';
  let verdict: ReturnType<typeof isSafePattern>;
  try {
    verdict = isSafePattern(pattern, { unicode: true, timeout: remaining });
  } catch {
    return 'uses syntax the backtracking analysis cannot check; simplify it';
  }
  if (verdict.safe) return null;
  return verdict.error === 'timedOut' || verdict.error === 'hitMaxSteps'
    ? 'is too complex to prove safe from catastrophic backtracking; simplify it'
    : 'may backtrack catastrophically on some inputs (nested or overlapping quantifiers such as (a+)+); simplify it';
}
