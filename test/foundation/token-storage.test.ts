// What a copy of oidc_payloads yields: no live token. Access and refresh tokens, codes and sessions are stored under a
// keyed hash of their id, yet they keep working; a code redeemed twice at once gives exactly one set of tokens.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { startApi, type ApiHarness } from '../admin/api/harness.ts';
import { authorizationRequest, createUser, exchange, REDIRECT_URI, registerClient, submitLogin } from '../helpers/rp.ts';
import { UserAgent } from '../helpers/user-agent.ts';

describe('tokens at rest', () => {
  let api: ApiHarness;
  before(async () => {
    api = await startApi();
    await createUser(api.server);
  });
  after(() => api.close());

  const dump = async () => JSON.stringify(await api.server.container.db('oidc_payloads').select('id', 'grant_id', 'uid'));

  it('an admin API access token works but appears nowhere in the table', async () => {
    const token = await api.token('admin:read');
    expect((await api.call('GET', '/users', { token })).status).to.equal(200);
    expect(await dump()).not.to.contain(token);
  });

  it('refresh tokens and session ids of a sign-in are stored hashed, and refreshing still works', async () => {
    const rp = await registerClient(api.server);
    const ua = new UserAgent();
    const req = await authorizationRequest(rp.config, { scope: 'openid offline_access', prompt: 'consent' });
    const callback = await submitLogin(ua, await ua.follow(req.url.href), 'alice', 'correct horse battery staple');
    expect(callback.url.startsWith(REDIRECT_URI)).to.equal(true);
    const code = new URL(callback.url).searchParams.get('code')!;
    const tokens = await exchange(rp.config, req, callback.url);
    const stored = await dump();
    for (const secret of [code, tokens.access_token, tokens.refresh_token!]) expect(stored).not.to.contain(secret);
    const session = ua.cookieNames().includes('cw_session');
    expect(session, 'the browser holds a provider session').to.equal(true);
    const refreshed = await oidc.refreshTokenGrant(rp.config, tokens.refresh_token!);
    expect(refreshed.access_token).to.be.a('string');
  });

  it('of two parallel redemptions of one code, exactly one gets tokens', async () => {
    const rp = await registerClient(api.server, { clientId: 'parallel-rp' });
    const ua = new UserAgent();
    const req = await authorizationRequest(rp.config);
    const callback = await submitLogin(ua, await ua.follow(req.url.href), 'alice', 'correct horse battery staple');
    const results = await Promise.allSettled([exchange(rp.config, req, callback.url), exchange(rp.config, req, callback.url)]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(String(failed.reason?.error ?? failed.reason)).to.contain('invalid_grant');
  });
});
