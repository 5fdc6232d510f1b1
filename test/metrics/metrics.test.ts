// GET /metrics (bearer token, Prometheus text, counters that move with real sign-ins and refusals) and GET /readyz.
import { expect } from 'chai';
import { createUser, REDIRECT_URI } from '../helpers/rp.ts';
import { authorizationRequest } from '../helpers/rp.ts';
import { startServer } from '../helpers/server.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';
import { parsePromText, total } from './prom-text.ts';

const TOKEN = 'metrics-token-0123456789abcdef';
const KNOWN = '+61491570156';

describe('metrics and readiness', function () {
  this.timeout(60_000);
  let env: SmsTestEnv;

  before(async () => {
    env = await startSmsEnv({ env: { METRICS_TOKEN: TOKEN } });
    await createUser(env.server, 'mia', 'mia has a long password', { phoneNumber: KNOWN });
  });
  after(() => env.close());
  beforeEach(() => env.clock.advance(60_000));

  const scrape = async () => {
    const res = await fetch(`${env.server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    return parsePromText(await res.text());
  };

  /** Opens the SMS sign-in screen and submits a number; returns the answer to that submission. */
  async function requestCode(ua: UserAgent, phone: string) {
    const req = await authorizationRequest(env.rp.config);
    const login = await ua.follow(req.url.href);
    const page = await ua.follow(new URL(login.html.match(/action="([^"]*\/sms)"/)![1]!, login.url).href);
    return ua.request(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf')!, phone } });
  }

  it('answers only the configured bearer token, and 404 when none is configured', async () => {
    expect((await fetch(`${env.server.url}/metrics`)).status).to.equal(401);
    expect((await fetch(`${env.server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789abcdef' } })).status).to.equal(401);
    expect((await fetch(`${env.server.url}/metrics`, { headers: { authorization: `Basic ${TOKEN}` } })).status).to.equal(401);
    const bare = await startServer();
    try {
      expect((await fetch(`${bare.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).to.equal(404);
    } finally {
      await bare.close();
    }
  });

  it('counts an SMS sign-in: sent, accepted, verified, the sign-in outcome, spend, HTTP latency, outbox and pool', async () => {
    const before = (await scrape()).samples;
    const ua = new UserAgent({ acceptLanguage: 'en' });
    const sent = await requestCode(ua, KNOWN);
    expect(sent.status).to.equal(303);
    const queued = await scrape();
    expect(total(queued.samples, 'codeword_outbox_depth')).to.equal(1);
    expect(total(queued.samples, 'codeword_outbox_oldest_age_seconds')).to.be.at.least(0);
    await env.deliver();
    const codePage = await ua.follow(new URL(sent.headers.get('location')!, sent.url).href);
    const done = await ua.follow(
      new URL(formAction(codePage.html)!, codePage.url).href,
      { form: { csrf: inputValue(codePage.html, 'csrf')!, code: env.fake.lastCode(KNOWN)! } },
      REDIRECT_URI,
    );
    expect(done.url.startsWith(REDIRECT_URI)).to.equal(true);
    const { samples, types } = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) => total(samples, name, labels) - total(before, name, labels);
    const sms = { provider: 'twilio', country: 'AU', purpose: 'login' };
    expect(moved('codeword_sms_sent_total', sms)).to.equal(1);
    expect(moved('codeword_sms_accepted_total', sms)).to.equal(1);
    expect(moved('codeword_sms_verified_total', { country: 'AU', purpose: 'login' })).to.equal(1);
    expect(moved('codeword_sign_in_total', { method: 'sms', outcome: 'success' })).to.equal(1);
    expect(moved('codeword_sms_spend_total', { country: 'AU', provider: 'twilio', currency: 'USD' })).to.be.closeTo(0.05, 1e-9);
    expect(total(samples, 'codeword_outbox_depth')).to.equal(0);
    expect(types.get('codeword_http_request_duration_seconds')).to.equal('histogram');
    expect(total(samples, 'codeword_http_request_duration_seconds_count', { route: '/interaction/:uid/sms', method: 'GET' })).to.be.at.least(1);
    expect(samples.some((s) => s.name === 'codeword_db_pool_connections' && s.labels.state === 'free')).to.equal(true);
  });

  it('counts a wrong password by method and outcome', async () => {
    const before = total((await scrape()).samples, 'codeword_sign_in_total', { method: 'password', outcome: 'invalid_credentials' });
    const ua = new UserAgent();
    const req = await authorizationRequest(env.rp.config);
    const login = await ua.follow(req.url.href);
    await ua.request(new URL(formAction(login.html)!, login.url).href, { form: { csrf: inputValue(login.html, 'csrf')!, login: 'mia', password: 'not her password at all' } });
    expect(total((await scrape()).samples, 'codeword_sign_in_total', { method: 'password', outcome: 'invalid_credentials' })).to.equal(before + 1);
  });

  it('a reached cap stops the send with a localized sentence, and the stop shows in the metrics and the spend status', async () => {
    await env.server.container.spend.settings.update({ countryCaps: [{ country: 'AU', hourly: 0, daily: 0 }] });
    try {
      const res = await requestCode(new UserAgent({ acceptLanguage: 'fr' }), KNOWN);
      expect(res.status).to.equal(503);
      expect(res.html).to.contain('L’envoi de SMS vers cette destination est suspendu pour le moment.');
      // An unknown number (a decoy, with sign-ups off) reads the same: a pause never tells whose number it is.
      const unknown = await requestCode(new UserAgent({ acceptLanguage: 'fr' }), '+61491570157');
      expect(unknown.status).to.equal(503);
      expect(unknown.html).to.contain('L’envoi de SMS vers cette destination est suspendu pour le moment.');
      const { samples } = await scrape();
      expect(total(samples, 'codeword_sms_refused_total', { reason: 'spend' })).to.be.at.least(1);
      expect(total(samples, 'codeword_sms_spend_stops_total', { scope: 'AU' })).to.be.at.least(1);
      const status = await env.server.container.spend.limits.status();
      expect(status.lines.find((l) => l.kind === 'country_hourly' && l.scope === 'AU')).to.include({ state: 'stopped', max: 0 });
    } finally {
      await env.server.container.spend.settings.update({ countryCaps: [] });
    }
  });

  it('/readyz answers 503 while migrations run, then 200', async () => {
    expect((await fetch(`${env.server.url}/readyz`)).status).to.equal(200);
    const db = env.server.container.db;
    await db('knex_migrations_lock').update({ is_locked: 1 });
    try {
      const res = await fetch(`${env.server.url}/readyz`);
      expect(res.status).to.equal(503);
      expect(await res.json()).to.deep.equal({ status: 'unavailable', database: 'migrating' });
    } finally {
      await db('knex_migrations_lock').update({ is_locked: 0 });
    }
    expect((await fetch(`${env.server.url}/readyz`)).status).to.equal(200);
  });

  it('/readyz answers 503 while the database is unreachable; /healthz stays the liveness check', async () => {
    const bare = await startServer();
    try {
      await bare.container.db.destroy();
      const res = await fetch(`${bare.url}/readyz`);
      expect(res.status).to.equal(503);
      expect(await res.json()).to.deep.equal({ status: 'unavailable', database: 'unreachable' });
    } finally {
      await bare.close().catch(() => undefined);
    }
  });
});
