// Where provider requests may go: the operator's host allow-list, enforced on the resolved address inside the HTTP agents.
import dns, { type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/** Default of `SMS_PROVIDER_HOSTS`: Twilio's and Alibaba Cloud's API hosts. */
export const DEFAULT_PROVIDER_HOSTS: readonly string[] = ['api.twilio.com', '*.twilio.com', '*.aliyuncs.com'];

/** Loopback, link-local, private and other non-public ranges: refused unless the address itself is listed. */
const INTERNAL = new net.BlockList();
for (const [net4, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  INTERNAL.addSubnet(net4, bits, 'ipv4');
for (const [net6, bits] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(net6, bits, 'ipv6');

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type Lookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => void;

export interface Egress {
  /** Whether a URL may be called at all: its host matches a listed pattern (or is a listed address). */
  allows(url: string): boolean;
  /** Resolves like dns.lookup, keeping only allowed addresses (the connection is made to the address checked). */
  lookup: Lookup;
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

const normalise = (host: string) => host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');

function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m?.[1] ?? address;
}

function isInternal(address: string): boolean {
  const a = unmapped(address);
  const family = net.isIP(a);
  return family === 0 ? true : INTERNAL.check(a, family === 6 ? 'ipv6' : 'ipv4');
}

function notAllowed(host: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${host} is not an allowed SMS provider host (SMS_PROVIDER_HOSTS)`);
  err.code = 'EHOSTNOTALLOWED';
  return err;
}

/** `patterns`: host names, `*.domain` wildcards (any subdomain, not the domain itself), or IP addresses. */
export function createEgress(patterns: readonly string[] = DEFAULT_PROVIDER_HOSTS): Egress {
  const listed = patterns.map(normalise).filter(Boolean);
  const exact = new Set(listed.filter((p) => !p.startsWith('*.')).map(unmapped));
  const suffixes = listed.filter((p) => p.startsWith('*.')).map((p) => p.slice(1));

  const nameAllowed = (host: string): boolean => {
    const h = normalise(host);
    if (net.isIP(unmapped(h))) return exact.has(unmapped(h));
    return exact.has(h) || suffixes.some((s) => h.endsWith(s) && h.length > s.length);
  };
  // A public address of an allowed name is fine; an internal one only when the operator listed that address.
  const addressAllowed = (address: string): boolean => !isInternal(address) || exact.has(unmapped(normalise(address)));

  const lookup: Lookup = (hostname, options, callback) => {
    if (!nameAllowed(hostname)) return callback(notAllowed(hostname), '');
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const ok = addresses.filter((a) => addressAllowed(a.address));
      const first = ok[0];
      if (!first) return callback(notAllowed(hostname), '');
      if (options.all) callback(null, ok);
      else callback(null, first.address, first.family);
    });
  };

  /** IP literals never reach `lookup`, so the agent checks them before connecting. */
  const guard = <A extends http.Agent>(agent: A): A => {
    const a = agent as unknown as { createConnection: (opts: net.NetConnectOpts & { host?: string }, cb: (err: Error | null, s?: net.Socket) => void) => unknown };
    const original = a.createConnection.bind(agent);
    a.createConnection = (opts, cb) => {
      const host = normalise(String(opts.host ?? 'localhost'));
      if (net.isIP(unmapped(host)) && !(exact.has(unmapped(host)) && addressAllowed(host))) {
        cb(notAllowed(host));
        return undefined;
      }
      return original({ ...opts, lookup } as net.NetConnectOpts, cb);
    };
    return agent;
  };

  return {
    allows(url) {
      try {
        return nameAllowed(new URL(url).hostname);
      } catch {
        return false;
      }
    },
    lookup,
    httpAgent: guard(new http.Agent({ keepAlive: true, lookup })),
    httpsAgent: guard(new https.Agent({ keepAlive: true, lookup })),
  };
}
