// The service layer the console shares: same validation and audit when called directly, with a user as the actor.
import { expect } from 'chai';
import { userActor } from '../../../src/admin/services/index.ts';
import { redact } from '../../../src/admin/services/redact.ts';
import { policyCreateInput } from '../../../src/admin/services/schemas/policies.ts';
import { type ApiHarness, type Json, startApi } from './harness.ts';
import { failure } from '../../helpers/errors.ts';

describe('admin services (as the console calls them)', () => {
  let api: ApiHarness;
  before(async () => {
    api = await startApi();
  });
  after(() => api.close());

  it('records a console admin as user:<id>, and the API can read the event', async () => {
    const { admin, users } = api.server.container;
    const root = await users.create({ username: 'console-admin', roles: ['admin'] });
    const policy = await admin.policies.create(userActor(root.id), policyCreateInput.parse({ name: 'From the console', mfa: { factors: ['sms'] } }));
    const events = await api.call('GET', `/audit-events?target=${policy.id}`);
    expect(events.body.items[0]).to.include({ actor: `user:${root.id}`, action: 'policy.create' });
  });

  it('applies the policy rules to typed input, whoever calls', async () => {
    const rule = await failure(api.server.container.admin.policies.create(userActor('x'), policyCreateInput.parse({ name: 'Rule', passwordUpdate: { methods: ['sms'] } })));
    expect(rule).to.include({ code: 'policy_sms_reset_needs_sms_factor', status: 422 });
  });

  // SMS account settings are masked by their provider's descriptor before they are recorded (test/sms/provider-contract.test.ts).
  it('masks secrets in what audit events record', () => {
    const out = redact({
      after: { client_secret: 'client-secret-0123456789', password: 'hunter2 hunter2', passwordHash: '$argon2id$…' },
    }) as Json;
    expect(out.after).to.deep.equal({ client_secret: '••••••••6789', password: '[redacted]', passwordHash: '[redacted]' });
  });
});
