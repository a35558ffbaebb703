// `npm run build`: the API bundle (.build/api.mjs), as the image and bin/dev run it.
import { resolve } from 'node:path';
import { buildApiBundle } from '../tools/build/api-bundle.ts';

const started = performance.now();
const out = await buildApiBundle(resolve(import.meta.dirname, '..'));
console.log(`built ${out} in ${Math.round(performance.now() - started)} ms`);
