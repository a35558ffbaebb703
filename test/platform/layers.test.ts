// The import graph: layers point down only (platform → kernel → api → modules → app → tools/bin),
// no import cycles, workflows import only what Temporal's sandbox allows, and the production
// processes never load the dev tooling. Read from the source text, like any import-graph tool.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { readFileSync as readJson } from 'node:fs';
import { sourceFiles } from '../helpers/source-files.ts';

const root = resolve(import.meta.dirname, '../..');
const LAYERS = ['platform', 'kernel', 'api', 'modules', 'app', 'tools', 'bin', 'bench'] as const;
const rank = (file: string) => {
  const top = file.split('/')[0]!;
  const i = LAYERS.indexOf(top as (typeof LAYERS)[number]);
  // bin and bench are both entry points: same rank.
  return top === 'bench' ? LAYERS.indexOf('bin') : i;
};

interface Edge { from: string; to: string; typeOnly: boolean; spec: string }
const files = LAYERS.flatMap((l) => sourceFiles(l));
const edges: Edge[] = [];
const packages = new Map<string, string[]>();
for (const file of files) {
  const text = readFileSync(join(root, file), 'utf8');
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/gm)) {
    const spec = m[3] ?? m[4] ?? m[5]!;
    const typeOnly = Boolean(m[2]);
    if (spec.startsWith('.')) edges.push({ from: file, to: relative(root, resolve(root, dirname(file), spec)), typeOnly, spec });
    else packages.set(file, [...(packages.get(file) ?? []), typeOnly ? `type:${spec}` : spec]);
  }
}

test('every relative import resolves to a file of the tree', (t) => {
  const known = new Set(files);
  t.deepEqual(edges.filter((e) => !known.has(e.to)).map((e) => `${e.from} → ${e.spec}`), []);
});

test('layers point down only: platform → kernel → api → modules → app → tools → bin', (t) => {
  const upward = edges.filter((e) => rank(e.to) > rank(e.from)).map((e) => `${e.from} imports ${e.to}`);
  t.deepEqual(upward, []);
});

test('no import cycles', (t) => {
  const out = new Map<string, string[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
  // Tarjan's strongly connected components: any with more than one file is a cycle.
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], on = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v);
    for (const w of out.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1) cycles.push(scc.sort());
    }
  };
  for (const f of files) if (!idx.has(f)) visit(f);
  t.deepEqual(cycles, []);
});

test('workflow files import only the workflow SDK, types and pure helpers, so they stay deterministic in the sandbox', (t) => {
  const workflows = files.filter((f) => f.endsWith('/workflow.ts'));
  t.true(workflows.length >= 3);
  // A file a workflow may load: it imports only Temporal's workflow-safe packages, types, and
  // other such files (a retry schedule, the search-attribute keys).
  const SAFE_PACKAGES = ['@temporalio/workflow', '@temporalio/common'];
  const problems = (file: string, seen = new Set<string>()): string[] => {
    if (seen.has(file)) return [];
    seen.add(file);
    return [
      ...edges.filter((e) => e.from === file && !e.typeOnly && !e.to.endsWith('/types.ts'))
        .flatMap((e) => { const deeper = problems(e.to, seen); return deeper.length ? [`${file} → ${e.spec}`, ...deeper] : []; }),
      ...(packages.get(file) ?? []).filter((p) => !p.startsWith('type:') && !SAFE_PACKAGES.includes(p)).map((p) => `${file} → ${p}`),
    ];
  };
  t.deepEqual(workflows.flatMap((f) => problems(f)), []);
});

test('the production processes (api, worker, CLI) never load the dev tooling or a dev dependency', (t) => {
  const pkg = JSON.parse(readJson(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const devDeps = Object.keys(pkg.devDependencies);
  const reach = (start: string) => {
    const seen = new Set<string>([start]);
    const queue = [start];
    while (queue.length) {
      const f = queue.shift()!;
      for (const e of edges) if (e.from === f && !e.typeOnly && !seen.has(e.to)) { seen.add(e.to); queue.push(e.to); }
    }
    return [...seen];
  };
  for (const entry of ['bin/api.ts', 'bin/worker.ts', 'bin/cli.ts']) {
    const loaded = reach(entry);
    t.deepEqual(loaded.filter((f) => f.startsWith('tools/')), [], `${entry} loads the dev tooling`);
    const devLoaded = loaded.flatMap((f) => (packages.get(f) ?? []).filter((p) => devDeps.some((d) => p === d || p.startsWith(`${d}/`))).map((p) => `${f} → ${p}`));
    t.deepEqual(devLoaded, [], `${entry} loads a devDependency`);
  }
});

test('the API process loads at start none of the packages it only needs on demand (tracing SDK, MCP, charts, xlsx, mail)', (t) => {
  // Static imports only: a dynamic import() loads when its code first runs.
  const staticImports = (file: string) => [...readFileSync(join(root, file), 'utf8')
    .matchAll(/^\s*(import|export)\s+(?!type\s)[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)].map((m) => m[2] ?? m[3]!);
  const ON_DEMAND = ['@opentelemetry/sdk-', '@opentelemetry/exporter-', '@opentelemetry/instrumentation', 'vega', '@resvg/', 'exceljs', 'nodemailer', '@modelcontextprotocol/'];
  const seen = new Set<string>(['bin/api.ts']);
  const queue = ['bin/api.ts'];
  const loaded: string[] = [];
  while (queue.length) {
    const file = queue.shift()!;
    for (const spec of staticImports(file)) {
      if (!spec.startsWith('.')) { if (ON_DEMAND.some((p) => spec.startsWith(p))) loaded.push(`${file} → ${spec}`); continue; }
      const to = relative(root, resolve(root, dirname(file), spec));
      if (!seen.has(to)) { seen.add(to); queue.push(to); }
    }
  }
  t.true(seen.size > 50, 'the walk followed the imports');
  t.deepEqual(loaded, []);
});
