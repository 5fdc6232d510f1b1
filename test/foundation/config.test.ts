// Configuration: defaults, errors that name the variable, production refusals, README documents every variable.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { settings } from '../../src/config/schema.ts';

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

  it('documents every variable in README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(settings)) expect(readme, name).to.contain(`| \`${name}\` |`);
  });
});
