// The baseline's login, the same shape as Codeword's: /auth (PKCE S256) → interaction screen (auto-submitting form) →
// submit → resume → callback → token with a verified ID token.
import { locationOf } from '../lib/http.ts';
import { resumeToCallback, tokenRequest, validTokens } from '../lib/oidc.ts';
import { openSignIn, submit } from './common.ts';
import type { Scenario } from './types.ts';

export const baselineLogin: Scenario = {
  name: 'baseline-login',
  description: 'bare oidc-provider: auto-login form, auth code + PKCE, token',
  async run(ctx) {
    const users = ctx.seed.loginUsers;
    const browser = ctx.browser();
    const t = ctx.target;
    const { req, page } = await openSignIn(browser, t);
    const answer = await submit(browser, page, { login: users[ctx.next('login') % users.length]! }, 'login');
    const authCode = await resumeToCallback(browser, t, locationOf(answer, 'login'), req);
    const res = await tokenRequest(ctx.pool, t, { grant_type: 'authorization_code', code: authCode, redirect_uri: t.redirectUri, code_verifier: req.verifier });
    await validTokens(ctx.pool, t, res, { idToken: true, nonce: req.nonce });
  },
};
