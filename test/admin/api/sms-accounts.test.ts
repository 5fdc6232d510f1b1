// /sms-accounts: add a Twilio account pointed at the fake Twilio, verify it, send a test message; the Auth Token never leaves.
import { expect } from 'chai';
import { type FakeTwilio, startFakeTwilio } from '../../fakes/fake-twilio.ts';
import { type ApiHarness, startApi } from './harness.ts';

const TO = '+61491570156';

describe('admin API: SMS accounts', () => {
  let api: ApiHarness;
  let fake: FakeTwilio;
  let accountId: string;
  before(async () => {
    api = await startApi({ smsWorker: false });
    fake = await startFakeTwilio();
  });
  after(async () => {
    await fake.close();
    await api.close();
  });

  const twilio = () => ({ accountSid: fake.accountSid, authToken: fake.authToken, from: fake.fromNumber, apiBaseUrl: fake.url });

  /** Every way an account can be read back, to check what never appears in it. */
  async function everyRead(): Promise<string[]> {
    const reads = [await api.call('GET', '/sms-accounts'), await api.call('GET', `/sms-accounts/${accountId}`), await api.call('GET', '/audit-events?limit=200')];
    return reads.map((r) => r.text);
  }

  it('creates a Twilio account: unverified, the Auth Token masked', async () => {
    const r = await api.call('POST', '/sms-accounts', { body: { name: 'Twilio main', note: 'production sender', provider: 'twilio', isDefault: true, settings: twilio() } });
    expect(r.status).to.equal(201);
    accountId = r.body.id;
    expect(r.body).to.include({ name: 'Twilio main', provider: 'twilio', isDefault: true });
    expect(r.body.verification.status).to.equal('unverified');
    expect(r.body.settings.authToken).to.equal(`••••••••${fake.authToken.slice(-4)}`);
    expect(r.text).not.to.include(fake.authToken);
    for (const text of await everyRead()) expect(text).not.to.include(fake.authToken);
  });

  it('verifies the credentials against the fake Twilio', async () => {
    const r = await api.call('POST', `/sms-accounts/${accountId}/verify`);
    expect(r.status).to.equal(200);
    expect(r.body.verification.status).to.equal('valid');
    expect(r.body.verification.checkedAt).to.be.a('number');
    const events = await api.call('GET', `/audit-events?action=sms_account.verify&target=${accountId}`);
    expect(events.body.items[0].details.after.status).to.equal('valid');
  });

  it('sends a test message through the account', async () => {
    const r = await api.call('POST', `/sms-accounts/${accountId}/test`, { body: { to: TO, language: 'es' } });
    expect(r.status).to.equal(202);
    expect(r.body).to.include({ language: 'es', segments: 1 });
    await api.server.container.sms.worker.runOnce();
    const sent = fake.messagesTo(TO);
    expect(sent).to.have.length(1);
    expect(sent[0]!.body).to.match(/^Mensaje de prueba/);
    const message = await api.call('GET', `/messages/${r.body.id}`);
    expect(message.body).to.include({ purpose: 'test', accountId });
    expect(message.body.to).not.to.equal(TO);
    const events = await api.call('GET', `/audit-events?action=sms_account.test&target=${accountId}`);
    expect(events.text).not.to.include(TO);
  });

  it('edits an account: a blank secret keeps the token; a new token makes it unverified again', async () => {
    const kept = await api.call('PATCH', `/sms-accounts/${accountId}`, { body: { note: 'edited', settings: { authToken: '' } } });
    expect(kept.status).to.equal(200);
    expect(kept.body).to.include({ note: 'edited' });
    expect(kept.body.verification.status).to.equal('valid');
    const wrongToken = 'f'.repeat(32);
    const changed = await api.call('PATCH', `/sms-accounts/${accountId}`, { body: { settings: { authToken: wrongToken } } });
    expect(changed.body.verification.status).to.equal('unverified');
    expect(changed.text).not.to.include(wrongToken);
    const failed = await api.call('POST', `/sms-accounts/${accountId}/verify`);
    expect(failed.body.verification.status).to.equal('invalid');
    for (const text of await everyRead()) expect(text).not.to.include(wrongToken);
    await api.call('PATCH', `/sms-accounts/${accountId}`, { body: { settings: { authToken: fake.authToken } } });
    expect((await api.call('POST', `/sms-accounts/${accountId}/verify`)).body.verification.status).to.equal('valid');
    for (const text of await everyRead()) expect(text).not.to.include(fake.authToken);
  });

  it('refuses invalid accounts with a 400 naming the field, and creates nothing', async () => {
    const cases: [unknown, RegExp][] = [
      [{ name: 'Bad SID', provider: 'twilio', settings: { ...twilio(), accountSid: 'AC123' } }, /^settings\.accountSid: must be AC followed by 32/],
      [{ name: 'No token', provider: 'twilio', settings: { ...twilio(), authToken: undefined } }, /^settings\.authToken: set the Auth Token/],
      [{ name: 'Carrier pigeon', provider: 'pigeon', settings: {} }, /provider/],
      [{ name: '', provider: 'dev' }, /^name: is required/],
    ];
    for (const [body, message] of cases) {
      const r = await api.call('POST', '/sms-accounts', { body });
      expect(r.status, JSON.stringify(body)).to.equal(400);
      expect(r.body.message).to.match(message);
    }
    expect((await api.call('GET', '/sms-accounts')).body.items).to.have.length(1);
    const dup = await api.call('POST', '/sms-accounts', { body: { name: 'Twilio main', provider: 'twilio', settings: twilio() } });
    expect(dup.status).to.equal(409);
  });

  it('does not delete an account the SMS factor uses (409), deletes it once unused', async () => {
    expect((await api.call('PATCH', '/factors/sms', { body: { accountId, active: true } })).status).to.equal(200);
    const inUse = await api.call('DELETE', `/sms-accounts/${accountId}`);
    expect(inUse.status).to.equal(409);
    expect(inUse.body).to.include({ error: 'sms_account_in_use' });
    expect(inUse.body.details.usedBy).to.deep.equal(['factors/sms']);
    await api.call('PATCH', '/factors/sms', { body: { accountId: null, active: false } });
    expect((await api.call('DELETE', `/sms-accounts/${accountId}`)).status).to.equal(204);
    expect((await api.call('GET', `/sms-accounts/${accountId}`)).status).to.equal(404);
    expect((await api.call('GET', '/audit-events?action=sms_account.delete')).body.items).to.have.length(1);
  });
});
