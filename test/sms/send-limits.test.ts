// SMS send limits keyed so they protect users: per purpose and requester, a silent per-number ceiling, MFA's own budget.
import { expect } from 'chai';
import { type CodePurpose, createCodeEngine } from '../../src/codes/index.ts';
import { type CounterStore, createSqlCounters } from '../../src/counters/index.ts';
import { createUsersRepo } from '../../src/db/users.ts';
import { createSmsCodeMethod } from '../../src/methods/sms-code/index.ts';
import { createSendLimits, type SendDecision, type SendLimitSettings, type SendLimits, type SendRequest } from '../../src/sms/limits/index.ts';
import { type Clock, type CodesFixture, codesFixture, createClock, uniqueFlow, uniquePhone } from '../codes/fixture.ts';

describe('SMS send limits', () => {
  let fx: CodesFixture;
  let clock: Clock;
  let counters: CounterStore;
  let limits: SendLimits;
  let ipCounter = 0;
  const uniqueIp = () => `198.51.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
  const noCooldown: SendLimitSettings = { resendCooldownSeconds: 0, perPhonePerHour: 5, perIpPerHour: 50 };
  const allowed = { allowed: true };
  const req = (over: Partial<SendRequest> = {}): SendRequest => ({ purpose: 'login', flowId: uniqueFlow(), phone: uniquePhone(), ip: uniqueIp(), ...over });

  before(async () => {
    fx = await codesFixture();
  });
  after(() => fx.close());
  beforeEach(() => {
    clock = createClock(); // 09:00:00 UTC: an hourly window starts
    counters = createSqlCounters(fx.db, clock.now);
    limits = createSendLimits({ counters });
  });

  const run = async (n: number, fn: (i: number) => Promise<SendDecision>) => {
    const out: SendDecision[] = [];
    for (let i = 0; i < n; i++) out.push(await fn(i));
    return out;
  };

  it('waits the resend cooldown (30 s by default) between two codes in one flow', async () => {
    const r = req();
    // The send says how long until this flow may send again, for the code screen.
    expect(await limits.consume(r)).to.deep.equal({ allowed: true, nextWaitSeconds: 30 });
    expect(await limits.consume(r)).to.deep.equal({ allowed: false, limit: 'resend_cooldown', retryAfterSeconds: 30 });
    clock.advance(29_500);
    expect(await limits.check(r)).to.deep.equal({ allowed: false, limit: 'resend_cooldown', retryAfterSeconds: 1 });
    clock.advance(500);
    expect(await limits.consume(r)).to.include(allowed);
    expect(await limits.consume({ ...r, phone: uniquePhone() })).to.include(allowed);
    // A new sign-in after a proven password gets its first code at once, whatever an earlier flow did.
    const mfa = req({ purpose: 'mfa' });
    expect(await limits.consume(mfa)).to.include(allowed);
    expect(await limits.consume({ ...mfa, flowId: uniqueFlow() })).to.include(allowed);
  });

  it('check() consumes nothing, and a refusal the requester sees consumes nothing', async () => {
    const r = req();
    const two: SendLimitSettings = { resendCooldownSeconds: 30, perPhonePerHour: 2, perIpPerHour: 50 };
    for (let i = 0; i < 5; i++) expect(await limits.check(r, two)).to.include(allowed);
    expect(await limits.consume(r, two)).to.include(allowed);
    for (let i = 0; i < 5; i++) expect((await limits.consume(r, two)).allowed).to.equal(false);
    clock.advance(30_000);
    expect(await limits.consume(r, two)).to.include(allowed);
    clock.advance(30_000);
    expect(await limits.consume(r, two)).to.include({ allowed: false, limit: 'phone_hourly' });
  });

  it('caps codes per number and requester per hour, in windows of the injected clock; other requesters are not affected', async () => {
    const phone = uniquePhone();
    const ip = uniqueIp();
    const results = await run(6, () => limits.consume(req({ phone, ip }), noCooldown));
    expect(results.slice(0, 5).map((d) => d.allowed)).to.deep.equal(Array(5).fill(true));
    expect(results[5]).to.deep.equal({ allowed: false, limit: 'phone_hourly', retryAfterSeconds: 3600 });
    expect(await limits.consume(req({ phone }), noCooldown)).to.include(allowed);
    clock.advance(3600_000);
    expect(await limits.consume(req({ phone, ip }), noCooldown)).to.include(allowed);
  });

  it('caps codes per client IP per hour (50 by default), counting one IPv6 /64 as one client', async () => {
    const ip = uniqueIp();
    const results = await run(51, () => limits.consume(req({ ip })));
    expect(results.slice(0, 50).map((d) => d.allowed)).to.deep.equal(Array(50).fill(true));
    expect(results[50]).to.include({ allowed: false, limit: 'ip_hourly' });
    const few: SendLimitSettings = { resendCooldownSeconds: 30, perPhonePerHour: 5, perIpPerHour: 2 };
    const ips = ['2001:db8:aa:1::1', '2001:db8:aa:1:ffff::2', '2001:0db8:00aa:0001:1:2:3:4'];
    const v6 = await run(3, (i) => limits.consume(req({ ip: ips[i] }), few));
    expect(v6.map((r) => r.allowed)).to.deep.equal([true, true, false]);
    expect(await limits.consume(req({ ip: '2001:db8:aa:2::1' }), few)).to.include(allowed);
  });

  it('five reset requests for a user leave their MFA code and their own sign-in alone', async () => {
    const phone = uniquePhone();
    const attacker = uniqueIp();
    const resets = await run(6, () => limits.consume(req({ purpose: 'reset_password', phone, ip: attacker })));
    expect(resets.map((r) => r.allowed)).to.deep.equal([true, true, true, true, true, false]);
    // The user, after their password: a code goes out, and "Resend" waits only for this flow's cooldown.
    const mfa = req({ purpose: 'mfa', phone, ip: uniqueIp() });
    expect(await limits.consume(mfa)).to.include(allowed);
    expect(await limits.check(mfa)).to.deep.equal({ allowed: false, limit: 'resend_cooldown', retryAfterSeconds: 30 });
    // Their own passwordless sign-in, from their own network, is not held back either.
    expect(await limits.consume(req({ purpose: 'login', phone }))).to.include(allowed);
  });

  it('a number flooded from many requesters reaches its ceiling silently; MFA draws on its own budget', async () => {
    const phone = uniquePhone();
    const purposes: CodePurpose[] = ['login', 'reset_password'];
    const flood = await run(14, (i) => limits.consume(req({ purpose: purposes[i % 2] as CodePurpose, phone })));
    expect(flood.slice(0, 10).map((d) => d.allowed)).to.deep.equal(Array(10).fill(true));
    // Past the ceiling (10 an hour): refused, but marked silent — the caller answers as for a send and texts nothing.
    // Silent: the requester is told what a send would tell it (the same wait before another code).
    for (const d of flood.slice(10)) expect(d).to.deep.equal({ allowed: false, limit: 'phone_ceiling', retryAfterSeconds: 3600, silent: true, nextWaitSeconds: 30 });
    // What a new requester can read says nothing about it.
    expect(await limits.check(req({ phone }))).to.include(allowed);
    // MFA after a proven password: its own budget, ten an hour, which nobody without the password could spend.
    const mfa = await run(11, () => limits.consume(req({ purpose: 'mfa', phone })));
    expect(mfa.slice(0, 10).map((d) => d.allowed)).to.deep.equal(Array(10).fill(true));
    expect(mfa[10]).to.deep.equal({ allowed: false, limit: 'proven_hourly', retryAfterSeconds: 3600 });
  });

  it('past the ceiling, the SMS-code method answers "sent" for a known number and texts nothing', async () => {
    const sent: string[] = [];
    const decoys: string[] = [];
    const sender = {
      enqueue: async (m: { to: string }) => ({ id: `m${sent.push(m.to)}`, language: 'en' }),
      decoy: async (m: { to: string }) => ({ id: `d${decoys.push(m.to)}`, language: 'en' }),
      status: async () => undefined,
    };
    const codes = createCodeEngine({ db: fx.db, box: fx.box, now: clock.now, counters });
    const sms = createSmsCodeMethod({ codes, limits, sender: sender as never });
    const phone = uniquePhone();
    const send = () =>
      sms.send({ purpose: 'login', flowId: uniqueFlow(), phone, deliver: true, code: { length: 6, lifetimeSeconds: 300, maxAttempts: 5 }, limits: noCooldown, ip: uniqueIp(), hints: {} as never });
    const results: boolean[] = [];
    for (let i = 0; i < 12; i++) results.push((await send()).ok);
    expect(results).to.deep.equal(Array(12).fill(true));
    expect(sent).to.have.length(10);
    expect(decoys).to.have.length(2);
  });

  it('enforces the limits across instances: parallel sends in one flow let exactly one through', async () => {
    const other = createSendLimits({ counters: createSqlCounters(fx.second(), clock.now) });
    const r = req();
    const results = await Promise.all([...Array(6)].map((_, i) => (i % 2 ? limits : other).consume(r)));
    expect(results.filter((d) => d.allowed)).to.have.length(1);
    expect(results.filter((d) => !d.allowed && d.limit === 'resend_cooldown')).to.have.length(5);
    // The refused ones gave back what they had taken: four more sends fit in the hour, then the cap.
    for (let i = 0; i < 4; i++) {
      clock.advance(30_000);
      expect(await (i % 2 ? limits : other).consume(r)).to.include(allowed);
    }
    clock.advance(30_000);
    expect(await other.consume(r)).to.include({ allowed: false, limit: 'phone_hourly' });
  });

  it('refuses settings out of range instead of guessing', async () => {
    for (const bad of [{ perIpPerHour: 0 }, { perPhonePerHour: 1.5 }, { resendCooldownSeconds: -1 }]) {
      const err = await limits.consume(req(), { ...noCooldown, ...bad }).catch((e: unknown) => e);
      expect(err, JSON.stringify(bad)).to.have.property('code', 'send_limits_settings_invalid');
    }
  });

  it('treats a number without an account exactly like one with an account', async () => {
    const users = createUsersRepo(fx.db, clock.now);
    const knownPhone = uniquePhone();
    await users.create({ username: `u${knownPhone.slice(1)}`, phoneNumber: knownPhone, phoneNumberVerified: true });
    const unknownPhone = uniquePhone();
    const story = async (phone: string) => {
      const r = req({ phone });
      const out: SendDecision[] = [];
      for (let i = 0; i < 12; i++) {
        out.push(await limits.check(r), await limits.consume(r));
        clock.advance(i % 2 ? 30_000 : 10_000);
      }
      return out;
    };
    const start = clock.now();
    const known = await story(knownPhone);
    clock.advance(start - clock.now());
    expect(await story(unknownPhone)).to.deep.equal(known);
    expect(known.map((d) => (d.allowed ? 'sent' : d.limit))).to.include.members(['sent', 'resend_cooldown', 'phone_hourly']);
  });
});
