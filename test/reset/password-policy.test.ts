// The new password obeys the user's policy, with clear localized messages: length, common passwords, own username/email, mismatch.
import { expect } from 'chai';
import { policyInputSchema } from '../../src/policies/schema.ts';
import { UserAgent } from '../helpers/user-agent.ts';
import { next, type ResetEnv, requestCode, startResetEnv, submit, textedCode } from './harness.ts';

describe('password reset: the new password and the policy', () => {
  let env: ResetEnv;
  before(async () => {
    env = await startResetEnv();
  });
  after(() => env?.close());

  /** A user at the new-password screen. */
  async function atPasswordStep(username: string, extra: { email?: string } = {}, ua = new UserAgent()) {
    const user = await env.user(username, extra);
    const r = await requestCode(env, username, ua);
    const code = await textedCode(env, user.phone!);
    const page = await next(r.ua, await submit(r.ua, r.code, { code }));
    return { user, ua: r.ua, page };
  }

  /** The messages of the alert on a refused submission. */
  const problems = (html: string) =>
    [...(html.match(/<div class="error" role="alert"[^>]*>([\s\S]*?)<\/div>/)?.[1] ?? '').matchAll(/<(?:p|li)>([^<]*)<\/(?:p|li)>/g)].map((m) => m[1]);

  it('lists every problem with the password and keeps the user on the screen until it is acceptable', async () => {
    const { user, ua, page } = await atPasswordStep('frederick', { email: 'fred.smith@example.test' });
    const cases: [string, string, string[]][] = [
      ['', '', ['Enter your new password in both fields.']],
      ['short', 'short', ['The password must have at least 8 characters.', 'This password is too common and easy to guess. Choose another one.']],
      ['password123', 'password123', ['This password is too common and easy to guess. Choose another one.']],
      ['Frederick2024!', 'Frederick2024!', ['This password is too common and easy to guess. Choose another one.', 'The password must not be your username or look like it.']],
      ['fred.smith99', 'fred.smith99', ['The password must not be your email address or look like it.']],
      ['a long and fine passphrase', 'a long and fine passphrase!', ['The two passwords do not match.']],
      ['x'.repeat(129), 'x'.repeat(129), ['The password must have at most 128 characters.']],
    ];
    let current = page;
    for (const [password, confirm, expected] of cases) {
      current = await submit(ua, current, { password, confirm });
      expect(current.status, password).to.equal(400);
      expect(problems(current.html), password).to.deep.equal(expected);
      expect(current.html).to.contain('aria-describedby="password-rules form-error"');
    }
    expect((await env.container.users.findById(user.id))!.passwordHash, 'nothing changed yet').to.equal(user.passwordHash);
    const ok = await submit(ua, current, { password: 'a long and fine passphrase', confirm: 'a long and fine passphrase' });
    expect(ok.status).to.equal(303);
  });

  it("announces and enforces the user's policy minimum", async () => {
    const strict = await env.container.policies.create(policyInputSchema.parse({ name: 'Strict', mfa: { factors: ['sms'] }, password: { minLength: 14 }, passwordUpdate: { methods: ['sms'] } }));
    const user = await env.user('greta');
    await env.container.policies.assignUser(user.id, strict.id);
    const r = await requestCode(env, 'greta');
    const page = await next(r.ua, await submit(r.ua, r.code, { code: await textedCode(env, user.phone!) }));
    expect(page.html).to.contain('Use at least 14 characters.');
    const refused = await submit(r.ua, page, { password: 'thirteen char', confirm: 'thirteen char' });
    expect(problems(refused.html)).to.deep.equal(['The password must have at least 14 characters.']);
  });

  it('speaks the language of the browser', async () => {
    const { ua, page } = await atPasswordStep('hanna', {}, new UserAgent({ acceptLanguage: 'de-DE, de;q=0.9' }));
    expect(page.html).to.contain('Neues Passwort').and.contain('Neues Passwort bestätigen');
    const refused = await submit(ua, page, { password: 'Qz7!wv', confirm: 'Qz7!wvx' });
    expect(problems(refused.html)).to.deep.equal([
      'Das Passwort muss mindestens 8 Zeichen lang sein.',
      'Die beiden Passwörter stimmen nicht überein.',
    ]);
  });
});
