// The reset screens tell nobody who has an account or a phone: no digits before the code, one account's two identifiers look like two accounts, probing is limited, admins are off SMS reset.
import { expect } from 'chai';
import type { Page } from '../helpers/user-agent.ts';
import { atSignIn, requestCode, type ResetEnv, startResetEnv, submit, textedCode } from '../reset/harness.ts';

/** Status and body of a page, without per-request values. */
const seen = (page: Page, uid: string) => {
  const csrf = page.html.match(/name="csrf" value="([^"]+)"/)?.[1] ?? 'none';
  return { status: page.status, body: page.html.replaceAll(uid, 'UID').replaceAll(csrf, 'CSRF') };
};

describe('security: the reset screens', () => {
  let env: ResetEnv;
  before(async () => {
    env = await startResetEnv();
    await env.user('pia');
    await env.user('quinn');
    await env.user('ruth');
  });
  after(() => env?.close());
  beforeEach(() => env.clock.advance(3600_000));

  it('shows no digit of the real number before the code is proven', async () => {
    const pia = await env.container.users.findByLogin('pia');
    const r = await requestCode(env, 'pia');
    for (const page of [r.method, r.code]) {
      expect(page.html).to.not.contain(pia!.phoneNumber!.slice(-4));
      expect(page.html).to.not.match(/••• ••• \d{4}/);
    }
  });

  it('answers the username and then the email of one account exactly as it answers two accounts', async () => {
    const one = [await requestCode(env, 'quinn'), await requestCode(env, 'quinn@example.test')];
    env.clock.advance(3600_000);
    const two = [await requestCode(env, 'ruth'), await requestCode(env, 'pia@example.test')];
    const observed = (runs: typeof one) => runs.map((r) => [r.method, r.sent, r.code].map((p) => seen(p, r.uid)));
    expect(observed(one)).to.deep.equal(observed(two));
    expect(one.map((r) => r.sent.status)).to.deep.equal([303, 303]);
  });
});

describe('security: probing the reset screen', () => {
  let env: ResetEnv;
  before(async () => {
    env = await startResetEnv({ identifyPerIpPer15Min: 5 });
  });
  after(() => env?.close());

  it('limits how many identifiers one address may look up', async () => {
    const r = await atSignIn(env);
    const start = await r.ua.request(r.base);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await submit(r.ua, start, { login: `probe-${i}` })).status);
    expect(statuses).to.deep.equal([303, 303, 303, 303, 303]);
    const refused = await submit(r.ua, start, { login: 'probe-last' });
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers.get('retry-after'))).to.be.greaterThan(0);
    expect(refused.html).to.contain('Too many attempts');
  });
});

describe('security: one phone is not enough for an admin', () => {
  let env: ResetEnv;
  before(async () => {
    env = await startResetEnv();
    await env.user('boss', { roles: ['admin'] });
  });
  after(() => env?.close());

  it('offers no SMS reset to an admin unless the policy explicitly allows it', async () => {
    const before = (await env.outbox()).length;
    const refused = await requestCode(env, 'boss');
    expect(refused.code.status).to.equal(200);
    await env.deliver();
    expect((await env.outbox()).length, 'no code texted to the admin').to.equal(before);

    await env.policy({ passwordUpdate: { smsForAdmins: true } });
    try {
      env.clock.advance(3600_000);
      const boss = await env.container.users.findByLogin('boss');
      const allowed = await requestCode(env, 'boss');
      expect(allowed.sent.status).to.equal(303);
      expect(await textedCode(env, boss!.phoneNumber!)).to.match(/^\d{6}$/);
    } finally {
      await env.policy({ passwordUpdate: { smsForAdmins: false } });
    }
  });

  it('keeps both new policy settings off by default: no SMS reset for admins, the password after an SMS sign-in', async () => {
    const policy = await env.container.policies.getDefault();
    expect(policy.passwordUpdate.smsForAdmins).to.equal(false);
    expect(policy.mfa.afterSms).to.equal('password');
  });
});
