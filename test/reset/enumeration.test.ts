// Nothing tells who has an account or a phone: unknown users, users without a usable phone or without SMS reset see what a real user sees, and get no SMS.
import { expect } from 'chai';
import { policyInputSchema } from '../../src/policies/schema.ts';
import type { Page } from '../helpers/user-agent.ts';
import { UserAgent } from '../helpers/user-agent.ts';
import { atSignIn, next, type ResetEnv, SUPPORT, startResetEnv, submit } from './harness.ts';

const FLOOR_MS = 250;

/** A response as an observer compares it: status, headers but the date, and the body without per-request values. */
function observed(page: Page, uid: string) {
  const csrf = page.html.match(/name="csrf" value="([^"]+)"/)?.[1];
  let body = page.html.replaceAll(uid, 'UID').replace(/••• ••• \d{4}/g, '••• ••• NNNN');
  if (csrf) body = body.replaceAll(csrf, 'CSRF');
  const headers = [...page.headers].filter(([name]) => name !== 'date').map(([name, value]) => [name, value.replaceAll(uid, 'UID')]);
  return { status: page.status, headers, body };
}

describe('password reset without enumeration', () => {
  let env: ResetEnv;
  before(async () => {
    env = await startResetEnv({ sendFloorMs: FLOOR_MS });
    await env.user('known');
    await env.user('nophone', { phoneNumber: null });
    await env.user('landline', { phoneNumber: '+61293744000' });
    const disabled = await env.user('disabled');
    await env.container.users.setDisabled(disabled.id, true);
    const noSms = await env.container.policies.create(policyInputSchema.parse({ name: 'No SMS reset', mfa: { factors: ['sms'] }, passwordUpdate: { methods: [] } }));
    const notAllowed = await env.user('notallowed');
    await env.container.policies.assignUser(notAllowed.id, noSms.id);
  });
  after(() => env?.close());

  /** Runs the reset up to a wrong code and records every answer, and how long sending took. */
  async function run(login: string) {
    env.clock.advance(31_000); // past the resend cooldown of an earlier run for the same number
    const r = await atSignIn(env);
    const identified = await submit(r.ua, await r.ua.request(r.base), { login });
    const method = await next(r.ua, identified);
    const started = performance.now();
    const sent = await submit(r.ua, method, { method: 'sms' });
    const sendMs = performance.now() - started;
    const code = await next(r.ua, sent);
    const wrong = await submit(r.ua, code, { code: '000000' });
    const digits = method.html.match(/••• ••• \d{4}/)?.[0];
    return {
      sendMs,
      digits,
      seen: [identified, method, sent, code, wrong].map((p) => observed(p, r.uid)),
    };
  }

  it('answers every step the same way for unknown users, users without a usable phone, disabled users and policies without SMS reset', async () => {
    const known = await run('known');
    expect(known.seen.map((s) => s.status)).to.deep.equal([303, 200, 303, 200, 401]);
    expect(known.seen[1]!.body).to.contain(`Contact ${SUPPORT} to reset your password`);

    await env.deliver();
    for (const login of ['nobody-at-all', 'nophone', 'landline', 'disabled', 'notallowed']) {
      const before = (await env.outbox()).length;
      const postsBefore = env.fake.messagePosts;
      const other = await run(login);
      expect(other.seen, login).to.deep.equal(known.seen);
      expect(other.digits, login).to.equal(undefined);
      await env.deliver();
      expect((await env.outbox()).length, `${login}: nothing queued`).to.equal(before);
      expect(env.fake.messagePosts, `${login}: nothing sent`).to.equal(postsBefore);
    }
  });

  it('shows no digit of any number before the code, known or not', async () => {
    for (const login of ['known', 'known@example.test', 'ghost', 'nophone']) expect((await run(login)).digits, login).to.equal(undefined);
  });

  it('takes at least the same time to send, whether an SMS is queued or not', async () => {
    const real = await run('known');
    const decoy = await run('nobody-else');
    expect(real.sendMs).to.be.at.least(FLOOR_MS - 5);
    expect(decoy.sendMs).to.be.at.least(FLOOR_MS - 5);
  });

  it('tells everyone to contact support while SMS is not set up, without asking who they are', async () => {
    await env.container.smsFactor.save({ active: false });
    try {
      const at = await atSignIn(env, new UserAgent());
      const page = await at.ua.request(at.base);
      expect(page.status).to.equal(200);
      expect(page.html).to.contain(`Your password cannot be reset online. Contact ${SUPPORT} for help.`);
      expect(page.html).not.to.contain('name="login"');
    } finally {
      await env.container.smsFactor.save({ active: true, accountId: env.accountId });
    }
  });
});
