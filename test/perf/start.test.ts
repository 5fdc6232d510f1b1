// `npm start` runs the compiled build (no TypeScript compiler at run time) and a user can sign in on it, as README says.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';
import { runNpm, type SpawnedServer, spawnServer } from '../helpers/spawn.ts';

describe('npm start', function () {
  this.timeout(300_000);
  let server: SpawnedServer;

  before(async () => {
    server = await spawnServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('runs compiled JavaScript from dist/, not tsx, with 8 MiB semi-spaces, a 1.5× old generation growth, async context frames and two malloc arenas', async () => {
    const lines = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('dist/src/main.js'));
    expect(lines.length, server.output()).to.be.greaterThan(0);
    expect(lines.some((l) => l.includes('--max-semi-space-size=8') && l.includes('--heap-growing-percent=50')), 'with the heap README describes').to.equal(true);
    expect(lines.some((l) => l.includes('--experimental-async-context-frame')), 'with request context in the async context frame').to.equal(true);
    // And with at most two malloc arenas (an environment variable of the server process).
    const environs = lines.map((l) => {
      try {
        return readFileSync(`/proc/${l.trim().split(/\s+/)[0]}/environ`, 'utf8').split('\0');
      } catch {
        return [];
      }
    });
    expect(environs.some((e) => e.includes('MALLOC_ARENA_MAX=2')), 'MALLOC_ARENA_MAX=2 as README says').to.equal(true);
    expect(server.output()).to.not.match(/tsx|ExperimentalWarning/);
  });

  it('serves the screens, their translations and assets, and signs the demo user in through /demo', async () => {
    const password = server.output().match(/created user \\?"demo\\?" with password \\?"([^"\\]+)\\?"/)?.[1];
    expect(password, server.output()).to.be.a('string');

    const ua = new UserAgent({ acceptLanguage: 'de' });
    const signIn = await ua.follow(`${server.url}/demo/login`);
    expect(signIn.status).to.equal(200);
    expect(signIn.headers.get('content-security-policy')).to.match(/frame-ancestors/);
    expect(signIn.html).to.match(/<html lang="de"/);
    const stylesheet = await ua.request(`${server.url}/assets/style.css`);
    expect(stylesheet.status).to.equal(200);
    expect(stylesheet.headers.get('content-type')).to.match(/text\/css/);

    const action = formAction(signIn.html);
    expect(action, signIn.html.slice(0, 500)).to.be.a('string');
    const done = await ua.follow(new URL(action!, signIn.url).href, { form: { csrf: inputValue(signIn.html, 'csrf') ?? '', login: 'demo', password: password! } });
    expect(done.status).to.equal(200);
    expect(done.url).to.equal(`${server.url}/demo`);
    expect(done.html, done.html).to.match(/id="claims"/);
    const claims = JSON.parse(done.html.match(/<pre id="claims">([^<]*)</)![1]!.replaceAll('&#34;', '"')) as Record<string, unknown>;
    expect(claims).to.include({ iss: server.url, aud: 'codeword-demo' });
    expect(claims.amr).to.deep.equal(['pwd']);
  });

  it("keeps the security headers on the provider's own responses (discovery, keys, a protocol error)", async () => {
    const ua = new UserAgent();
    for (const path of ['/.well-known/openid-configuration', '/jwks', '/auth?client_id=nobody']) {
      const page = await ua.request(`${server.url}${path}`);
      expect(page.headers.get('content-security-policy'), path).to.match(/frame-ancestors 'none'/);
      expect(page.headers.get('x-content-type-options'), path).to.equal('nosniff');
    }
  });

  it('runs the command line on the compiled build against the same database', async () => {
    const { code, output } = await runNpm(['run', '--silent', 'cli', '--', 'client:list'], server.env);
    expect(code, output).to.equal(0);
    expect(output).to.contain('codeword-demo');
  });
});
