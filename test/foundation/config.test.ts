// Configuration: defaults, errors that name the variable, production refusals, README's tables equal the generated ones, proxy hops, development HOST, issuer slash.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { configurationReference, readmeReference } from '../../src/config/reference.ts';

describe('configuration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cw-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const secret = 'x'.repeat(40);

  it('defaults to port 3000, a localhost issuer and an embedded SQLite file', () => {
    const c = loadConfig({ DATA_DIR: dir, SECRET_KEY: secret });
    expect(c.port).to.equal(3000);
    expect(c.issuer).to.equal('http://localhost:3000');
    expect(c.database).to.deep.equal({ client: 'better-sqlite3', filename: join(dir, 'codeword.sqlite') });
    expect(Object.isFrozen(c)).to.equal(true);
  });

  it('reads MySQL URLs and follows PORT in the default issuer', () => {
    const c = loadConfig({ DATA_DIR: dir, SECRET_KEY: secret, PORT: '4000', DATABASE_URL: 'mysql://u:p@db:3306/codeword' });
    expect(c.issuer).to.equal('http://localhost:4000');
    expect(c.database).to.deep.equal({ client: 'mysql2', url: 'mysql://u:p@db:3306/codeword' });
  });

  for (const [name, value] of [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['ISSUER', 'not a url'],
    ['DATABASE_URL', 'postgres://x/y'],
    ['SECRET_KEY', 'short'],
    ['TRUST_PROXY', 'maybe'],
    ['LOG_LEVEL', 'loud'],
  ] as const) {
    it(`stops with a message naming ${name} for ${JSON.stringify(value)}`, () => {
      expect(() => loadConfig({ DATA_DIR: dir, SECRET_KEY: secret, [name]: value })).to.throw(ConfigError, new RegExp(`^${name}: `));
    });
  }

  it('generates a development secret once, keeps it, and warns', () => {
    const first = loadConfig({ DATA_DIR: dir });
    expect(first.warnings[0]).to.match(/SECRET_KEY is not set/);
    expect(existsSync(join(dir, 'secret-key'))).to.equal(true);
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.secretKey).to.equal(first.secretKey);
    expect(second.warnings).to.deep.equal([]);
  });

  it('refuses to start in production without SECRET_KEY, with SQLite, or without https', () => {
    const prod = { NODE_ENV: 'production', DATA_DIR: dir, ISSUER: 'https://id.example.com', DATABASE_URL: 'mysql://u@db/codeword' };
    expect(() => loadConfig({ ...prod })).to.throw(ConfigError, /^SECRET_KEY: required/);
    expect(() => loadConfig({ ...prod, SECRET_KEY: secret, DATABASE_URL: 'sqlite:/tmp/x.sqlite' })).to.throw(ConfigError, /^DATABASE_URL: SQLite is refused/);
    expect(loadConfig({ ...prod, SECRET_KEY: secret, DATABASE_URL: 'sqlite:/tmp/x.sqlite', ALLOW_SQLITE_IN_PRODUCTION: 'true' }).database.client).to.equal('better-sqlite3');
    expect(() => loadConfig({ ...prod, SECRET_KEY: secret, ISSUER: 'http://id.example.com' })).to.throw(ConfigError, /^ISSUER: must be an https URL/);
    expect(loadConfig({ ...prod, SECRET_KEY: secret, DEMO_CLIENT: 'true' }).demoClient).to.equal(false);
  });

  it("README's configuration tables are exactly the generated ones (run `npm run docs:config` after changing a setting)", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readmeReference(readme)).to.equal(configurationReference());
  });

  it('refuses TRUST_PROXY=true, naming the hop count that replaces it', () => {
    expect(() => loadConfig({ DATA_DIR: dir, SECRET_KEY: secret, TRUST_PROXY: 'true' })).to.throw(ConfigError, /^TRUST_PROXY: .*TRUST_PROXY_HOPS/);
    expect(loadConfig({ DATA_DIR: dir, SECRET_KEY: secret, TRUST_PROXY: 'false' }).trustProxyHops).to.equal(0);
    expect(loadConfig({ DATA_DIR: dir, SECRET_KEY: secret, TRUST_PROXY_HOPS: '2' }).trustProxyHops).to.equal(2);
    expect(() => loadConfig({ DATA_DIR: dir, SECRET_KEY: secret, TRUST_PROXY_HOPS: '-1' })).to.throw(ConfigError, /^TRUST_PROXY_HOPS: /);
  });

  it('in development refuses a HOST other machines can reach, unless DEV_ALLOW_REMOTE=true', () => {
    expect(() => loadConfig({ DATA_DIR: dir, SECRET_KEY: secret, HOST: '0.0.0.0' })).to.throw(ConfigError, /^HOST: .*DEV_ALLOW_REMOTE=true/);
    expect(() => loadConfig({ DATA_DIR: dir, SECRET_KEY: secret, HOST: '192.168.1.20' })).to.throw(ConfigError, /^HOST: /);
    expect(loadConfig({ DATA_DIR: dir, SECRET_KEY: secret, HOST: '0.0.0.0', DEV_ALLOW_REMOTE: 'true' }).host).to.equal('0.0.0.0');
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) expect(loadConfig({ DATA_DIR: dir, SECRET_KEY: secret, HOST: host }).host).to.equal(host);
    const prod = { NODE_ENV: 'production', DATA_DIR: dir, SECRET_KEY: secret, ISSUER: 'https://id.example.com', DATABASE_URL: 'mysql://u@db/codeword' };
    expect(loadConfig({ ...prod, HOST: '0.0.0.0' }).host).to.equal('0.0.0.0');
  });

  it('keeps ISSUER verbatim (a trailing slash included) and derives a slash-free base for URLs', () => {
    const c = loadConfig({ DATA_DIR: dir, SECRET_KEY: secret, ISSUER: 'https://id.example.com/' });
    expect(c.issuer).to.equal('https://id.example.com/');
    expect(c.urlBase).to.equal('https://id.example.com');
    expect(loadConfig({ DATA_DIR: dir, SECRET_KEY: secret, ISSUER: 'https://id.example.com' }).urlBase).to.equal('https://id.example.com');
  });

  it('reads the SMS, throttle and failure settings operators set, with the documented defaults', () => {
    const d = loadConfig({ DATA_DIR: dir, SECRET_KEY: secret });
    expect(d.sms.homeCountry).to.equal(undefined);
    expect(d.sms.providerHosts).to.deep.equal(['api.twilio.com', '*.twilio.com', '*.aliyuncs.com']);
    expect(d.sms.autofill).to.equal(true);
    expect(d.throttle.freeAccountFailures).to.equal(5);
    const c = loadConfig({
      DATA_DIR: dir,
      SECRET_KEY: secret,
      SMS_HOME_COUNTRY: 'cn',
      SMS_PROVIDER_HOSTS: 'sms.example.com, *.example.net',
      SMS_AUTOFILL: 'false',
      SMS_PROVIDER_TIMEOUT_MS: '2500',
      SMS_WORKER_INTERVAL_MS: '250',
      LOGIN_FREE_ACCOUNT_FAILURES: '3',
      CODE_FREE_FAILURES: '2',
    });
    expect(c.sms).to.include({ homeCountry: 'CN', autofill: false, providerTimeoutMs: 2500 });
    expect(c.sms.providerHosts).to.deep.equal(['sms.example.com', '*.example.net']);
    expect(c.sms.worker.intervalMs).to.equal(250);
    expect(c.throttle.freeAccountFailures).to.equal(3);
    expect(c.codeFailures.freeFailures).to.equal(2);
    expect(() => loadConfig({ DATA_DIR: dir, SECRET_KEY: secret, SMS_HOME_COUNTRY: 'China' })).to.throw(ConfigError, /^SMS_HOME_COUNTRY: /);
  });
});
