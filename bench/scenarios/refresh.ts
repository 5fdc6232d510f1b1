// Refresh token rotation: each worker signs in once with the password (offline_access, prompt=consent; not measured),
// then every flow trades its refresh token for a new one, an access token and a verified ID token.
import { HttpError, locationOf } from '../lib/http.ts';
import { resumeToCallback, tokenRequest, validTokens } from '../lib/oidc.ts';
import { openSignIn, submit } from './common.ts';
import type { Scenario, WorkerContext } from './types.ts';

async function signIn(ctx: WorkerContext): Promise<string> {
  const users = ctx.seed.loginUsers;
  const browser = ctx.browser();
  const t = ctx.target;
  const { req, page } = await openSignIn(browser, t, { scope: 'openid offline_access', prompt: 'consent' });
  const answer = await submit(browser, page, { login: users[ctx.worker % users.length]!, password: ctx.seed.password }, 'login');
  const authCode = await resumeToCallback(browser, t, locationOf(answer, 'login'), req);
  const res = await tokenRequest(ctx.pool, t, { grant_type: 'authorization_code', code: authCode, redirect_uri: t.redirectUri, code_verifier: req.verifier });
  const { tokens } = await validTokens(ctx.pool, t, res, { idToken: true, nonce: req.nonce, refreshToken: true });
  return tokens.refresh_token!;
}

export const refresh: Scenario<{ token: string }> = {
  name: 'refresh',
  description: 'refresh token grant with rotation',
  async prepare(ctx) {
    return { token: await signIn(ctx) };
  },
  async run(ctx, state) {
    const res = await tokenRequest(ctx.pool, ctx.target, { grant_type: 'refresh_token', refresh_token: state.token });
    if (res.status !== 200) state.token = await signIn(ctx); // a lost token must not fail every later flow
    const { tokens } = await validTokens(ctx.pool, ctx.target, res, { idToken: true, refreshToken: true });
    if (tokens.refresh_token === state.token) throw new HttpError('refresh: token not rotated', 'refresh:not-rotated');
    state.token = tokens.refresh_token!;
  },
};
