// Assets: a 200 MB upload verified end to end (presigned PUT streamed to S3, completion whose
// workflow streams the object through SHA-256 and copies it), with the worker's memory watched
// while it verifies: its RSS may grow by at most 64 MB. Plus the latency of an upload intent and
// of a read that signs a download URL.
import { readFileSync } from 'node:fs';
import { putLargeMp4 } from '../fixtures/large-upload.ts';
import { measure, type Result } from '../measure.ts';
import type { BenchContext, BenchSuite } from '../suite.ts';

const UPLOAD_BYTES = 200 * 1024 * 1024;
const MAX_RSS_GROWTH_MB = 64;

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function call(ctx: BenchContext, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${ctx.base}${path}`, {
    method, headers: { Authorization: `Bearer ${ctx.token}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json() as any;
  if (res.status >= 300 && res.status !== 202) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

/** Uploads `bytes` as a video and completes it with its checksum; answers when the asset is available. */
async function uploadAndVerify(ctx: BenchContext, bytes: number): Promise<any> {
  const intent = await call(ctx, 'POST', '/assets', { asset_type: 'video', file_name: 'bench.mp4', mime_type: 'video/mp4', byte_size: bytes });
  const checksum = await putLargeMp4(intent, bytes);
  let asset = await call(ctx, 'POST', `/assets/${intent.id}/complete`, { checksum_sha256: checksum });
  while (asset.status === 'processing') {
    await new Promise((r) => setTimeout(r, 100));
    asset = await call(ctx, 'GET', `/assets/${intent.id}`);
  }
  if (asset.status !== 'available' || asset.checksum_sha256 !== checksum) throw new Error(`asset ${intent.id} ended ${asset.status}: ${JSON.stringify(asset.failure)}`);
  return asset;
}

export const assetsBench: BenchSuite = async (ctx) => {
  // A small completion first, so the worker has loaded every code path before it is measured.
  await uploadAndVerify(ctx, 1024 * 1024);
  const before = rssMb(ctx.workerPid);
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, rssMb(ctx.workerPid)); }, 20);
  ctx.say(`uploading and verifying ${UPLOAD_BYTES / 1024 / 1024} MB (worker RSS ${before.toFixed(0)} MB)...`);
  const started = performance.now();
  let asset: any;
  try {
    asset = await uploadAndVerify(ctx, UPLOAD_BYTES);
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  const growth = peak - before;
  const mbps = UPLOAD_BYTES / 1024 / 1024 / seconds;

  const results: Result[] = [
    {
      name: '200 MB upload verified end to end (PUT, SHA-256 streamed, copy)', count: 1, concurrency: 1,
      p50: seconds * 1000, p95: seconds * 1000, p99: seconds * 1000, rps: 1 / seconds, target: { p95Ms: 0 }, ok: asset.byte_size === UPLOAD_BYTES,
      custom: { value: `${seconds.toFixed(1)} s (${mbps.toFixed(0)} MB/s)`, target: 'available, same checksum' },
    },
    {
      name: 'worker RSS growth while verifying 200 MB', count: 1, concurrency: 1, p50: 0, p95: 0, p99: 0, rps: 0, target: { p95Ms: 0 },
      ok: growth <= MAX_RSS_GROWTH_MB, custom: { value: `${growth.toFixed(1)} MB (${before.toFixed(0)} → ${peak.toFixed(0)} MB)`, target: `≤ ${MAX_RSS_GROWTH_MB} MB` },
    },
  ];
  let n = 0;
  results.push(await measure('POST /assets (upload intent, presigned PUT)', 300, 1,
    () => ctx.post('/assets', { asset_type: 'image', file_name: `i${n++}.png`, mime_type: 'image/png', byte_size: 1000 }), { p95Ms: 60 }));
  results.push(await measure('GET /assets/{id} (presigned download URL)', 300, 1, () => ctx.get(`/assets/${asset.id}`), { p95Ms: 30 }));
  results.push(await measure('GET /assets?query (trigram search)', 200, 1, () => ctx.get('/assets?query=bench.mp'), { p95Ms: 50 }));
  return results;
};
