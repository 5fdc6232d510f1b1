// Reset codes: bound to their purpose (a sign-in code never works here), expiry on the clock, attempt limits, resend cooldown.
import { expect } from 'chai';
import { next, requestCode, type ResetEnv, startResetEnv, submit, textedCode } from './harness.ts';

describe('password reset codes', () => {
  let env: ResetEnv;
  before(async () => {
    env = await startResetEnv();
  });
  after(() => env?.close());

  it('refuses a sign-in code issued for the same interaction and number, and a reset code does not sign in', async () => {
    const user = await env.user('lena');
    const r = await requestCode(env, 'lena');
    const resetCode = await textedCode(env, user.phone!);
    const login = await env.container.codes.issue({ purpose: 'login', flowId: r.uid, phone: user.phone!, length: 6, lifetimeSeconds: 300, maxAttempts: 5 });

    const refused = await submit(r.ua, r.code, { code: login.code });
    expect(refused.status).to.equal(401);
    expect(refused.html).to.contain('That code is not correct or has expired');

    const asLogin = await env.container.codes.verify({ purpose: 'login', flowId: r.uid, phone: user.phone!, code: resetCode });
    expect(asLogin.ok, 'the reset code is not a sign-in code').to.equal(false);

    const accepted = await submit(r.ua, refused, { code: resetCode });
    expect(accepted.status).to.equal(303);
    expect(accepted.headers.get('location')).to.match(/\/reset\/password$/);
  });

  it('expires with the policy lifetime', async () => {
    await env.policy({ passwordUpdate: { resetCodeLifetimeSeconds: 120 } });
    try {
      const user = await env.user('mia');
      const r = await requestCode(env, 'mia');
      const code = await textedCode(env, user.phone!);
      expect(env.fake.messagesTo(user.phone!).at(-1)!.body).to.contain('It expires in 2 minutes');
      env.clock.advance(121_000);
      const late = await submit(r.ua, r.code, { code });
      expect(late.status).to.equal(401);
      expect(late.html).to.contain('That code is not correct or has expired');

      const user2 = await env.user('nina');
      const r2 = await requestCode(env, 'nina');
      const code2 = await textedCode(env, user2.phone!);
      env.clock.advance(119_000);
      expect((await submit(r2.ua, r2.code, { code: code2 })).status, 'still valid just before').to.equal(303);
    } finally {
      await env.policy({ passwordUpdate: { resetCodeLifetimeSeconds: 600 } });
    }
  });

  it('stops a code after its wrong attempts, then slows the number down', async () => {
    await env.container.smsFactor.save({ resetCode: { maxAttempts: 3 } });
    try {
      const user = await env.user('olga');
      const r = await requestCode(env, 'olga');
      const code = await textedCode(env, user.phone!);
      const wrong = code === '000000' ? '111111' : '000000';
      let page = r.code;
      for (let i = 0; i < 3; i++) {
        page = await submit(r.ua, page, { code: wrong });
        expect(page.status, `wrong code ${i + 1}`).to.equal(401);
      }
      const right = await submit(r.ua, page, { code });
      expect(right.status, 'the right code after the last attempt').to.equal(401);
      expect(right.html).to.contain('That code is not correct or has expired');

      // More than five wrong codes for one number (across codes) make it wait before trying again.
      page = right;
      for (let i = 0; i < 2; i++) {
        page = await submit(r.ua, page, { code: wrong });
        expect(page.status).to.equal(401);
      }
      page = await submit(r.ua, page, { code });
      expect(page.status).to.equal(429);
      expect(Number(page.headers.get('retry-after'))).to.be.greaterThan(0);
      expect(page.html).to.contain('Too many wrong codes');
    } finally {
      await env.container.smsFactor.save({ resetCode: { maxAttempts: 5 } });
    }
  });

  it('asks for the right number of digits', async () => {
    await env.user('pia');
    const r = await requestCode(env, 'pia');
    const page = await submit(r.ua, r.code, { code: '12ab' });
    expect(page.status).to.equal(400);
    expect(page.html).to.contain('Enter the 6-digit code');
  });

  it('resends only after the cooldown, and the new code replaces the old one', async () => {
    const user = await env.user('quinn');
    const r = await requestCode(env, 'quinn');
    expect(r.code.html).to.match(/id="resend"[^>]*disabled/);
    const first = await textedCode(env, user.phone!);

    const early = await submit(r.ua, r.code, {}, 1);
    expect(early.status).to.equal(429);
    expect(Number(early.headers.get('retry-after'))).to.be.within(1, 30);
    expect(early.html).to.contain('Too many codes were requested');

    env.clock.advance(31_000);
    const again = await submit(r.ua, early, {}, 1);
    expect(again.status).to.equal(303);
    expect(again.headers.get('location')).to.match(/\/reset\/code\?resent=1$/);
    const codePage = await next(r.ua, again);
    expect(codePage.html).to.contain('A new code is on its way');
    const second = await textedCode(env, user.phone!);
    expect(env.fake.messagesTo(user.phone!)).to.have.length(2);

    if (first !== second) expect((await submit(r.ua, codePage, { code: first })).status, 'the old code').to.equal(401);
    expect((await submit(r.ua, codePage, { code: second })).status).to.equal(303);
  });
});
