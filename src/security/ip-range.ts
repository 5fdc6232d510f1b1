// Groups client addresses for per-requester limits: IPv4 as is, IPv6 by its /64 (what one subscriber usually holds).
import { isIPv4, isIPv6 } from 'node:net';

function expandIPv6(ip: string): string[] {
  let s = ip.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    s = `${s.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = s.split('::');
  const h = head ? head.split(':') : [];
  if (tail === undefined) return h;
  const t = tail ? tail.split(':') : [];
  return [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
}

/** The bucket an address is counted in; anything unparsable shares one bucket. */
export function ipBucket(ip: string | undefined): string {
  const raw = (ip ?? '').trim().replace(/^\[|\]$/g, '').split('%')[0] ?? '';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(raw)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  if (isIPv4(raw)) return raw;
  if (isIPv6(raw)) {
    const prefix = expandIPv6(raw)
      .slice(0, 4)
      .map((g) => Number.parseInt(g, 16).toString(16));
    return `${prefix.join(':')}::/64`;
  }
  return 'unknown';
}
