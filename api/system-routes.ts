// Unauthenticated system routes: liveness, readiness of every dependency, the contract and its
// rendered reference page (swagger-ui-dist, served locally: no CDN).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';
import type { Contract } from './contract.ts';
import type { AppState } from './state.ts';

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const DOCS_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
};

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Slab5 API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="reference"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#reference', deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis], layout: 'BaseLayout', docExpansion: 'list' });</script>
</body></html>`;

/** A dependency's readiness: what /readyz reports per check. */
export interface Check { ok: boolean; error?: string; latency_ms: number }

export function systemRouter(contract: Contract, readiness: () => Promise<Record<string, Check>>): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/healthz', (ctx) => { ctx.body = { status: 'ok', request_id: ctx.state.requestId }; });
  router.get('/readyz', async (ctx) => {
    const checks = await readiness();
    const ready = Object.values(checks).every((c) => c.ok);
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not_ready', checks, request_id: ctx.state.requestId };
  });
  router.get('/openapi.json', (ctx) => { ctx.body = contract.document; });
  router.get('/docs', (ctx) => { ctx.type = 'text/html; charset=utf-8'; ctx.body = DOCS_PAGE; });
  router.get('/docs/assets/:file', (ctx) => {
    const type = DOCS_ASSETS[ctx.params.file!];
    if (!type) return;
    ctx.type = type;
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = readFileSync(join(swaggerDir, ctx.params.file!));
  });
  return router;
}
