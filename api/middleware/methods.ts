// Which methods a path has is decided by the one route template it belongs to. OpenAPI matches a
// concrete segment before a templated one, so /bi/queries/run is its own resource: PATCH on it is
// a method it does not have (405 with Allow), not PATCH /bi/{collection}/{id} with
// collection=queries. The router itself would try every template that matches, in order.
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { ApiError } from '../../platform/errors.ts';
import type { AppState } from '../state.ts';

type Layer = Router['stack'][number];

/** A template segment that matches any value (`:id`, `*rest`, `{/:x}`). */
const isParam = (segment: string) => /[:*{]/.test(segment);

/** Orders templates so that the more concrete one comes first: at the first segment where they
 *  differ in kind, a literal beats a parameter (OpenAPI's path matching rule). */
export function byConcreteness(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = Number(isParam(x[i]!)) - Number(isParam(y[i]!));
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** The methods of the most concrete template matching `path` (HEAD with GET), or null when no
 *  route matches it. */
export function methodsOf(layers: Layer[], path: string): { template: string; methods: string[] } | null {
  const matched = layers.filter((l) => l.methods.length > 0 && typeof l.path === 'string' && l.match(path));
  if (matched.length === 0) return null;
  const template = matched.map((l) => l.path as string).sort(byConcreteness)[0]!;
  const methods = new Set(matched.filter((l) => l.path === template).flatMap((l) => l.methods));
  return { template, methods: [...methods] };
}

/** The first segment of a path, as the routers compare it (case-insensitively). */
const firstSegment = (path: string) => (path.split('/', 2)[1] ?? '').toLowerCase();

/** Layers by their template's first segment (those starting with a parameter under ''): a path
 *  can only match the layers of its own first segment and the parameter ones. */
function byFirstSegment(layers: Layer[]): (path: string) => Layer[] {
  const literal = new Map<string, Layer[]>();
  const open: Layer[] = [];
  for (const layer of layers) {
    const first = typeof layer.path === 'string' ? layer.path.split('/', 2)[1] ?? '' : null;
    if (first === null || isParam(first) || first === '') open.push(layer);
    else literal.set(first.toLowerCase(), [...(literal.get(first.toLowerCase()) ?? []), layer]);
  }
  const merged = new Map([...literal].map(([k, v]) => [k, [...v, ...open]]));
  return (path) => merged.get(firstSegment(path)) ?? open;
}

/** Before the routers: a method the path's template does not have answers 405 with Allow (and
 *  OPTIONS answers 204 with Allow); anything else goes on to the routers. */
export function methodRouting(routers: Router<AppState>[]): Middleware<AppState> {
  let candidates: ((path: string) => Layer[]) | undefined;
  return async (ctx, next) => {
    // Read on first use: every route is registered by then. Matching every template on every
    // request was a visible share of a small request's CPU time.
    candidates ??= byFirstSegment(routers.flatMap((r) => r.stack as Layer[]));
    const found = methodsOf(candidates(ctx.path), ctx.path);
    if (!found || found.methods.includes(ctx.method)) return next();
    const allow = found.methods.join(', ');
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      ctx.set('Allow', allow);
      return;
    }
    throw new ApiError(405, 'method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}; allowed: ${allow}.`,
      { allowed_methods: found.methods }, { Allow: allow });
  };
}
