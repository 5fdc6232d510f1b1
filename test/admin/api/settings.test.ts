// /connections/sms and /factors/sms: read, change what is given, keep the rest; references and rules checked (422).
import { expect } from 'chai';
import { type FakeTwilio, startFakeTwilio } from '../../fakes/fake-twilio.ts';
import { type ApiHarness, startApi } from './harness.ts';

describe('admin API: SMS connection and SMS factor', () => {
  let api: ApiHarness;
  let fake: FakeTwilio;
  let accountId: string;
  before(async () => {
    api = await startApi({ smsWorker: false });
    fake = await startFakeTwilio();
    const a = await api.call('POST', '/sms-accounts', {
      body: { name: 'Twilio', provider: 'twilio', settings: { accountSid: fake.accountSid, authToken: fake.authToken, from: fake.fromNumber, apiBaseUrl: fake.url } },
    });
    accountId = a.body.id;
  });
  after(async () => {
    await fake.close();
    await api.close();
  });

  describe('connections/sms', () => {
    it('reads the defaults and changes only what is given', async () => {
      const initial = await api.call('GET', '/connections/sms');
      expect(initial.body).to.include({ enabled: false, codeLength: 6, signups: false });
      await api.call('POST', '/clients', { body: { client_id: 'shop', client_name: 'Shop', redirect_uris: ['https://shop.example/cb'] } });
      const r = await api.call('PATCH', '/connections/sms', { body: { enabled: true, accountId, clientIds: ['shop'], allowedCountries: ['au', 'NZ'] } });
      expect(r.status).to.equal(200);
      expect(r.body).to.include({ enabled: true, accountId, codeLength: 6 });
      expect(r.body.allowedCountries).to.deep.equal(['AU', 'NZ']);
      const second = await api.call('PATCH', '/connections/sms', { body: { codeLength: 8 } });
      expect(second.body).to.include({ enabled: true, codeLength: 8, accountId });
      const events = await api.call('GET', '/audit-events?action=sms_connection.update');
      expect(events.body.items[0].details.before.codeLength).to.equal(6);
      expect(events.body.items[0].details.after.codeLength).to.equal(8);
    });

    it('refuses bad values (400) and unknown references (422), changing nothing', async () => {
      const cases: [unknown, number, string, RegExp][] = [
        [{ codeLength: 3 }, 400, 'invalid_request', /^codeLength: must be 4 to 10 digits/],
        [{ defaultCountry: 'XX' }, 400, 'invalid_request', /^defaultCountry: /],
        [{ surprise: 1 }, 400, 'invalid_request', /^surprise: is not a known field/],
        [{ accountId: 'missing' }, 422, 'sms_account_not_found', /^accountId: /],
        [{ clientIds: ['shop', 'ghost'] }, 422, 'client_not_found', /^clientIds\.1: /],
      ];
      for (const [body, status, error, message] of cases) {
        const r = await api.call('PATCH', '/connections/sms', { body });
        expect(r.status, JSON.stringify(body)).to.equal(status);
        expect(r.body).to.include({ error });
        expect(r.body.message).to.match(message);
      }
      expect((await api.call('GET', '/connections/sms')).body).to.include({ codeLength: 8, defaultCountry: null });
    });
  });

  describe('factors/sms', () => {
    it('reads the factor with its availability', async () => {
      const r = await api.call('GET', '/factors/sms');
      expect(r.body).to.include({ active: false, accountId: null });
      expect(r.body.phoneField).to.deep.equal({ source: 'phone_number' });
      expect(r.body.availability).to.deep.equal({ available: false, reason: 'sms_factor_inactive' });
    });

    it('refuses to activate on an unverified account (422), then activates once verified', async () => {
      const refused = await api.call('PATCH', '/factors/sms', { body: { active: true, accountId } });
      expect(refused.status).to.equal(422);
      expect(refused.body.error).to.equal('sms_factor_account_unverified');
      expect((await api.call('GET', '/factors/sms')).body.active).to.equal(false);
      await api.call('POST', `/sms-accounts/${accountId}/verify`);
      const ok = await api.call('PATCH', '/factors/sms', { body: { active: true, accountId, mfaCode: { length: 8 } } });
      expect(ok.status).to.equal(200);
      expect(ok.body.availability).to.deep.equal({ available: true });
      expect(ok.body.mfaCode).to.deep.equal({ length: 8, maxAttempts: 5, lifetimeSeconds: 300 });
    });

    it('maps the phone field to a custom attribute users have', async () => {
      await api.call('POST', '/users', { body: { username: 'dana', customAttributes: { mobile: '+61491570157', desk: '12' } } });
      const fields = await api.call('GET', '/factors/sms/phone-fields');
      expect(fields.body.items).to.deep.equal([
        { source: 'phone_number' },
        { source: 'custom_attribute', attribute: 'desk' },
        { source: 'custom_attribute', attribute: 'mobile' },
      ]);
      const r = await api.call('PATCH', '/factors/sms', { body: { phoneField: { source: 'custom_attribute', attribute: 'mobile' } } });
      expect(r.body.phoneField).to.deep.equal({ source: 'custom_attribute', attribute: 'mobile' });
      expect(r.body.active).to.equal(true);
    });

    it('refuses bad values with a 4xx naming the field', async () => {
      const cases: [unknown, number, RegExp][] = [
        [{ mfaCode: { length: 2 } }, 400, /^mfaCode\.length: /],
        [{ phoneField: { source: 'fax' } }, 400, /phoneField/],
        [{ accountId: 'missing' }, 422, /^accountId: /],
        [{ availability: { available: true } }, 400, /^availability: is not a known field/],
      ];
      for (const [body, status, message] of cases) {
        const r = await api.call('PATCH', '/factors/sms', { body });
        expect(r.status, JSON.stringify(body)).to.equal(status);
        expect(r.body.message).to.match(message);
      }
      expect((await api.call('GET', '/factors/sms')).body.mfaCode.length).to.equal(8);
    });
  });
});
