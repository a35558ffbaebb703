// Where webhooks may go (SSRF guard). A target address must be public unicast: private,
// loopback, link-local, CGNAT, unique-local, IPv4-mapped/translated and every other special
// range are refused (ipaddr.js's ranges, after unwrapping IPv4-mapped IPv6), and cloud metadata
// addresses always are. A deployment may allow named private networks
// (WEBHOOK_ALLOW_PRIVATE_CIDRS: the test harness and the dev stack allow loopback); only such
// allowed targets may use plain http. The URL is checked when an endpoint is saved and the host
// is resolved and checked again at every attempt, since DNS can change in between.
import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

export interface TargetPolicy { allowed: [ipaddr.IPv4 | ipaddr.IPv6, number][] }

export const targetPolicy = (cidrs: readonly string[]): TargetPolicy => ({ allowed: cidrs.map((c) => ipaddr.parseCIDR(c)) });

/** Instance metadata services (AWS, ECS, GCP, Azure, Alibaba, AWS IPv6): never a webhook target. */
const METADATA = ['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254'].map((a) => ipaddr.parse(a));

export type Verdict = { ok: true; allowListed: boolean } | { ok: false; reason: string };

export function judgeAddress(address: string, policy: TargetPolicy): Verdict {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try { ip = ipaddr.process(address); } catch { return { ok: false, reason: `"${address}" is not an IP address` }; }
  const same = (other: ipaddr.IPv4 | ipaddr.IPv6) => other.kind() === ip.kind() && other.toNormalizedString() === ip.toNormalizedString();
  if (METADATA.some(same)) return { ok: false, reason: `${address} is a cloud metadata address` };
  if (policy.allowed.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits))) return { ok: true, allowListed: true };
  const range = ip.range();
  if (range === 'unicast') return { ok: true, allowListed: false };
  return { ok: false, reason: `${address} is a ${range} address` };
}

/** The URL's host, without IPv6 brackets; an IP literal the WHATWG parser normalized (2130706433 → 127.0.0.1). */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;
export const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

export class TargetRefused extends Error {}

const isIpLiteral = (host: string) => ipaddr.isValid(host) && (host.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(host));

/**
 * The address to connect to: the host resolved (an IP literal as is) and every address it has
 * checked, since a client may connect to any of them. Throws TargetRefused naming the reason.
 */
export async function resolveTarget(url: URL, policy: TargetPolicy, resolve: Resolver = systemResolver): Promise<{ address: string; family: number }> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TargetRefused(`${url.protocol} is not http(s)`);
  const host = hostOf(url);
  const addresses = isIpLiteral(host)
    ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
    : await resolve(host).catch((err: NodeJS.ErrnoException) => { throw new Error(`cannot resolve ${host}: ${err.code ?? err.message}`); });
  if (!addresses.length) throw new Error(`cannot resolve ${host}: no address`);
  for (const { address } of addresses) {
    const verdict = judgeAddress(address, policy);
    if (!verdict.ok) throw new TargetRefused(`refused target ${host}: ${verdict.reason}`);
    if (url.protocol === 'http:' && !verdict.allowListed) throw new TargetRefused(`refused target ${host}: plain http is allowed only to the networks WEBHOOK_ALLOW_PRIVATE_CIDRS names; use https`);
  }
  return addresses[0]!;
}

const CREATE_LOOKUP_TIMEOUT_MS = 2_000;

/**
 * The problem with an endpoint URL, or null. An IP literal (any spelling) is judged as is; a host
 * name is resolved, and refused if it resolves to a refused address. A name that does not resolve
 * now is accepted over https (the delivery checks it again).
 */
export async function urlProblem(raw: string, policy: TargetPolicy, resolve: Resolver = systemResolver): Promise<string | null> {
  let url: URL;
  try { url = new URL(raw); } catch { return 'is not a valid URL'; }
  const withTimeout: Resolver = (host) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('lookup timed out')), CREATE_LOOKUP_TIMEOUT_MS); });
    return Promise.race([resolve(host), timeout]).finally(() => clearTimeout(timer));
  };
  try {
    await resolveTarget(url, policy, withTimeout);
    return null;
  } catch (err) {
    if (err instanceof TargetRefused) return `is refused: ${err.message.replace(/^refused target /, '')}`;
    return url.protocol === 'http:' ? 'must use https (plain http only to allowed private networks)' : null;
  }
}
