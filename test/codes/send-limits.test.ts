// SMS send limits: resend cooldown, hourly caps per number and per IP, shared by instances, same for unknown numbers.
import { expect } from 'chai';
import { createSendLimits, type SendDecision, type SendLimitSettings, type SendLimits } from '../../src/codes/send-limits.ts';
import { createUsersRepo } from '../../src/db/users.ts';
import { type Clock, type CodesFixture, codesFixture, createClock, shiftWallClock, uniquePhone } from './fixture.ts';

describe('SMS send limits', () => {
  let fx: CodesFixture;
  let clock: Clock;
  let limits: SendLimits;
  let ipCounter = 0;
  const uniqueIp = () => `198.51.100.${++ipCounter}`;
  const noCooldown: SendLimitSettings = { resendCooldownSeconds: 0, perPhonePerHour: 5, perIpPerHour: 50 };

  before(async () => {
    fx = await codesFixture();
  });
  after(() => fx.close());
  beforeEach(() => {
    clock = createClock();
    limits = createSendLimits({ db: fx.db, now: clock.now });
  });

  const run = async (n: number, fn: (i: number) => Promise<SendDecision>) => {
    const out: SendDecision[] = [];
    for (let i = 0; i < n; i++) out.push(await fn(i));
    return out;
  };
  const allowed = { allowed: true };

  it('waits the resend cooldown (30 s by default) between two codes to one number', async () => {
    const req = { phone: uniquePhone(), ip: uniqueIp() };
    expect(await limits.consume(req)).to.deep.equal(allowed);
    expect(await limits.consume(req)).to.deep.equal({ allowed: false, limit: 'resend_cooldown', retryAfterSeconds: 30 });
    clock.advance(29_500);
    expect(await limits.check(req)).to.deep.equal({ allowed: false, limit: 'resend_cooldown', retryAfterSeconds: 1 });
    clock.advance(500);
    expect(await limits.consume(req)).to.deep.equal(allowed);
    expect(await limits.consume({ phone: uniquePhone(), ip: req.ip })).to.deep.equal(allowed);
  });

  it('check() consumes nothing, and a refused send consumes nothing', async () => {
    const req = { phone: uniquePhone(), ip: uniqueIp() };
    const two: SendLimitSettings = { resendCooldownSeconds: 30, perPhonePerHour: 2, perIpPerHour: 50 };
    for (let i = 0; i < 5; i++) expect(await limits.check(req, two)).to.deep.equal(allowed);
    expect(await limits.consume(req, two)).to.deep.equal(allowed);
    for (let i = 0; i < 5; i++) expect((await limits.consume(req, two)).allowed).to.equal(false);
    clock.advance(30_000);
    expect(await limits.consume(req, two)).to.deep.equal(allowed);
    clock.advance(30_000);
    const capped = await limits.consume(req, two);
    expect(capped).to.include({ allowed: false, limit: 'phone_hourly' });
  });

  it('caps codes per number per hour and says how long to wait; other numbers are not affected', async () => {
    const phone = uniquePhone();
    const results = await run(6, () => limits.consume({ phone, ip: uniqueIp() }, noCooldown));
    expect(results.slice(0, 5)).to.deep.equal(Array(5).fill(allowed));
    const refused = results[5] as Extract<SendDecision, { allowed: false }>;
    expect(refused).to.include({ allowed: false, limit: 'phone_hourly' });
    expect(refused.retryAfterSeconds).to.be.within(3590, 3600);
    expect(await limits.consume({ phone: uniquePhone(), ip: uniqueIp() }, noCooldown)).to.deep.equal(allowed);
  });

  it('allows the number again after the hour', async () => {
    const phone = uniquePhone();
    await run(5, () => limits.consume({ phone, ip: uniqueIp() }, noCooldown));
    expect((await limits.consume({ phone, ip: uniqueIp() }, noCooldown)).allowed).to.equal(false);
    const restore = shiftWallClock(3601 * 1000);
    try {
      expect(await limits.consume({ phone, ip: uniqueIp() }, noCooldown)).to.deep.equal(allowed);
    } finally {
      restore();
    }
  });

  it('caps codes per client IP per hour (50 by default), whatever the numbers', async () => {
    const ip = uniqueIp();
    const results = await run(51, () => limits.consume({ phone: uniquePhone(), ip }));
    expect(results.slice(0, 50)).to.deep.equal(Array(50).fill(allowed));
    expect(results[50]).to.include({ allowed: false, limit: 'ip_hourly' });
    expect(await limits.consume({ phone: uniquePhone(), ip: uniqueIp() })).to.deep.equal(allowed);
  });

  it('counts one IPv6 /64 as one client', async () => {
    const few: SendLimitSettings = { resendCooldownSeconds: 30, perPhonePerHour: 5, perIpPerHour: 2 };
    const ips = ['2001:db8:aa:1::1', '2001:db8:aa:1:ffff::2', '2001:0db8:00aa:0001:1:2:3:4'];
    const results = await run(3, (i) => limits.consume({ phone: uniquePhone(), ip: ips[i] }, few));
    expect(results.map((r) => r.allowed)).to.deep.equal([true, true, false]);
    expect(await limits.consume({ phone: uniquePhone(), ip: '2001:db8:aa:2::1' }, few)).to.deep.equal(allowed);
  });

  it('reports the longest wait when several limits refuse', async () => {
    const ip = uniqueIp();
    const phone = uniquePhone();
    const tight: SendLimitSettings = { resendCooldownSeconds: 60, perPhonePerHour: 1, perIpPerHour: 50 };
    expect(await limits.consume({ phone, ip }, tight)).to.deep.equal(allowed);
    expect(await limits.check({ phone, ip }, tight)).to.include({ allowed: false, limit: 'phone_hourly' });
  });

  it('enforces the limits across instances, and parallel sends to one number let exactly one through', async () => {
    const other = createSendLimits({ db: fx.second(), now: clock.now });
    const phone = uniquePhone();
    const results = await Promise.all([...Array(6)].map((_, i) => (i % 2 ? limits : other).consume({ phone, ip: uniqueIp() })));
    expect(results.filter((r) => r.allowed)).to.have.length(1);
    // Refused by the cooldown, or by the hourly cap when six took a point at once; none of them counts.
    expect(results.filter((r) => !r.allowed && r.limit !== 'ip_hourly')).to.have.length(5);
    // The losers gave back what they had taken: four more sends fit in the hour, then the cap.
    for (let i = 0; i < 4; i++) {
      clock.advance(30_000);
      expect(await (i % 2 ? limits : other).consume({ phone, ip: uniqueIp() })).to.deep.equal(allowed);
    }
    clock.advance(30_000);
    expect(await other.consume({ phone, ip: uniqueIp() })).to.include({ allowed: false, limit: 'phone_hourly' });
  });

  it('refuses settings out of range instead of guessing', async () => {
    for (const bad of [{ perIpPerHour: 0 }, { perPhonePerHour: 1.5 }, { resendCooldownSeconds: -1 }]) {
      const err = await limits.consume({ phone: uniquePhone(), ip: uniqueIp() }, { ...noCooldown, ...bad }).catch((e: unknown) => e);
      expect(err, JSON.stringify(bad)).to.have.property('code', 'send_limits_settings_invalid');
    }
  });

  it('treats a number without an account exactly like one with an account', async () => {
    const users = createUsersRepo(fx.db, clock.now);
    const knownPhone = uniquePhone();
    await users.create({ username: `u${knownPhone.slice(1)}`, phoneNumber: knownPhone, phoneNumberVerified: true });
    const unknownPhone = uniquePhone();
    const story = async (phone: string) => {
      const ip = uniqueIp();
      const out: SendDecision[] = [];
      for (let i = 0; i < 12; i++) {
        out.push(await limits.check({ phone, ip }), await limits.consume({ phone, ip }));
        clock.advance(i % 2 ? 30_000 : 10_000);
      }
      return out;
    };
    // Hourly windows follow the wall clock, which moved a little between the two stories: compare them in minutes.
    const comparable = (d: SendDecision) =>
      d.allowed || d.limit === 'resend_cooldown' ? d : { ...d, retryAfterSeconds: Math.ceil(d.retryAfterSeconds / 60) };
    const start = clock.now();
    const known = (await story(knownPhone)).map(comparable);
    clock.advance(start - clock.now());
    expect((await story(unknownPhone)).map(comparable)).to.deep.equal(known);
    expect(known.map((d) => (d.allowed ? 'sent' : d.limit))).to.include.members(['sent', 'resend_cooldown', 'phone_hourly']);
  });
});
