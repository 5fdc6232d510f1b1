// Password sign-in: /auth (PKCE S256) → sign-in screen → username and password (argon2id verify) → resume
// (first-party consent) → callback → token with a verified ID token (amr pwd).
import { locationOf } from '../lib/http.ts';
import { resumeToCallback, tokenRequest, validTokens } from '../lib/oidc.ts';
import { openSignIn, submit } from './common.ts';
import type { Scenario } from './types.ts';

export const passwordLogin: Scenario = {
  name: 'password-login',
  description: 'password sign-in, auth code + PKCE, token',
  async run(ctx) {
    const users = ctx.seed.loginUsers;
    const username = users[ctx.next('login') % users.length]!;
    const browser = ctx.browser();
    const t = ctx.target;
    const { req, page } = await openSignIn(browser, t);
    const answer = await submit(browser, page, { login: username, password: ctx.seed.password }, 'login');
    const authCode = await resumeToCallback(browser, t, locationOf(answer, 'login'), req);
    const res = await tokenRequest(ctx.pool, t, { grant_type: 'authorization_code', code: authCode, redirect_uri: t.redirectUri, code_verifier: req.verifier });
    await validTokens(ctx.pool, t, res, { idToken: true, nonce: req.nonce, amr: 'pwd' });
  },
};
