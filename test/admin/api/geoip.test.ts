// The country of password sign-ins from the client IP, only with a GeoIP database (GEOIP_DB); a bad file stops start-up in one line.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Reader } from 'maxmind';
import { ConfigError, loadConfig } from '../../../src/config/index.ts';
import { buildContainer } from '../../../src/container.ts';
import type { NewAuditEvent } from '../../../src/db/audit.ts';
import { createSignInEvents } from '../../../src/db/sign-in-events.ts';
import { openCountryOfIp } from '../../../src/geoip/country.ts';
import { type MmdbNetwork, writeMmdb } from '../../fakes/mmdb.ts';
import { authorizationRequest, createUser, REDIRECT_URI, registerClient, submitLogin } from '../../helpers/rp.ts';
import { TEST_SECRET } from '../../helpers/server.ts';
import { type Page, UserAgent } from '../../helpers/user-agent.ts';
import { ADMIN, signIn } from '../console/harness.ts';
import { type ApiHarness, type Json, startApi } from './harness.ts';

const projectDir = fileURLToPath(new URL('../../../', import.meta.url));

/** A Country database (country) and a City-like record that has only the registered country. */
const NETWORKS: MmdbNetwork[] = [
  { network: '203.0.113.0/24', data: { continent: { code: 'OC' }, country: { iso_code: 'AU', geoname_id: 2077456, names: { en: 'Australia', fr: 'Australie' } } } },
  { network: '198.51.100.128/25', data: { registered_country: { iso_code: 'FR', names: { en: 'France' } }, city: { names: { en: 'Paris' } } } },
];

/** A user agent whose every request arrives through one proxy on behalf of `ip` (TRUST_PROXY_HOPS=1). */
class ForwardedAgent extends UserAgent {
  constructor(private readonly ip: string) {
    super();
  }
  override request(url: string, init: Parameters<UserAgent['request']>[1] = {}): Promise<Page> {
    return super.request(url, { ...init, headers: { 'x-forwarded-for': this.ip, ...init.headers } });
  }
}

describe('test MaxMind DB writer', () => {
  it('writes IPv4 and IPv6 trees that the maxmind reader reads back, metadata and all', () => {
    for (const ipVersion of [4, 6] as const) {
      const extra: MmdbNetwork[] = ipVersion === 6 ? [{ network: '2001:db8::/32', data: { country: { iso_code: 'JP' } } }] : [];
      const reader = new Reader<Json>(writeMmdb([...NETWORKS, ...extra], { ipVersion, databaseType: 'GeoLite2-Country', buildEpoch: 1_780_000_000 }));
      expect(reader.metadata).to.deep.include({
        binaryFormatMajorVersion: 2,
        binaryFormatMinorVersion: 0,
        databaseType: 'GeoLite2-Country',
        ipVersion,
        languages: ['en'],
        recordSize: 24,
        description: { en: 'Test database written by test/fakes/mmdb.ts' },
      });
      expect(reader.metadata.buildEpoch.toISOString()).to.equal(new Date(1_780_000_000_000).toISOString());
      expect(reader.getWithPrefixLength('203.0.113.77')).to.deep.equal([NETWORKS[0]!.data, 24]);
      expect(reader.get('198.51.100.200')).to.deep.equal(NETWORKS[1]!.data);
      expect(reader.get('198.51.100.127')).to.equal(null);
      expect(reader.get('10.1.2.3')).to.equal(null);
      if (ipVersion === 6) {
        expect(reader.get('2001:db8:1::5')).to.deep.equal({ country: { iso_code: 'JP' } });
        expect(reader.get('2001:db9::5')).to.equal(null);
      }
    }
  });

  it('encodes long strings, numbers, booleans, arrays and nested networks', () => {
    const long = 'x'.repeat(300);
    const longer = 'y'.repeat(70_000);
    const data = { a: long, b: longer, c: 'z'.repeat(100), n: 4_000_000_000, f: 1.5, t: true, list: ['en', 'fr'], big: 2n ** 40n };
    const reader = new Reader<Json>(writeMmdb([{ network: '192.0.2.0/24', data }, { network: '192.0.2.128/26', data: { inner: 'yes' } }]));
    expect(reader.get('192.0.2.1')).to.deep.equal(data);
    expect(reader.get('192.0.2.130')).to.deep.equal({ inner: 'yes' });
    expect(reader.get('192.0.2.200')).to.deep.include({ t: true });
  });
});

