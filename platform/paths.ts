// Where the repository is, for code that reads files of it at run time (the OpenAPI contract, the
// contract cache). The API also runs as one esbuild bundle (.build/api.mjs), where every module's
// import.meta.url is the bundle's: a path relative to a module's own folder would point into
// .build/. This file and the bundle both sit one folder below the root, so '..' is the root in both.
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
