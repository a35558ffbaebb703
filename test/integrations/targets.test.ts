// The SSRF guard as a pure unit: which addresses a webhook may reach, URL checks at save time,
// and resolution at send time (with a fake resolver: nothing leaves this process).
import test from 'ava';
import { judgeAddress, resolveTarget, TargetRefused, targetPolicy, urlProblem, type Resolver } from '../../modules/integrations/targets.ts';

const none = targetPolicy([]);
const loopback = targetPolicy(['127.0.0.0/8', '::1/128']);
const resolver = (table: Record<string, string[]>): Resolver => async (host) => {
  const addresses = table[host];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

test('only public unicast addresses pass; every special range is refused, IPv4-mapped IPv6 unwrapped', (t) => {
  for (const address of ['93.184.215.14', '8.8.8.8', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '::ffff:8.8.8.8']) {
    t.deepEqual(judgeAddress(address, none), { ok: true, allowListed: false }, address);
  }
  const refused: [string, RegExp][] = [
    ['10.1.2.3', /private/], ['172.16.0.1', /private/], ['192.168.0.1', /private/], ['127.0.0.1', /loopback/], ['::1', /loopback/],
    ['169.254.10.10', /linkLocal/], ['fe80::1', /linkLocal/], ['100.64.0.1', /carrierGradeNat/], ['fc00::1', /uniqueLocal/],
    ['::ffff:127.0.0.1', /loopback/], ['::ffff:10.0.0.1', /private/], ['0.0.0.0', /unspecified/], ['::', /unspecified/],
    ['224.0.0.1', /multicast/], ['255.255.255.255', /broadcast/], ['64:ff9b::a00:1', /rfc6052/], ['2002:a00:1::', /6to4/],
    ['169.254.169.254', /metadata/], ['fd00:ec2::254', /metadata/], ['100.100.100.200', /metadata/], ['::ffff:169.254.169.254', /metadata/],
    ['not-an-ip', /not an IP/],
  ];
  for (const [address, reason] of refused) {
    const verdict = judgeAddress(address, none);
    t.false(verdict.ok, address);
    if (!verdict.ok) t.regex(verdict.reason, reason, address);
  }
});

test('an allowed network passes (and is marked allow-listed); the others stay refused; metadata never passes', (t) => {
  t.deepEqual(judgeAddress('127.0.0.1', loopback), { ok: true, allowListed: true });
  t.deepEqual(judgeAddress('::1', loopback), { ok: true, allowListed: true });
  t.deepEqual(judgeAddress('::ffff:127.0.0.2', loopback), { ok: true, allowListed: true });
  t.false(judgeAddress('10.0.0.1', loopback).ok);
  t.false(judgeAddress('169.254.169.254', targetPolicy(['169.254.0.0/16'])).ok);
});

test('at send time the host is resolved and every address judged: DNS that now points inside is refused', async (t) => {
  const dns = resolver({ 'hooks.example.com': ['93.184.215.14'], 'rebound.example.com': ['10.0.0.7'], 'mixed.example.com': ['93.184.215.14', '127.0.0.1'], 'local.test': ['127.0.0.1'] });
  t.deepEqual(await resolveTarget(new URL('https://hooks.example.com/x'), none, dns), { address: '93.184.215.14', family: 4 });
  await t.throwsAsync(resolveTarget(new URL('https://rebound.example.com/x'), none, dns), { instanceOf: TargetRefused, message: /10\.0\.0\.7 is a private address/ });
  await t.throwsAsync(resolveTarget(new URL('https://mixed.example.com/x'), none, dns), { instanceOf: TargetRefused, message: /loopback/ });
  await t.throwsAsync(resolveTarget(new URL('http://hooks.example.com/x'), none, dns), { instanceOf: TargetRefused, message: /plain http/ });
  t.deepEqual(await resolveTarget(new URL('http://local.test:8080/x'), loopback, dns), { address: '127.0.0.1', family: 4 });
  await t.throwsAsync(resolveTarget(new URL('https://unknown.example.com/'), none, dns), { message: /cannot resolve unknown\.example\.com: ENOTFOUND/ });
  // IP literals are not resolved: the URL parser has already normalized every spelling.
  await t.throwsAsync(resolveTarget(new URL('https://2130706433/'), none, async () => { throw new Error('no lookup expected'); }), { instanceOf: TargetRefused });
});

test('at save time: refused targets are named, an unresolvable name is accepted over https only', async (t) => {
  const dns = resolver({ 'inside.example.com': ['192.168.1.20'], 'localhost': ['127.0.0.1'] });
  t.regex((await urlProblem('https://inside.example.com/hook', none, dns))!, /is refused: inside\.example\.com: 192\.168\.1\.20 is a private address/);
  t.regex((await urlProblem('https://[::ffff:7f00:1]/', none, dns))!, /loopback/);
  t.is(await urlProblem('https://not-yet-live.example.com/hook', none, dns), null);
  t.regex((await urlProblem('http://not-yet-live.example.com/hook', none, dns))!, /https/);
  t.is(await urlProblem('http://localhost:3000/hook', loopback, dns), null);
  t.is(await urlProblem('not a url', none, dns), 'is not a valid URL');
  // A lookup that hangs does not hold the request: it counts as unresolvable after 2 s.
  t.is(await urlProblem('https://slow.example.com/', none, () => new Promise(() => {})), null);
});
