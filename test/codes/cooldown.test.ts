// The resend cooldown is claimed atomically in the database: of parallel claims on two instances exactly one wins.
import { expect } from 'chai';
import { createCooldown } from '../../src/codes/cooldown.ts';
import { type CodesFixture, codesFixture, createClock, uniquePhone } from './fixture.ts';

describe('SMS send limits: resend cooldown storage', () => {
  let fx: CodesFixture;

  before(async () => {
    fx = await codesFixture();
  });
  after(() => fx.close());

  it('lets exactly one of many parallel claims through, and tells the others how long to wait', async () => {
    const clock = createClock();
    const a = createCooldown(fx.db, clock.now);
    const b = createCooldown(fx.second(), clock.now);
    for (let round = 0; round < 5; round++) {
      const phone = uniquePhone();
      const waits = await Promise.all([...Array(20)].map((_, i) => (i % 2 ? a : b).claim(phone, 30)));
      expect(waits.filter((w) => w === 0)).to.have.length(1);
      expect(waits.filter((w) => w === 30)).to.have.length(19);
    }
  });

  it('starts again once the cooldown has run out, and a zero cooldown never waits', async () => {
    const clock = createClock();
    const c = createCooldown(fx.db, clock.now);
    const phone = uniquePhone();
    expect(await c.claim(phone, 30)).to.equal(0);
    clock.advance(10_000);
    expect(await c.remaining(phone, 30)).to.equal(20);
    expect(await c.claim(phone, 30)).to.equal(20);
    clock.advance(20_000);
    expect(await c.claim(phone, 30)).to.equal(0);
    expect(await c.claim(phone, 0)).to.equal(0);
    expect(await c.claim(phone, 0)).to.equal(0);
  });
});
