// A bounded pumping simulation against the native-app API: thousands of /passwordless/start requests over adjacent
// numbers of one prefix from 100 client addresses (one trusted proxy hop), mixed with ordinary sign-ins in another
// country through the same API; sends stay within the budget and caps, the prefix is blocked, the alert arrives.
import { expect } from 'chai';
import { type NativeEnv, startNativeEnv } from '../native/harness.ts';
import { pumpingSettings } from './fixture.ts';
import { type Received, startReceiver } from './receiver.ts';

const ADDRESSES = 100;
const NUMBERS_PER_ADDRESS = Number(process.env.PUMPING_API_NUMBERS_PER_ADDRESS ?? 15);
const ORDINARY = 10;
const PARALLEL = 20;

describe('SMS pumping simulation through /passwordless/start', function () {
  this.timeout(180_000);
  let env: NativeEnv;
  let receiver: { url: string; received: Received[]; close(): Promise<void> };

  before(async () => {
    receiver = await startReceiver();
    // Sign-ups on, so adjacent unknown numbers get real sends; one proxy hop, so each attacker address counts as its own client.
    env = await startNativeEnv({ env: { TRUST_PROXY_HOPS: '1' }, connection: { signups: true, perIpPerHour: 1000 } });
    await env.addClient('pump-app');
    await env.server.container.spend.settings.update(pumpingSettings(receiver.url));
  });
  after(async () => {
    await env?.close();
    await receiver?.close();
  });

  it('keeps sends within the budget and caps, blocks the prefix, alerts, and every ordinary sign-in succeeds', async () => {
    const started = Date.now();
    const statuses = new Map<number, number>();
    let requests = 0;
    const start = async (n: number) => {
      const a = Math.floor(n / NUMBERS_PER_ADDRESS);
      const headers = { 'x-forwarded-for': `198.${18 + (a % 2)}.${a}.${(a * 7) % 250}` };
      const res = await env.post('/passwordless/start', { client_id: 'pump-app', connection: 'sms', send: 'code', phone_number: `+44740012${String(n).padStart(4, '0')}` }, { headers });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      requests += 1;
    };
    const ordinary = async (k: number) => {
      const phone = `+6149157${String(9000 + k).padStart(4, '0')}`;
      const code = await env.startAndDeliver('pump-app', phone, {});
      const tokens = await env.token({ client_id: 'pump-app', username: phone, otp: code ?? 'none', realm: 'sms', scope: 'openid' });
      requests += 2;
      return tokens.status === 200 && typeof tokens.body.id_token === 'string';
    };
    const total = ADDRESSES * NUMBERS_PER_ADDRESS;
    const perWave = total / ORDINARY;
    const signedIn: boolean[] = [];
    for (let wave = 0; wave < ORDINARY; wave++) {
      for (let i = wave * perWave; i < (wave + 1) * perWave; i += PARALLEL) {
        await Promise.all(Array.from({ length: Math.min(PARALLEL, (wave + 1) * perWave - i) }, (_, j) => start(i + j)));
      }
      // The outbox sends what was queued, as the worker would between waves.
      await env.deliver();
      signedIn.push(await ordinary(wave));
    }
    const seconds = (Date.now() - started) / 1000;
    await env.deliver();

    expect([...statuses.keys()].filter((s) => s >= 500), `statuses ${JSON.stringify([...statuses])}`).to.deep.equal([]);
    const rows = (await env.server.container.db('sms_messages').where('to_masked', 'like', '+44%').count({ n: '*' })) as Array<{ n: number | string }>;
    const toGb = Number(rows[0]?.n ?? 0);
    expect(toGb, 'sent to the pumped prefix').to.be.at.most(60).and.at.least(20);
    expect(toGb, 'stopped soon after the prefix was judged').to.be.below(40);
    expect(env.fake.messages.filter((m) => m.to.startsWith('+44')).length, 'handed to Twilio').to.equal(toGb);
    const money = (await env.server.container.spend.limits.status()).lines.find((l) => l.kind === 'budget_daily')!;
    expect(money.used).to.be.at.most(5);
    const blocks = await env.server.container.spend.conversion.blocks();
    expect(blocks.map((b) => `${b.scope}:${b.key}`)).to.include('prefix:+44740012');
    await env.server.container.spend.alerts.idle();
    expect(receiver.received.map((r) => JSON.parse(r.body).event)).to.include('sms.pumping_blocked');
    expect(signedIn).to.have.length(ORDINARY);
    expect(signedIn.every(Boolean), 'every ordinary sign-in succeeded').to.equal(true);
    console.log(`      pumping simulation (API): ${requests} requests in ${seconds.toFixed(1)} s, ${toGb} messages to the prefix, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  });
});
