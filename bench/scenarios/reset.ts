// Password reset by SMS: sign-in screen → "forgot password" → username → "text a code" → code from the fake Twilio →
// new password (hashed with argon2id at production parameters) → done screen. Each user resets once per run, since the
// reset's send limits (30 s between codes, 5 an hour per number) are fixed.
import { randomBytes } from 'node:crypto';
import { expectStatus, HttpError } from '../lib/http.ts';
import { openSignIn, submitAndShow } from './common.ts';
import { PoolExhausted, type Scenario } from './types.ts';

export const reset: Scenario = {
  name: 'reset',
  description: 'SMS password reset: identify, code, new password, done',
  async run(ctx) {
    const i = ctx.next('reset');
    const user = ctx.seed.resetUsers[i];
    if (!user) throw new PoolExhausted(`all ${ctx.seed.resetUsers.length} reset users used`);
    const browser = ctx.browser();
    const t = ctx.target;
    try {
      const { uid } = await openSignIn(browser, t);
      const start = expectStatus(await browser.request(`${t.local}/interaction/${uid}/reset`), 200, 'reset-start');
      const method = await submitAndShow(browser, start, { login: user.username }, 'identify', /\/reset\/method$/);
      const codePage = await submitAndShow(browser, method, { method: 'sms' }, 'send', /\/reset\/code$/);
      const code = await ctx.takeCode(user.phone);
      const passwordPage = await submitAndShow(browser, codePage, { code }, 'code', /\/reset\/password$/);
      const password = `bench reset ${randomBytes(9).toString('base64url')}`;
      const done = await submitAndShow(browser, passwordPage, { password, confirm: password }, 'password', /\/reset\/done$/);
      if (!done.body.includes('password was changed')) throw new HttpError('done: not confirmed', 'done:text');
    } catch (err) {
      await ctx.dropCodes(user.phone);
      throw err;
    }
  },
};
