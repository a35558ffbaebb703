// Pure units of the tracking plan: the JSON Schema compiler, the validator cache, the pattern check.
import test from 'ava';
import { compileEventSchema, shapeSchema } from '../../modules/analytics-governance/json-schema.ts';
import { CompiledPlans } from '../../modules/analytics-governance/compiled-plans.ts';
import { patternProblem, newAnalysisBudget } from '../../modules/analytics-governance/pattern-safety.ts';
import { shapeProblems } from '../../modules/analytics-governance/shapes.ts';

test('each type compiles to its JSON Schema; min/max mean value, length or item count by type', (t) => {
  t.deepEqual(shapeSchema({ type: 'string', min: 1, max: 5, pattern: '^a', enum: ['ab'] }), { type: 'string', enum: ['ab'], pattern: '^a', minLength: 1, maxLength: 5 });
  t.deepEqual(shapeSchema({ type: 'integer', min: 0, max: 9 }), { type: 'integer', minimum: 0, maximum: 9 });
  t.deepEqual(shapeSchema({ type: 'number', enum: [1.5] }), { type: 'number', enum: [1.5] });
  t.deepEqual(shapeSchema({ type: 'boolean' }), { type: 'boolean' });
  t.deepEqual(shapeSchema({ type: 'date_time', description: 'When' }), { type: 'string', format: 'date-time', description: 'When' });
  t.deepEqual(shapeSchema({ type: 'array', max: 2, items: { type: 'string' } }), { type: 'array', items: { type: 'string' }, maxItems: 2 });
  t.deepEqual(shapeSchema({ type: 'object' }), { type: 'object' });
  t.deepEqual(shapeSchema({ type: 'object', properties: { a: { type: 'string', required: true }, b: { type: 'integer', required: false } } }),
    { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } }, required: ['a'], additionalProperties: false });
});

test('every compiled event schema compiles in strict Ajv (no unknown keyword, no type ambiguity)', (t) => {
  const plans = new CompiledPlans();
  const schema = compileEventSchema({
    name: 'all_types', description: 'd', status: 'deprecated', properties: [
      { key: 's', shape: { type: 'string', min: 1, max: 3, pattern: '^a', enum: ['a', 'ab'] }, required: true },
      { key: 'n', shape: { type: 'number', min: 0 }, required: false },
      { key: 'i', shape: { type: 'integer', enum: [1, 2] }, required: false },
      { key: 'b', shape: { type: 'boolean' }, required: false },
      { key: 'd', shape: { type: 'date_time' }, required: false },
      { key: 'a', shape: { type: 'array', min: 1, items: { type: 'object', properties: { x: { type: 'string', required: true } } } }, required: false },
      { key: 'o', shape: { type: 'object' }, required: false },
    ],
  });
  const validate = plans.compile('aevt_x', 1, schema);
  t.true(validate({ s: 'ab', n: 1, i: 2, b: true, d: '2025-01-15T10:00:00Z', a: [{ x: 'y' }], o: { anything: 1 } }));
  t.false(validate({}));
  t.is(schema.deprecated, true);
});

test('the validator cache returns one compiled function per (event id, version) and stays within its capacity', (t) => {
  const plans = new CompiledPlans(2);
  const schema = (n: number) => ({ type: 'object', properties: { n: { const: n } } });
  const v1 = plans.compile('aevt_a', 1, schema(1));
  t.is(plans.get('aevt_a', 1), v1);
  t.is(plans.compile('aevt_a', 1, schema(99)), v1);
  t.not(plans.compile('aevt_a', 2, schema(2)), v1);
  plans.get('aevt_a', 1); // a is now the most recently used
  plans.compile('aevt_b', 1, schema(3));
  t.is(plans.size, 2);
  t.truthy(plans.get('aevt_a', 1));
  t.is(plans.get('aevt_a', 2), undefined);
  // An evicted schema was removed from Ajv too: compiling it again works and validates.
  t.true(plans.compile('aevt_a', 2, schema(2))({ n: 2 }));
});

test('patterns: compile errors and catastrophic backtracking are refused, within a time budget', (t) => {
  const budget = () => newAnalysisBudget();
  t.is(patternProblem('^[a-z0-9_]+$', budget()), null);
  t.is(patternProblem('^\\d{4}-\\d{2}-\\d{2}$', budget()), null);
  t.regex(patternProblem('(', budget())!, /does not compile/);
  t.regex(patternProblem('\\p{Nope}', budget())!, /does not compile/);
  t.regex(patternProblem('^(a+)+$', budget())!, /backtrack/);
  t.regex(patternProblem('^(\\w+\\s?)*$', budget())!, /backtrack/);
  t.regex(patternProblem('^[a-z]+$', { deadline: performance.now() - 1 })!, /time budget/);
  // An exhausted budget refuses every later pattern of the same definition.
  const started = performance.now();
  const problems = shapeProblems({ type: 'object', properties: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${i}`, { type: 'string' as const, pattern: '^(a|a)*$' }])) });
  t.is(problems.length, 40);
  t.true(performance.now() - started < 2000, 'the whole definition is bounded by the budget, not 40 analyses');
});
