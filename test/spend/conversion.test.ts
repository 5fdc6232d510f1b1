// Pumping defence by conversion: a prefix (or IP range) with many sends and few verified codes is refused, audited, alerted; an admin unblocks it.
import { expect } from 'chai';
import { isAppError } from '../../src/errors.ts';
import { ipRangeOf, prefixOf } from '../../src/sms/spend/index.ts';
import { type SpendFixture, spendFixture } from './fixture.ts';

const conversion = { windowSeconds: 3600, minSendsPrefix: 5, minSendsIp: 50, minSendsCountry: 1000, threshold: 0.2 };

describe('SMS pumping defence (conversion)', () => {
  let f: SpendFixture;
  let range = 100;
  before(async () => {
    f = await spendFixture();
  });
  after(() => f.close());
  beforeEach(async () => {
    f.clock.advance(3 * 86_400_000);
    await f.spend.settings.update({ conversion, alertUrl: f.alertUrl });
    f.alerts.length = 0;
    range += 1;
  });

  /** A number of one prefix (`+4477009<range>` then four digits). */
  const number = (i: number) => `+4477009${range}${String(i).padStart(4, '0')}`;
  async function decision(phone: string, ip = '203.0.113.7'): Promise<string> {
    try {
      await f.spend.conversion.check(phone, ip);
      return 'allowed';
    } catch (err) {
      if (isAppError(err)) return err.code;
      throw err;
    }
  }
  async function send(phone: string, ip: string, verify = false) {
    expect(await decision(phone, ip)).to.equal('allowed');
    await f.spend.conversion.recordSend(phone, ip);
    if (verify) await f.spend.conversion.recordVerified(phone, ip);
  }

  it('keys prefixes as the number without its last four digits, and IP ranges as /24 and /64', () => {
    expect(prefixOf('+447700900123')).to.equal('+44770090');
    expect(ipRangeOf('203.0.113.77')).to.equal('203.0.113.0/24');
    expect(ipRangeOf('2001:db8:1:2:3:4:5:6')).to.equal('2001:db8:1:2::/64');
  });

  it('refuses a prefix whose sends are not verified, and leaves other prefixes alone', async () => {
    for (let i = 0; i < 5; i++) await send(number(i), `198.51.100.${i}`);
    expect(await decision(number(9), '198.51.100.200')).to.equal('sms_destination_blocked');
    expect(await decision(`+4477008${range}0001`), 'a neighbouring prefix').to.equal('allowed');
    const blocks = await f.spend.conversion.blocks();
    expect(blocks[0]).to.include({ scope: 'prefix', key: `+4477009${range}`, sends: 5, verified: 0, unblockedAt: null });
    await f.spend.alerts.idle();
    expect(f.alerts.map((a) => JSON.parse(a.body))).to.deep.include.members([
      { event: 'sms.pumping_blocked', scope: 'prefix', key: `+4477009${range}`, sends: 5, verified: 0, conversion: 0, threshold: 0.2, at: new Date(f.clock.now()).toISOString() },
    ]);
    const audit = await f.audit.list({ action: 'sms_pumping.blocked', since: f.clock.now() - 1000 });
    expect(audit[0]?.details).to.include({ scope: 'prefix', sends: 5, verified: 0 });
    expect(await decision(number(10)), 'announced once, still refused').to.equal('sms_destination_blocked');
    await f.spend.alerts.idle();
    expect(f.alerts).to.have.length(1);
  });

  it('lets a prefix whose codes are used keep sending', async () => {
    for (let i = 0; i < 20; i++) await send(number(i), '198.51.100.1', i % 2 === 0);
    expect(await decision(number(99))).to.equal('allowed');
  });

  it('forgets over the sliding window, and an admin unblocks at once', async () => {
    for (let i = 0; i < 5; i++) await send(number(i), '198.51.100.1');
    expect(await decision(number(8))).to.equal('sms_destination_blocked');
    f.clock.advance(3600_000 * 0.5);
    expect(await decision(number(8)), 'half a window later the old sends still weigh').to.equal('sms_destination_blocked');
    const [block] = await f.spend.conversion.blocks();
    await f.spend.conversion.unblock(block!.id, 'user:admin');
    expect(await decision(number(8))).to.equal('allowed');
    expect((await f.spend.conversion.blocks())[0]).to.include({ unblockedBy: 'user:admin' });
    const audit = await f.audit.list({ action: 'sms_pumping.unblocked', since: f.clock.now() - 1000 });
    expect(audit[0]).to.include({ actor: 'user:admin' });
  });

  it('drops old sends out of the window by itself', async () => {
    for (let i = 0; i < 5; i++) await send(number(i), '198.51.100.1');
    expect(await decision(number(8))).to.equal('sms_destination_blocked');
    f.clock.advance(2 * 3600_000);
    expect(await decision(number(8))).to.equal('allowed');
  });

  it('refuses an IP range that requests many codes nobody types', async () => {
    await f.spend.settings.update({ conversion: { ...conversion, minSendsPrefix: 1000, minSendsIp: 10 } });
    for (let i = 0; i < 10; i++) await send(`+33612${range}${String(i).padStart(4, '0')}`, `192.0.2.${i}`);
    expect(await decision('+61491570156', '192.0.2.99')).to.equal('sms_destination_blocked');
    expect(await decision('+61491570156', '192.0.3.1')).to.equal('allowed');
  });
});
