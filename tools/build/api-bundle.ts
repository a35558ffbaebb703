// The API as deployed: bin/api.ts and our own modules in one esbuild bundle, npm packages left
// external (node_modules resolves them at run time). Running the bundle instead of tsx's loader
// saves the loader thread and the transpiled sources (issue 18: RSS and startup, see README).
// The worker is not bundled: Temporal bundles the workflows itself from their .ts paths.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { build } from 'esbuild';

/** Where the bundle goes: one folder below the root, like platform/ (see platform/paths.ts). */
export const API_BUNDLE_DIR = '.build';

/** Node's flags for the bundle: its source maps, so stack traces name the .ts files. */
export const API_BUNDLE_NODE_FLAGS = ['--enable-source-maps'];

/** Builds the bundle and answers node's arguments to run it (the API as deployed). */
export async function builtApiArgs(root: string): Promise<string[]> {
  return [...API_BUNDLE_NODE_FLAGS, await buildApiBundle(root)];
}

/** Builds bin/api.ts into <root>/.build/api.mjs (anew on every call) and returns that path. */
export async function buildApiBundle(root: string): Promise<string> {
  const outdir = join(root, API_BUNDLE_DIR);
  const result = await build({
    absWorkingDir: root,
    entryPoints: { api: 'bin/api.ts' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Code split at our dynamic import()s keeps what the API loads on demand (tracing SDK, MCP)
    // out of its start, as under tsx.
    splitting: true,
    outdir,
    outExtension: { '.js': '.mjs' },
    // Stack traces name the .ts files (run with --enable-source-maps); they exist beside it.
    sourcemap: true,
    sourcesContent: false,
    // Renamed on collision, a class would log (pino's err.type) under another name.
    keepNames: true,
    write: false,
    logLevel: 'silent',
  });
  mkdirSync(outdir, { recursive: true });
  // Each file is written whole then renamed, the entry last: a process starting meanwhile reads
  // either the previous bundle or this one, never half of one. Chunks have content-hashed names,
  // so a running API's lazily loaded chunks stay in place.
  const entry = join(outdir, 'api.mjs');
  const files = [...result.outputFiles].sort((a, b) => Number(a.path === entry) - Number(b.path === entry));
  for (const file of files) {
    const tmp = join(dirname(file.path), `.${basename(file.path)}.${process.pid}.tmp`);
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
  return entry;
}
