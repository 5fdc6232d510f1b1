// After a reset, what the old password opened is closed: refresh tokens, access tokens and browser sessions (openid-client RP).
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { authorizationRequest, exchange, REDIRECT_URI, submitLogin } from '../helpers/rp.ts';
import { UserAgent } from '../helpers/user-agent.ts';
import { next, OLD_PASSWORD, requestCode, type ResetEnv, startResetEnv, submit, textedCode } from './harness.ts';

describe('password reset revokes sessions and tokens', () => {
  let env: ResetEnv;
  before(async () => {
    env = await startResetEnv();
  });
  after(() => env?.close());

  const errorOf = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (err) {
      return err as { error?: string; status?: number };
    }
    return undefined;
  };

  it('rejects the old refresh token, the old access token and the old browser session', async () => {
    const user = await env.user('ivy');
    const other = await env.user('jack');

    // Signed in on one device with offline access; someone else is signed in too.
    const device = new UserAgent();
    const req = await authorizationRequest(env.rp.config, { scope: 'openid profile offline_access', prompt: 'consent' });
    const callback = await submitLogin(device, await device.follow(req.url.href), 'ivy', OLD_PASSWORD);
    const tokens = await exchange(env.rp.config, req, callback.url);
    expect(tokens.refresh_token).to.be.a('string');
    const otherDevice = new UserAgent();
    const otherReq = await authorizationRequest(env.rp.config, { scope: 'openid offline_access', prompt: 'consent' });
    const otherTokens = await exchange(env.rp.config, otherReq, (await submitLogin(otherDevice, await otherDevice.follow(otherReq.url.href), 'jack', OLD_PASSWORD)).url);

    // The session works before: a new request goes straight back to the app.
    const silent = await device.follow((await authorizationRequest(env.rp.config)).url.href, {}, REDIRECT_URI);
    expect(silent.url.startsWith(REDIRECT_URI), 'signed in before the reset').to.equal(true);

    // The password is reset from another browser.
    const r = await requestCode(env, 'ivy');
    const page = await next(r.ua, await submit(r.ua, r.code, { code: await textedCode(env, user.phone!) }));
    expect((await submit(r.ua, page, { password: 'after the reset 42', confirm: 'after the reset 42' })).status).to.equal(303);

    const refresh = await errorOf(oidc.refreshTokenGrant(env.rp.config, tokens.refresh_token!));
    expect(refresh?.error, 'old refresh token').to.equal('invalid_grant');
    const info = await errorOf(oidc.fetchUserInfo(env.rp.config, tokens.access_token, tokens.claims()!.sub));
    expect(info?.status, 'old access token').to.equal(401);

    const again = await device.follow((await authorizationRequest(env.rp.config)).url.href, {}, REDIRECT_URI);
    expect(again.url.startsWith(REDIRECT_URI), 'the old session no longer signs in').to.equal(false);
    expect(again.html).to.contain('name="password"');

    // Only that user: the other account keeps its tokens.
    const kept = await oidc.refreshTokenGrant(env.rp.config, otherTokens.refresh_token!);
    expect(kept.access_token).to.be.a('string');
    expect(other.id).to.not.equal(user.id);
  });
});
