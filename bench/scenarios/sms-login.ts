// Passwordless sign-in by SMS: /auth (PKCE S256) → sign-in screen → its phone number form → code screen → code read
// from the fake Twilio → verify → resume (first-party consent) → callback → token; valid only with a verified ID token
// (amr sms).
import { locationOf } from '../lib/http.ts';
import { resumeToCallback, tokenRequest, validTokens } from '../lib/oidc.ts';
import { openSignIn, submit, submitAndShow } from './common.ts';
import type { Scenario } from './types.ts';

export const smsLogin: Scenario<{ turn: number }> = {
  name: 'sms-login',
  description: 'passwordless SMS sign-in, auth code + PKCE, token',
  async prepare() {
    return { turn: 0 };
  },
  async run(ctx, state) {
    const phones = ctx.seed.smsPhones;
    // Each worker owns its own numbers, so a code read is always this flow's.
    const perWorker = Math.max(1, Math.floor(phones.length / ctx.workers));
    const phone = phones[(ctx.worker * perWorker + (state.turn++ % perWorker)) % phones.length]!;
    const browser = ctx.browser();
    const t = ctx.target;
    try {
      const { req, page, uid } = await openSignIn(browser, t);
      if (!page.body.includes(`action="/interaction/${uid}/sms"`)) throw new Error('sign-in screen: no phone number form');
      const codePage = await submitAndShow(browser, page, { phone }, 'phone', /\/sms\/code$/, '/sms');
      const code = await ctx.takeCode(phone);
      const verified = await submit(browser, codePage, { code }, 'code');
      const resume = locationOf(verified, 'code');
      const authCode = await resumeToCallback(browser, t, resume, req);
      const res = await tokenRequest(ctx.pool, t, { grant_type: 'authorization_code', code: authCode, redirect_uri: t.redirectUri, code_verifier: req.verifier });
      await validTokens(ctx.pool, t, res, { idToken: true, nonce: req.nonce, amr: 'sms' });
    } catch (err) {
      await ctx.dropCodes(phone);
      throw err;
    }
  },
};
