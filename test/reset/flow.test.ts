// The whole forgot-password flow over HTTP: code read from the texted SMS, new password, back to sign-in; single use; notice and audit.
import { expect } from 'chai';
import { REDIRECT_URI, submitLogin } from '../helpers/rp.ts';
import { UserAgent } from '../helpers/user-agent.ts';
import { atSignIn, next, OLD_PASSWORD, requestCode, type ResetEnv, startResetEnv, SUPPORT, submit, textedCode } from './harness.ts';

const NEW_PASSWORD = 'a brand new passphrase';

describe('password reset by SMS', () => {
  let env: ResetEnv;
  before(async () => {
    env = await startResetEnv();
  });
  after(() => env?.close());

  it('walks from the sign-in screen to a new password with the code from the SMS, and back to sign-in not signed in', async () => {
    const alice = await env.user('alice');
    const at = await atSignIn(env);
    expect(at.page.html, 'starts at the sign-in screen').to.contain('Sign in');

    const start = await at.ua.request(at.base);
    expect(start.status).to.equal(200);
    expect(start.html).to.contain('Reset your password').and.contain('Username or email');

    const identified = await submit(at.ua, start, { login: 'Alice' });
    expect(identified.status).to.equal(303);
    expect(identified.headers.get('location')).to.equal(`/interaction/${at.uid}/reset/method`);

    const method = await next(at.ua, identified);
    expect(method.status).to.equal(200);
    // No digit of the number shows before the code is proven.
    expect(method.html).to.contain('Text a code to the mobile number on the account').and.not.contain(alice.phone!.slice(-4));
    expect(method.html, 'how to get help').to.contain(`Contact ${SUPPORT} to reset your password`);
    expect(method.html, 'the full number is never shown').not.to.contain(alice.phone!.slice(3));

    const sent = await submit(at.ua, method, { method: 'sms' });
    expect(sent.status).to.equal(303);
    expect(sent.headers.get('location')).to.equal(`/interaction/${at.uid}/reset/code`);
    const codePage = await next(at.ua, sent);
    expect(codePage.html).to.contain('Verification code').and.not.contain(alice.phone!.slice(-4));

    const code = await textedCode(env, alice.phone!);
    const sms = env.fake.messagesTo(alice.phone!).at(-1)!;
    expect(sms.body).to.match(new RegExp(`^${code} is your Codeword password reset code\\. It expires in 10 minutes\\.`));

    const verified = await submit(at.ua, codePage, { code });
    expect(verified.status).to.equal(303);
    expect(verified.headers.get('location')).to.equal(`/interaction/${at.uid}/reset/password`);
    const passwordPage = await next(at.ua, verified);
    expect(passwordPage.html).to.contain('New password').and.contain('Confirm new password').and.contain('at least 8 characters');

    const changed = await submit(at.ua, passwordPage, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(changed.status).to.equal(303);
    expect(changed.headers.get('location')).to.equal(`/interaction/${at.uid}/reset/done`);
    const done = await next(at.ua, changed);
    expect(done.html).to.contain('Your password was changed').and.contain(`href="/interaction/${at.uid}"`);

    // Back at the sign-in screen of the same interaction: not signed in, the old password no longer works, the new one does.
    const signIn = await at.ua.request(at.signIn);
    expect(signIn.status).to.equal(200);
    expect(signIn.html).to.contain('Sign in').and.contain('name="password"');
    const refused = await submitLogin(at.ua, signIn, 'alice', OLD_PASSWORD);
    expect(refused.status).to.equal(401);
    const accepted = await submitLogin(at.ua, refused, 'alice', NEW_PASSWORD);
    expect(accepted.url.startsWith(REDIRECT_URI), accepted.html).to.equal(true);

    const stored = (await env.container.users.findById(alice.id))!;
    expect(stored.passwordHash).to.match(/^\$argon2id\$/).and.not.equal(alice.passwordHash);
  });

  it('texts a password_changed notice to the mapped phone and writes one audit event without secrets', async () => {
    const bob = await env.user('bob');
    const r = await requestCode(env, 'bob@example.test');
    const code = await textedCode(env, bob.phone!);
    const passwordPage = await next(r.ua, await submit(r.ua, r.code, { code }));
    await submit(r.ua, passwordPage, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });

    const masked = `+61•••••••${bob.phone!.slice(-2)}`;
    expect((await env.outbox()).filter((m) => m.to === masked).map((m) => m.purpose)).to.deep.equal(['password_changed', 'reset_password']);
    await env.deliver();
    const notice = env.fake.messagesTo(bob.phone!).at(-1)!;
    expect(notice.body).to.match(/^Your Codeword password was changed\. If this was not you, reset it now/);
    expect(notice.body).to.contain(SUPPORT);

    const events = await env.audit.list({ action: 'password.reset', target: bob.id });
    expect(events).to.have.length(1);
    expect(events[0]).to.include({ actor: bob.id, target: bob.id });
    expect(events[0]!.details).to.include({ method: 'sms', flowId: r.uid });
    const text = JSON.stringify(events[0]);
    expect(text).not.to.contain(NEW_PASSWORD);
    expect(text).not.to.contain(code);
  });

  it('is single use: replaying the new-password form or the code changes nothing', async () => {
    const carol = await env.user('carol');
    const r = await requestCode(env, 'carol');
    const code = await textedCode(env, carol.phone!);
    const passwordPage = await next(r.ua, await submit(r.ua, r.code, { code }));
    const first = await submit(r.ua, passwordPage, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(first.status).to.equal(303);
    const hash = (await env.container.users.findById(carol.id))!.passwordHash;

    const replay = await submit(r.ua, passwordPage, { password: 'yet another passphrase', confirm: 'yet another passphrase' });
    expect(replay.status).to.equal(303);
    expect(replay.headers.get('location')).to.equal(`/interaction/${r.uid}/reset/done`);
    const codeReplay = await submit(r.ua, r.code, { code });
    expect(codeReplay.headers.get('location')).to.equal(`/interaction/${r.uid}/reset/done`);

    expect((await env.container.users.findById(carol.id))!.passwordHash, 'the password is the first one').to.equal(hash);
    expect(await env.audit.list({ target: carol.id })).to.have.length(1);
  });

  it('lets exactly one of two simultaneous submissions change the password', async () => {
    const dan = await env.user('dan');
    const r = await requestCode(env, 'dan');
    const code = await textedCode(env, dan.phone!);
    const passwordPage = await next(r.ua, await submit(r.ua, r.code, { code }));
    const answers = await Promise.all(
      ['first passphrase here', 'second passphrase here'].map((p) => submit(r.ua, passwordPage, { password: p, confirm: p })),
    );
    expect(answers.map((a) => a.status)).to.deep.equal([303, 303]);
    expect(await env.audit.list({ target: dan.id })).to.have.length(1);
    const notices = (await env.outbox()).filter((m) => m.purpose === 'password_changed' && m.to.endsWith(dan.phone!.slice(-2)));
    expect(notices).to.have.length(1);
  });

  it('refuses a new password once the time to choose it is over, and says to start again', async () => {
    const erin = await env.user('erin');
    const r = await requestCode(env, 'erin');
    const code = await textedCode(env, erin.phone!);
    const passwordPage = await next(r.ua, await submit(r.ua, r.code, { code }));
    env.clock.advance(601_000);
    const late = await submit(r.ua, passwordPage, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(late.status).to.equal(303);
    expect(late.headers.get('location')).to.equal(`/interaction/${r.uid}/reset?again=1`);
    expect((await next(r.ua, late)).html).to.contain('can no longer be used. Start again.');
    expect((await env.container.users.findById(erin.id))!.passwordHash).to.equal(erin.passwordHash);
  });

  it('sends a browser without reset state to the first screen, and refuses forms without the CSRF token', async () => {
    const at = await atSignIn(env);
    for (const step of ['method', 'code', 'password', 'done']) {
      const page = await at.ua.request(`${at.base}/${step}`);
      expect(page.status, step).to.equal(303);
      expect(page.headers.get('location'), step).to.equal(`/interaction/${at.uid}/reset`);
    }
    const forged = await at.ua.request(at.base, { form: { login: 'alice' } });
    expect(forged.status).to.equal(403);
    const stranger = await new UserAgent().request(at.base);
    expect(stranger.status, 'another browser has no interaction').to.equal(400);
  });
});
