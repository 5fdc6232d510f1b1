// The country of a client IP from a MaxMind DB file (GeoLite2/GeoIP2 Country or City), opened once at start-up when GEOIP_DB is set.
import { isIP } from 'node:net';
import type { CountryResponse, Reader } from 'maxmind';
import { ConfigError } from '../config/index.ts';

/** ISO 3166-1 alpha-2 code of an IP address, or null (private, unknown, malformed). Synchronous and never throws. */
export type CountryOfIp = (ip: string) => string | null;

/** `::ffff:203.0.113.7` (how Node writes IPv4 clients on a dual-stack socket) → `203.0.113.7`. */
const unmapped = (ip: string): string => ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');

/** Looks addresses up in an open reader: `country.iso_code`, else `registered_country.iso_code` (Country and City databases alike). */
export function countryLookup(reader: Reader<CountryResponse>): CountryOfIp {
  const ipv4Only = reader.metadata.ipVersion === 4;
  return (raw) => {
    try {
      const ip = unmapped(raw.trim());
      const family = isIP(ip);
      if (family === 0 || (family === 6 && ipv4Only)) return null;
      const record = reader.get(ip);
      const code = record?.country?.iso_code ?? record?.registered_country?.iso_code;
      return typeof code === 'string' && /^[A-Z]{2}$/.test(code) ? code : null;
    } catch {
      return null;
    }
  };
}

/** Opens the database; a missing, unreadable or invalid file is a configuration error naming GEOIP_DB. */
export async function openCountryOfIp(path: string): Promise<CountryOfIp> {
  let reader: Reader<CountryResponse>;
  try {
    // Loaded only when a database is configured.
    const { default: maxmind } = await import('maxmind');
    reader = await maxmind.open<CountryResponse>(path, { cache: { max: 10_000 } });
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message.split('\n')[0];
    throw new ConfigError(`GEOIP_DB: cannot open ${path} as a MaxMind DB file (${reason})`);
  }
  const m = reader.metadata;
  if (m.binaryFormatMajorVersion !== 2 || (m.ipVersion !== 4 && m.ipVersion !== 6) || !Number.isInteger(m.nodeCount)) {
    throw new ConfigError(`GEOIP_DB: ${path} is not a MaxMind DB file (format version 2, IPv4 or IPv6)`);
  }
  return countryLookup(reader);
}
