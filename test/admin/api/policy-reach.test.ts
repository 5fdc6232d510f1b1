// Saving a policy that requires MFA says how many of its users have no verified phone, and never locks out the last admin.
import { expect } from 'chai';
import { startFakeTwilio, type FakeTwilio } from '../../fakes/fake-twilio.ts';
import { type ApiHarness, startApi } from './harness.ts';

describe('admin API: a policy that requires MFA and its users without a phone', () => {
  let api: ApiHarness;
  let fake: FakeTwilio;
  let defaultId: string;
  let adaId: string;

  before(async () => {
    api = await startApi();
    fake = await startFakeTwilio();
    const c = api.server.container;
    const account = await c.sms.accounts.create({
      name: 'Twilio',
      provider: 'twilio',
      isDefault: true,
      settings: { accountSid: fake.accountSid, authToken: fake.authToken, from: fake.fromNumber, apiBaseUrl: fake.url },
    });
    await c.sms.accounts.verify(account.id);
    await c.smsFactor.save({ active: true, accountId: account.id });
    adaId = (await c.users.create({ username: 'ada', passwordHash: 'x', roles: ['admin'] })).id;
    await c.users.create({ username: 'bob', passwordHash: 'x', phoneNumber: '+61491570172', phoneNumberVerified: true });
    await c.users.create({ username: 'cy', passwordHash: 'x' });
    await c.users.create({ username: 'di', passwordHash: 'x', phoneNumber: '+61491570173', phoneNumberVerified: false });
    defaultId = (await api.call('GET', '/policies')).body.items.find((p: { isDefault: boolean }) => p.isDefault).id;
  });
  after(async () => {
    await fake.close();
    await api.close();
  });

  it('refuses to require MFA when no administrator could sign in any more (422, clear code), and changes nothing', async () => {
    const r = await api.call('PATCH', `/policies/${defaultId}`, { body: { mfa: { factors: ['sms'], required: 'always' } } });
    expect(r.status).to.equal(422);
    expect(r.body.error).to.equal('policy_locks_out_last_admin');
    expect(r.body.details.issues[0].path).to.equal('mfa.required');
    expect((await api.call('GET', `/policies/${defaultId}`)).body.mfa.required).to.equal('never');
  });

  it('saves once an administrator has a verified phone, and answers how many users have none', async () => {
    await api.server.container.users.update(adaId, { phoneNumber: '+61491570174', phoneNumberVerified: true });
    const r = await api.call('PATCH', `/policies/${defaultId}`, { body: { mfa: { factors: ['sms'], required: 'always' } } });
    expect(r.status).to.equal(200);
    // cy has no number, di's number is not verified: two users cannot pass the SMS factor.
    expect(r.body.usersWithoutPhone).to.equal(2);
  });

  it('a policy without required MFA reports no count', async () => {
    const r = await api.call('PATCH', `/policies/${defaultId}`, { body: { mfa: { required: 'never' } } });
    expect(r.status).to.equal(200);
    expect(r.body).not.to.have.property('usersWithoutPhone');
  });
});
