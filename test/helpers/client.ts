// A small HTTP client for tests that also checks every response against the contract: the
// status must be documented for the operation and the body must match its schema.
import type { Contract } from '../../api/contract.ts';

export interface ApiResponse<T = any> { status: number; headers: Headers; body: T; contractErrors: string[] }

export interface RequestOptions { headers?: Record<string, string>; rawBody?: string; contentType?: string }

export interface ApiClient {
  token: string;
  call: <T = any>(method: string, path: string, body?: unknown, opts?: RequestOptions) => Promise<ApiResponse<T>>;
  get: <T = any>(path: string, opts?: RequestOptions) => Promise<ApiResponse<T>>;
  post: <T = any>(path: string, body?: unknown, opts?: RequestOptions) => Promise<ApiResponse<T>>;
  patch: <T = any>(path: string, body?: unknown, opts?: RequestOptions) => Promise<ApiResponse<T>>;
}

export function apiClient(baseUrl: string, token: string | null, contract: Contract): ApiClient {
  const call = async <T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (token) headers.Authorization = `Bearer ${token}`;
    let payload: string | undefined = opts.rawBody;
    if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['Content-Type'] = opts.contentType ?? 'application/json';
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
    const text = await res.text();
    let parsed: any = text;
    try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, headers: res.headers, body: parsed as T, contractErrors: checkAgainstContract(contract, method, path, res.status, parsed) };
  };
  return {
    token: token ?? '',
    call,
    get: (path, opts) => call('GET', path, undefined, opts),
    post: (path, body, opts) => call('POST', path, body, opts),
    patch: (path, body, opts) => call('PATCH', path, body, opts),
  };
}

/** Problems with a response against the contract (empty when it conforms). */
export function checkAgainstContract(contract: Contract, method: string, url: string, status: number, body: unknown): string[] {
  const path = url.split('?')[0]!;
  const op = contract.operations.find((o) => o.method === method.toLowerCase() && new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
  if (!op) return [];
  const documented = contract.document.paths[op.path][op.method].responses ?? {};
  if (!documented[String(status)] && !documented.default) return [`${op.operationId} answered ${status}, which the contract does not document`];
  const validate = contract.responseValidator(op.operationId, status);
  if (validate && !validate(body)) return (validate.errors ?? []).map((e) => `${op.operationId} ${status} ${e.instancePath || '(root)'} ${e.message}`);
  return [];
}