describe('GeoIP country of an IP address', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cw-geoip-'));
    writeFileSync(join(dir, 'country.mmdb'), writeMmdb(NETWORKS, { ipVersion: 6 }));
    writeFileSync(join(dir, 'v4.mmdb'), writeMmdb(NETWORKS, { ipVersion: 4 }));
    writeFileSync(join(dir, 'not.mmdb'), 'this is not a MaxMind database\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads country.iso_code, falls back to registered_country.iso_code, and gives null for private, unknown and malformed addresses', async () => {
    for (const file of ['country.mmdb', 'v4.mmdb']) {
      const countryOf = await openCountryOfIp(join(dir, file));
      expect(countryOf('203.0.113.7')).to.equal('AU');
      expect(countryOf('::ffff:203.0.113.7')).to.equal('AU');
      expect(countryOf('198.51.100.129')).to.equal('FR');
      expect(['10.0.0.1', '127.0.0.1', '192.168.1.1', '::1', '2001:db8::1', 'not an ip', ''].map(countryOf)).to.deep.equal(new Array(7).fill(null));
    }
  });

  it('refuses a missing, a non-MaxMind file and a directory with a configuration error naming GEOIP_DB', async () => {
    for (const [path, reason] of [
      [join(dir, 'missing.mmdb'), /^GEOIP_DB: cannot open .*missing\.mmdb as a MaxMind DB file \(no such file\)$/],
      [join(dir, 'not.mmdb'), /^GEOIP_DB: cannot open .*not\.mmdb as a MaxMind DB file \(.+\)$/],
      [dir, /^GEOIP_DB: cannot open .* as a MaxMind DB file \(EISDIR.*\)$/],
    ] as const) {
      const err = await openCountryOfIp(path).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(ConfigError);
      expect((err as Error).message).to.match(reason);
    }
  });
});

describe('sign-in events with a country lookup', () => {
  const recorded: NewAuditEvent[] = [];
  const events = (countryOfIp: (ip: string) => string | null) =>
    createSignInEvents({ audit: { record: async (e) => void recorded.push(e) as never }, db: undefined as never, now: () => 0, retentionDays: 90, phoneOf: async () => '+61491570156', countryOfIp });

  it('asks it for passwords only (SMS methods keep the phone country), and a lookup that throws still records the event', async () => {
    recorded.length = 0;
    await events(() => 'FR').record({ outcome: 'failure', method: 'password', ip: '203.0.113.9', reason: 'invalid_credentials' });
    await events(() => 'FR').record({ outcome: 'success', amr: ['sms', 'otp'], userId: 'kim', ip: '203.0.113.9' });
    await events(() => {
      throw new Error('corrupt database');
    }).record({ outcome: 'success', amr: ['pwd'], userId: 'kim', ip: '203.0.113.9' });
    expect(recorded.map((e) => [e.action, e.details?.method, e.details?.country])).to.deep.equal([
      ['signin.failure', 'password', 'FR'],
      ['signin.success', 'sms', 'AU'],
      ['signin.success', 'password', null],
    ]);
  });
});

