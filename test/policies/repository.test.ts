// Policies and SMS factor storage on SQLite or MariaDB: one default, assignment, and 422s that leave nothing changed.
import { expect } from 'chai';
import { createKnex, type Knex, migrateLatest } from '../../src/db/knex.ts';
import { createPoliciesRepo, createSmsFactorRepo, type PoliciesRepo } from '../../src/db/policies.ts';
import { createUsersRepo } from '../../src/db/users.ts';
import { policyInputSchema } from '../../src/policies/schema.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/** Runs `fn`, expecting an AppError; returns it for further checks. */
async function rejects(fn: () => Promise<unknown>, code: string, status: number): Promise<{ message: string; params: Record<string, unknown> }> {
  try {
    await fn();
  } catch (err) {
    expect(err, String(err)).to.include({ name: 'AppError', code, status });
    return err as { message: string; params: Record<string, unknown> };
  }
  throw new Error(`expected ${code}`);
}

describe('policies: storage', () => {
  let tdb: TestDatabase;
  let db: Knex;
  let policies: PoliciesRepo;
  let clock = 1_800_000_000_000;
  const now = () => clock++;

  before(async () => {
    tdb = await createTestDatabase();
    db = createKnex(tdb.database);
    await migrateLatest(db);
    policies = createPoliciesRepo(db, now);
  });
  after(async () => {
    await db.destroy();
    await tdb.drop();
  });

  const snapshot = async () => ({
    policies: await db('policies').orderBy('id').select(),
    users: await db('users').orderBy('id').select('id', 'policy_id'),
  });

  it('starts with one default policy created by the migration', async () => {
    const all = await policies.list();
    expect(all).to.have.length(1);
    const d = await policies.getDefault();
    expect(d).to.include({ name: 'Default', isDefault: true });
    expect(d.mfa).to.deep.equal({ factors: [], required: 'never', afterSms: 'password', enrolPhone: false });
    expect(d.password).to.deep.equal({ minLength: 8, maxLength: 128, blocklist: true, maxAgeDays: null, reminderDays: 7 });
    expect(d.passwordUpdate).to.deep.equal({ methods: [], resetCodeLifetimeSeconds: 600, smsForAdmins: false });
  });

  it('creates a policy with defaults for the sections left out, and reads it back', async () => {
    const p = await policies.create(policyInputSchema.parse({ name: 'Staff', mfa: { factors: ['sms'], required: 'always' }, passwordUpdate: { methods: ['sms'] } }));
    expect(p).to.include({ name: 'Staff', isDefault: false });
    expect(await policies.get(p.id)).to.deep.equal(p);
    expect(p.password.minLength).to.equal(8);
    expect(p.passwordUpdate).to.deep.equal({ methods: ['sms'], resetCodeLifetimeSeconds: 600, smsForAdmins: false });
  });

  it('refuses with 422 and stores nothing: SMS reset without the SMS factor, or MFA required without a factor', async () => {
    const before = await snapshot();
    const e = await rejects(() => policies.create(policyInputSchema.parse({ name: 'Broken', passwordUpdate: { methods: ['sms'] } })), 'policy_sms_reset_needs_sms_factor', 422);
    expect(e.message).to.match(/needs the SMS factor/);
    expect(e.params).to.deep.equal({ field: 'passwordUpdate.methods' });
    await rejects(() => policies.create(policyInputSchema.parse({ name: 'Required', mfa: { required: 'always' } })), 'policy_mfa_required_without_factor', 422);
    expect(await snapshot()).to.deep.equal(before);
  });

  it('refuses a second policy with the same name, whatever the case', async () => {
    await rejects(() => policies.create(policyInputSchema.parse({ name: 'staff' })), 'policy_name_taken', 409);
  });

  it('refuses removing the SMS factor while reset uses it, leaving the policy as it was', async () => {
    const staff = (await policies.list()).find((p) => p.name === 'Staff')!;
    const before = await snapshot();
    const e = await rejects(() => policies.update(staff.id, { mfa: { factors: [], required: 'never' } }), 'policy_sms_factor_used_by_reset', 422);
    expect(e.params).to.deep.equal({ field: 'mfa.factors' });
    await rejects(() => policies.update(staff.id, { name: 'default' }), 'policy_name_taken', 409);
    expect(await snapshot()).to.deep.equal(before);
  });

  it('updates only the fields given and keeps the rest', async () => {
    const staff = (await policies.list()).find((p) => p.name === 'Staff')!;
    const updated = await policies.update(staff.id, { password: { minLength: 12, maxAgeDays: 90 } });
    expect(updated.password).to.deep.equal({ minLength: 12, maxLength: 128, blocklist: true, maxAgeDays: 90, reminderDays: 7 });
    expect(updated.mfa).to.deep.equal(staff.mfa);
    expect(await policies.get(staff.id)).to.deep.equal(updated);
    const both = await policies.update(staff.id, { mfa: { factors: [], required: 'never' }, passwordUpdate: { methods: [] } });
    expect(both.passwordUpdate.methods).to.deep.equal([]);
    await policies.update(staff.id, { mfa: { factors: ['sms'], required: 'always' }, passwordUpdate: { methods: ['sms'] } });
    await rejects(() => policies.update('no-such-id', { name: 'x' }), 'policy_not_found', 404);
  });

  it('assigns users, who otherwise follow the default', async () => {
    const users = createUsersRepo(db, now);
    const ann = await users.create({ username: 'ann' });
    const ben = await users.create({ username: 'ben' });
    const staff = (await policies.list()).find((p) => p.name === 'Staff')!;
    expect((await policies.forUser(ann.id)).isDefault).to.equal(true);
    await policies.assignUser(ann.id, staff.id);
    expect((await policies.forUser(ann.id)).id).to.equal(staff.id);
    expect((await policies.forUser(ben.id)).isDefault).to.equal(true);
    expect(await policies.countUsers(staff.id)).to.equal(1);
    await rejects(() => policies.assignUser(ben.id, 'no-such-id'), 'policy_not_found', 404);
    await rejects(() => policies.assignUser('no-such-user', staff.id), 'user_not_found', 404);
    expect((await policies.forUser('no-such-user')).isDefault, 'unknown users get the default (no enumeration here)').to.equal(true);
  });

  it('keeps exactly one default when another becomes the default', async () => {
    const old = await policies.getDefault();
    const guests = await policies.create(policyInputSchema.parse({ name: 'Guests' }));
    const made = await policies.setDefault(guests.id);
    expect(made.isDefault).to.equal(true);
    expect((await policies.getDefault()).id).to.equal(guests.id);
    expect((await policies.get(old.id))?.isDefault).to.equal(false);
    const defaults = (await policies.list()).filter((p) => p.isDefault);
    expect(defaults.map((p) => p.id)).to.deep.equal([guests.id]);
    const ben = await createUsersRepo(db).findByLogin('ben');
    expect((await policies.forUser(ben!.id)).id, 'unassigned users follow the new default').to.equal(guests.id);
    await policies.setDefault(old.id);
  });

  it('lets the database itself refuse a second default row', async () => {
    const staff = (await policies.list()).find((p) => p.name === 'Staff')!;
    let failed = false;
    await db('policies')
      .where({ id: staff.id })
      .update({ default_marker: 1 })
      .catch(() => {
        failed = true;
      });
    expect(failed).to.equal(true);
  });

  it('refuses deleting the default, or a policy with users unless they are reassigned', async () => {
    const d = await policies.getDefault();
    const staff = (await policies.list()).find((p) => p.name === 'Staff')!;
    const before = await snapshot();
    await rejects(() => policies.delete(d.id), 'policy_is_default', 422);
    const inUse = await rejects(() => policies.delete(staff.id), 'policy_in_use', 422);
    expect(inUse.params).to.deep.equal({ field: 'reassignUsersTo', users: 1 });
    await rejects(() => policies.delete(staff.id, { reassignUsersTo: staff.id }), 'policy_reassign_to_itself', 422);
    await rejects(() => policies.delete(staff.id, { reassignUsersTo: 'no-such-id' }), 'policy_not_found', 404);
    await rejects(() => policies.delete('no-such-id'), 'policy_not_found', 404);
    expect(await snapshot()).to.deep.equal(before);
  });

  it('deletes after moving users to another policy, or back to the default', async () => {
    const users = createUsersRepo(db, now);
    const ann = (await users.findByLogin('ann'))!;
    const staff = (await policies.list()).find((p) => p.name === 'Staff')!;
    const guests = (await policies.list()).find((p) => p.name === 'Guests')!;
    await policies.delete(staff.id, { reassignUsersTo: guests.id });
    expect(await policies.get(staff.id)).to.equal(undefined);
    expect((await policies.forUser(ann.id)).id).to.equal(guests.id);
    await policies.delete(guests.id, { reassignUsersTo: null });
    expect((await policies.forUser(ann.id)).isDefault).to.equal(true);
    expect((await db('users').where({ id: ann.id }).first('policy_id')).policy_id).to.equal(null);
    const empty = await policies.create(policyInputSchema.parse({ name: 'Empty' }));
    await policies.delete(empty.id);
    expect(await policies.list()).to.have.length(1);
  });

  describe('SMS factor settings', () => {
    const verified = new Set(['acc-ok']);
    const isAccountVerified = async (id: string) => verified.has(id);

    it('reads the defaults before anything is saved', async () => {
      const repo = createSmsFactorRepo(db, { isAccountVerified }, now);
      expect(await repo.get()).to.deep.include({ active: false, accountId: null, phoneField: { source: 'phone_number' } });
      expect(await repo.availability()).to.deep.equal({ available: false, reason: 'sms_factor_inactive' });
    });

    it('saves inactive settings on any account, and merges code settings field by field', async () => {
      const repo = createSmsFactorRepo(db, { isAccountVerified }, now);
      await repo.save({ accountId: 'acc-new', phoneField: { source: 'custom_attribute', attribute: 'mobile' }, defaultCountry: 'AU', mfaCode: { length: 8 } });
      await repo.save({ mfaCode: { maxAttempts: 3 } });
      const s = await repo.get();
      expect(s).to.deep.include({ active: false, accountId: 'acc-new', defaultCountry: 'AU', phoneField: { source: 'custom_attribute', attribute: 'mobile' } });
      expect(s.mfaCode).to.deep.equal({ length: 8, maxAttempts: 3, lifetimeSeconds: 300 });
    });

    it('refuses to be active on an unverified account, or without one, changing nothing', async () => {
      const repo = createSmsFactorRepo(db, { isAccountVerified }, now);
      const before = await db('settings').select();
      const e = await rejects(() => repo.save({ active: true }), 'sms_factor_account_unverified', 422);
      expect(e.params).to.deep.equal({ field: 'accountId' });
      const none = await rejects(() => repo.save({ active: true, accountId: null }), 'sms_factor_invalid', 422);
      expect(none.params).to.deep.equal({ field: 'accountId' });
      const bad = await rejects(() => repo.save({ resetCode: { length: 3 } }), 'sms_factor_invalid', 422);
      expect(bad.params).to.deep.equal({ field: 'resetCode.length' });
      expect(await db('settings').select()).to.deep.equal(before);
    });

    it('becomes active on a verified account and reports availability from the account state', async () => {
      const repo = createSmsFactorRepo(db, { isAccountVerified }, now);
      const saved = await repo.save({ active: true, accountId: 'acc-ok' });
      expect(saved.active).to.equal(true);
      expect(await repo.get()).to.deep.equal(saved);
      expect(await repo.availability()).to.deep.equal({ available: true });
      verified.delete('acc-ok');
      expect(await repo.availability()).to.deep.equal({ available: false, reason: 'sms_account_unverified' });
    });
  });
});
