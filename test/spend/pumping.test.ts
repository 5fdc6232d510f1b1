// A bounded pumping simulation on loopback: many code requests to adjacent numbers of one prefix from 100 client addresses, mixed with ordinary sign-ins elsewhere.
import { expect } from 'chai';
import { authorizationRequest, REDIRECT_URI } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { formAction, inputValue, type Page, UserAgent } from '../helpers/user-agent.ts';
import { pumpingSettings } from './fixture.ts';
import { type Received, startReceiver } from './receiver.ts';

const ADDRESSES = 100;
const NUMBERS_PER_ADDRESS = Number(process.env.PUMPING_NUMBERS_PER_ADDRESS ?? 6);
const ORDINARY = 10;

describe('SMS pumping simulation', function () {
  this.timeout(120_000);
  let env: SmsTestEnv;
  let receiver: { url: string; received: Received[]; close(): Promise<void> };

  before(async () => {
    receiver = await startReceiver();
    // Sign-ups on, so adjacent unknown numbers get real sends; one proxy hop, so each attacker address counts as its own client.
    env = await startSmsEnv({ env: { TRUST_PROXY_HOPS: '1' }, connection: { signups: true, perIpPerHour: 1000 } });
    await env.server.container.spend.settings.update(pumpingSettings(receiver.url));
  });
  after(async () => {
    await env?.close();
    await receiver?.close();
  });

  async function phoneScreen(ua: UserAgent, headers: Record<string, string>): Promise<Page> {
    const req = await authorizationRequest(env.rp.config);
    const login = await ua.request(req.url.href, { headers });
    const first = login.status >= 300 ? await ua.follow(new URL(login.headers.get('location')!, req.url.href).href, { headers }) : login;
    return ua.follow(new URL(first.html.match(/action="([^"]*\/sms)"/)![1]!, first.url).href, { headers });
  }

  it('keeps sends within the caps, blocks the prefix, alerts, and ordinary sign-ins elsewhere all succeed', async () => {
    const started = Date.now();
    let requests = 0;
    const attacker = async (a: number) => {
      const headers = { 'x-forwarded-for': `198.${18 + (a % 2)}.${a}.${(a * 7) % 250}` };
      const ua = new UserAgent();
      const page = await phoneScreen(ua, headers);
      requests += 3;
      const action = new URL(formAction(page.html)!, page.url).href;
      for (let i = 0; i < NUMBERS_PER_ADDRESS; i++) {
        const n = a * NUMBERS_PER_ADDRESS + i;
        await ua.request(action, { form: { csrf: inputValue(page.html, 'csrf')!, phone: `+44740012${String(n).padStart(4, '0')}` }, headers });
        requests += 1;
      }
    };
    const ordinary = async (k: number) => {
      const phone = `+6149157${String(9000 + k).padStart(4, '0')}`;
      const headers = { 'x-forwarded-for': `203.0.113.${k + 1}` };
      const ua = new UserAgent();
      const page = await phoneScreen(ua, headers);
      const sent = await ua.request(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf')!, phone }, headers });
      expect(sent.status, sent.html.slice(0, 300)).to.equal(303);
      const codePage = await ua.follow(new URL(sent.headers.get('location')!, sent.url).href, { headers });
      for (let i = 0; i < 100 && !env.fake.lastCode(phone); i++) await env.deliver();
      const done = await ua.follow(new URL(formAction(codePage.html)!, codePage.url).href, { form: { csrf: inputValue(codePage.html, 'csrf')!, code: env.fake.lastCode(phone)! }, headers }, REDIRECT_URI);
      requests += 7;
      return done.url.startsWith(REDIRECT_URI);
    };
    // Attackers in waves of 10 addresses, an ordinary sign-in between waves.
    const signedIn: boolean[] = [];
    for (let wave = 0; wave < ADDRESSES / 10; wave++) {
      await Promise.all(Array.from({ length: 10 }, (_, j) => attacker(wave * 10 + j)));
      signedIn.push(await ordinary(wave));
    }
    const seconds = (Date.now() - started) / 1000;

    const rows = (await env.server.container.db('sms_messages').where('to_masked', 'like', '+44%').count({ n: '*' })) as Array<{ n: number | string }>;
    const toGb = { length: Number(rows[0]?.n ?? 0) };
    expect(toGb.length, 'sent to the pumped prefix').to.be.at.most(60).and.at.least(20);
    expect(toGb.length, 'stopped soon after the prefix was judged').to.be.below(40);
    const money = (await env.server.container.spend.limits.status()).lines.find((l) => l.kind === 'budget_daily')!;
    expect(money.used).to.be.at.most(5);
    const blocks = await env.server.container.spend.conversion.blocks();
    expect(blocks.map((b) => `${b.scope}:${b.key}`)).to.include('prefix:+44740012');
    await env.server.container.spend.alerts.idle();
    expect(receiver.received.map((r) => JSON.parse(r.body).event)).to.include('sms.pumping_blocked');
    expect(signedIn).to.have.length(ORDINARY);
    expect(signedIn.every(Boolean), 'every ordinary sign-in succeeded').to.equal(true);
    console.log(`      pumping simulation: ${requests} requests in ${seconds.toFixed(1)} s, ${toGb.length} messages to the prefix`);
  });
});