describe('sign-in events: the country of password sign-ins from GEOIP_DB', () => {
  let dir: string;
  let geoipDb: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cw-geoip-'));
    geoipDb = join(dir, 'GeoLite2-Country.mmdb');
    writeFileSync(geoipDb, writeMmdb(NETWORKS, { ipVersion: 6, databaseType: 'GeoLite2-Country' }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A wrong password, then the right one, from `ip`; the sign-in events as the admin API lists them (oldest first). */
  async function signInTwice(api: ApiHarness, ip: string): Promise<Json[]> {
    const rp = await registerClient(api.server);
    await createUser(api.server, 'alice', 'correct horse battery staple', { phoneNumber: null, phoneNumberVerified: false });
    const wrong = new ForwardedAgent(ip);
    const refused = await submitLogin(wrong, await wrong.follow((await authorizationRequest(rp.config)).url.href), 'alice', 'not the password');
    expect(refused.status).to.equal(401);
    const right = new ForwardedAgent(ip);
    const landed = await submitLogin(right, await right.follow((await authorizationRequest(rp.config)).url.href), 'alice', 'correct horse battery staple');
    expect(landed.url.startsWith(REDIRECT_URI), landed.html.slice(0, 300)).to.equal(true);
    const r = await api.call('GET', '/audit-events?action=signin.');
    expect(r.status).to.equal(200);
    return (r.body.items as Json[]).filter((e) => e.details.clientId !== 'codeword-admin-console').reverse();
  }

  it('records AU for a failed and a successful password sign-in from 203.0.113.7, and the console shows it', async () => {
    const api = await startApi({ smsWorker: false, env: { GEOIP_DB: geoipDb, TRUST_PROXY_HOPS: '1', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password } });
    try {
      const events = await signInTwice(api, '203.0.113.7');
      expect(events.map((e) => [e.action, e.details.method, e.details.ip, e.details.country])).to.deep.equal([
        ['signin.failure', 'password', '203.0.113.7', 'AU'],
        ['signin.success', 'password', '203.0.113.7', 'AU'],
      ]);
      // The admin signs in from this machine (127.0.0.1, no country), then reads the audit log and Alice's page.
      const admin = await signIn(api.server);
      const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
      const audit = text((await admin.get('/admin/audit?target=alice')).html);
      expect(audit).to.match(/signin\.success .*IP address 203\.0\.113\.7 Country AU/);
      expect(audit).to.match(/signin\.failure .*IP address 203\.0\.113\.7 Country AU Reason Wrong username, email or password/);
      const alice = await api.server.container.users.findByLogin('alice');
      const page = text((await admin.get(`/admin/users/${alice!.id}`)).html);
      expect(page).to.match(/Recent sign-ins.* Country .*Signed in password test-rp 203\.0\.113\.7 AU .*Failed password 203\.0\.113\.7 AU Wrong username, email or password/);
    } finally {
      await api.close();
    }
  });

  it('records no country from an address the database does not know', async () => {
    const api = await startApi({ smsWorker: false, env: { GEOIP_DB: geoipDb, TRUST_PROXY_HOPS: '1' } });
    try {
      const events = await signInTwice(api, '192.0.2.10');
      expect(events.map((e) => e.details.country)).to.deep.equal([null, null]);
    } finally {
      await api.close();
    }
  });

  it('records no country without GEOIP_DB', async () => {
    const api = await startApi({ smsWorker: false, env: { TRUST_PROXY_HOPS: '1' } });
    try {
      const events = await signInTwice(api, '203.0.113.7');
      expect(events.map((e) => [e.action, e.details.ip, e.details.country])).to.deep.equal([
        ['signin.failure', '203.0.113.7', null],
        ['signin.success', '203.0.113.7', null],
      ]);
    } finally {
      await api.close();
    }
  });

  it('a bad GEOIP_DB stops the container before it opens the database', async () => {
    const config = loadConfig({ NODE_ENV: 'test', SECRET_KEY: TEST_SECRET, DATA_DIR: dir, GEOIP_DB: join(dir, 'nope.mmdb'), DATABASE_URL: `sqlite:${join(dir, 'never.sqlite')}` });
    const err = await buildContainer(config).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ConfigError);
    expect((err as Error).message).to.match(/^GEOIP_DB: cannot open .*nope\.mmdb as a MaxMind DB file \(no such file\)$/);
    expect(existsSync(join(dir, 'never.sqlite'))).to.equal(false);
  });

  it('a bad GEOIP_DB makes the server exit with one configuration line and code 78, no stack trace', async () => {
    const env = { ...process.env, NODE_ENV: 'development', SECRET_KEY: TEST_SECRET, DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'never.sqlite')}`, GEOIP_DB: join(dir, 'README.txt') };
    writeFileSync(join(dir, 'README.txt'), 'not a database');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: projectDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).to.equal(78);
    expect(stderr.trim().split('\n')).to.have.length(1);
    expect(stderr.trim()).to.match(/^Configuration error: GEOIP_DB: cannot open .*README\.txt as a MaxMind DB file \(.+\)$/);
    expect(stdout).not.to.contain('Codeword is serving');
    expect(existsSync(join(dir, 'never.sqlite'))).to.equal(false);
  });
});
