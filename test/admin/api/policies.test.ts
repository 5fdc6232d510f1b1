// /policies: CRUD, the default policy, user reassignment, and "SMS reset needs the SMS factor" answered with 422 both ways.
import { expect } from 'chai';
import { type ApiHarness, startApi } from './harness.ts';

describe('admin API: policies', () => {
  let api: ApiHarness;
  let staffId: string;
  before(async () => {
    api = await startApi();
  });
  after(() => api.close());

  it('creates a policy; sections left out take their defaults', async () => {
    const r = await api.call('POST', '/policies', { body: { name: 'Staff', password: { minLength: 12 } } });
    expect(r.status).to.equal(201);
    staffId = r.body.id;
    expect(r.body).to.include({ name: 'Staff', isDefault: false, assignedUsers: 0 });
    expect(r.body.password).to.include({ minLength: 12, maxLength: 128, blocklist: true });
    expect(r.body.mfa).to.deep.equal({ factors: [], required: 'never', afterSms: 'password', enrolPhone: false });
  });

  it('refuses SMS reset without the SMS factor (422), and creates nothing', async () => {
    const r = await api.call('POST', '/policies', { body: { name: 'Broken', passwordUpdate: { methods: ['sms'] } } });
    expect(r.status).to.equal(422);
    expect(r.body.error).to.equal('policy_sms_reset_needs_sms_factor');
    expect(r.body.message).to.match(/needs the SMS factor/);
    expect(r.body.details.issues.map((i: { path: string; code: string }) => [i.path, i.code])).to.deep.equal([['passwordUpdate.methods', 'policy_sms_reset_needs_sms_factor']]);
    const names = (await api.call('GET', '/policies')).body.items.map((p: { name: string }) => p.name);
    expect(names).not.to.include('Broken');
  });

  it('enables the factor then SMS reset; refuses removing the factor while reset uses it (422)', async () => {
    const withFactor = await api.call('PATCH', `/policies/${staffId}`, { body: { mfa: { factors: ['sms'] } } });
    expect(withFactor.status).to.equal(200);
    const withReset = await api.call('PATCH', `/policies/${staffId}`, { body: { passwordUpdate: { methods: ['sms'] } } });
    expect(withReset.status).to.equal(200);
    expect(withReset.body.passwordUpdate.methods).to.deep.equal(['sms']);
    const removal = await api.call('PATCH', `/policies/${staffId}`, { body: { mfa: { factors: [] } } });
    expect(removal.status).to.equal(422);
    expect(removal.body.error).to.equal('policy_sms_factor_used_by_reset');
    expect((await api.call('GET', `/policies/${staffId}`)).body.mfa.factors).to.deep.equal(['sms']);
    const both = await api.call('PATCH', `/policies/${staffId}`, { body: { mfa: { factors: [] }, passwordUpdate: { methods: [] } } });
    expect(both.status).to.equal(200);
  });

  it('refuses out-of-bounds and unknown settings with a 4xx naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ password: { minLength: 4 } }, /^password\.minLength: must be at least 8/],
      [{ mfa: { required: 'sometimes' } }, /^mfa\.required: /],
      [{ password: { colour: 'blue' } }, /^password\.colour: is not a known field/],
    ];
    for (const [body, message] of cases) {
      const r = await api.call('PATCH', `/policies/${staffId}`, { body });
      expect(r.status, JSON.stringify(body)).to.be.oneOf([400, 422]);
      expect(r.body.message).to.match(message);
    }
    // Checked on the merged policy: the stored reminder (7 days) must come before the new maximum age.
    const crossField = await api.call('PATCH', `/policies/${staffId}`, { body: { password: { maxAgeDays: 5 } } });
    expect(crossField.status).to.equal(422);
    expect(crossField.body.message).to.match(/^password\.reminderDays: must be fewer days than maxAgeDays \(5\)/);
    expect((await api.call('GET', `/policies/${staffId}`)).body.password.minLength).to.equal(12);
    expect((await api.call('POST', '/policies', { body: { name: 'staff' } })).status).to.equal(409);
  });

  it('makes a policy the default, and refuses to delete the default', async () => {
    const original = (await api.call('GET', '/policies')).body.items.find((p: { isDefault: boolean }) => p.isDefault);
    const r = await api.call('POST', `/policies/${staffId}/default`);
    expect(r.body.isDefault).to.equal(true);
    expect((await api.call('DELETE', `/policies/${staffId}`)).status).to.equal(422);
    expect((await api.call('POST', `/policies/${original.id}/default`)).body.isDefault).to.equal(true);
  });

  it('deletes a policy with users only when told where they go', async () => {
    const user = await api.call('POST', '/users', { body: { username: 'erin', policyId: staffId } });
    expect(user.body.policyId).to.equal(staffId);
    const refused = await api.call('DELETE', `/policies/${staffId}`);
    expect(refused.status).to.equal(422);
    expect(refused.body.error).to.equal('policy_in_use');
    expect((await api.call('DELETE', `/policies/${staffId}?reassignUsersTo=default`)).status).to.equal(204);
    expect((await api.call('GET', `/users/${user.body.id}`)).body.policyId).to.equal(null);
    expect((await api.call('GET', `/policies/${staffId}`)).status).to.equal(404);
    const events = await api.call('GET', `/audit-events?target=${staffId}`);
    expect(events.body.items.map((e: { action: string }) => e.action)).to.include.members(['policy.create', 'policy.update', 'policy.set_default', 'policy.delete']);
  });

  it('pages through policies', async () => {
    for (const name of ['P1', 'P2', 'P3']) await api.call('POST', '/policies', { body: { name } });
    const first = await api.call('GET', '/policies?limit=2');
    expect(first.body.items).to.have.length(2);
    expect(first.body.items[0].isDefault).to.equal(true);
    const second = await api.call('GET', `/policies?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items).to.have.length(2);
    expect(second.body.nextCursor).to.equal(null);
  });
});
