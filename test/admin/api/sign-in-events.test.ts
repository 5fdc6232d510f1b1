// Sign-in events: the method read from amr, the country of the phone for SMS methods (never from the IP without GeoIP), and the API view.
import { expect } from 'chai';
import type { NewAuditEvent } from '../../../src/db/audit.ts';
import { createSignInEvents, methodOf } from '../../../src/db/sign-in-events.ts';
import { type ApiHarness, startApi } from './harness.ts';

describe('sign-in events', () => {
  const recorded: NewAuditEvent[] = [];
  const events = createSignInEvents({
    audit: { record: async (e) => void recorded.push(e) as never },
    db: undefined as never,
    now: () => 0,
    retentionDays: 90,
    phoneOf: async (id) => (id === 'kim' ? '+61491570156' : null),
  });

  it('reads the method from amr', () => {
    expect(methodOf(['pwd'])).to.equal('password');
    expect(methodOf(['sms', 'otp'])).to.equal('sms');
    expect(methodOf(['pwd', 'sms', 'mfa'])).to.equal('mfa');
  });

  it("takes the country from the user's phone for SMS methods, and leaves it empty for passwords without GeoIP", async () => {
    recorded.length = 0;
    await events.record({ outcome: 'success', amr: ['sms', 'otp'], userId: 'kim', clientId: 'app', ip: '203.0.113.9' });
    await events.record({ outcome: 'failure', method: 'password', userId: 'kim', ip: '203.0.113.9', reason: 'invalid_credentials' });
    expect(recorded[0]).to.deep.include({ actor: 'user:kim', action: 'signin.success', target: 'kim' });
    expect(recorded[0]!.details).to.deep.equal({ method: 'sms', clientId: 'app', ip: '203.0.113.9', country: 'AU', reason: null });
    expect(recorded[1]!.details).to.include({ method: 'password', country: null, reason: 'invalid_credentials' });
  });

  it('never fails the sign-in when the audit write fails', async () => {
    const broken = createSignInEvents({ audit: { record: async () => Promise.reject(new Error('down')) }, db: undefined as never, now: () => 0, retentionDays: 0, phoneOf: async () => null });
    await broken.record({ outcome: 'success', amr: ['pwd'], userId: 'x' });
  });
});

describe('admin API: readable audit events', () => {
  let api: ApiHarness;
  before(async () => {
    api = await startApi({ smsWorker: false });
  });
  after(() => api.close());

  it('names the target, lists the changed fields and filters by prefix', async () => {
    const created = await api.call('POST', '/policies', { body: { name: 'Staff' } });
    await api.call('PATCH', `/policies/${created.body.id}`, { body: { name: 'Staff 2' } });
    const r = await api.call('GET', '/audit-events?action=policy.');
    expect(r.body.items.map((e: { action: string }) => e.action)).to.deep.equal(['policy.update', 'policy.create']);
    expect(r.body.items[0]).to.include({ targetLabel: 'Staff 2', target: created.body.id });
    expect(r.body.items[0].changes).to.deep.equal([{ field: 'name', before: '"Staff"', after: '"Staff 2"' }]);
    expect(r.body.items[1].changes).to.deep.equal([]);
  });
});
