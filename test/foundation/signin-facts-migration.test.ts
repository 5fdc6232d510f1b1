// Upgrading keeps what the sign-in decision knew from the audit log: the last SMS reset (with its phone) and phone enrolment.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createAuditRepo } from '../../src/db/audit.ts';
import { createKnex, type Knex } from '../../src/db/knex.ts';
import { createUsersRepo } from '../../src/db/users.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const MIGRATION = '20261207_user_signin_facts';

describe('upgrading to the sign-in facts on the user row', () => {
  let tdb: TestDatabase;
  let db: Knex;

  before(async () => {
    tdb = await createTestDatabase();
    db = createKnex(tdb.database);
    // Every migration before this one.
    for (;;) {
      const [, pending] = (await db.migrate.list()) as [unknown[], Array<{ file: string } | string>];
      const next = pending[0];
      const name = typeof next === 'string' ? next : next?.file;
      if (!name || name.startsWith(MIGRATION)) break;
      await db.migrate.up();
    }
  });
  after(async () => {
    await db.destroy();
    await tdb.drop();
  });

  it('copies the newest SMS reset and phone enrolment of each user from the audit log', async () => {
    const users = createUsersRepo(db);
    const audit = createAuditRepo(db);
    const reset = await users.create({ username: 'reset-user' });
    const enrolled = await users.create({ username: 'enrolled-user' });
    const untouched = await users.create({ username: 'untouched-user' });
    const event = (at: number, action: string, target: string, details: Record<string, unknown>) =>
      db('audit_events').insert({ id: randomUUID(), at, actor: target, action, target, details: JSON.stringify(details) });
    await event(1_000, 'password.reset', reset.id, { method: 'sms', phoneHash: 'older-hash' });
    await event(2_000, 'password.reset', reset.id, { method: 'sms', phoneHash: 'newest-hash' });
    await event(3_000, 'password.reset', reset.id, { method: 'admin' });
    await event(1_500, 'user.phone_enrolled', enrolled.id, { field: 'phone_number' });
    await event(1_600, 'user.login', untouched.id, {});
    expect((await audit.list({ limit: 10 })).length).to.equal(5);

    await db.migrate.up();

    const factsOf = async (id: string) => {
      const u = (await users.findById(id))!;
      return { smsResetAt: u.smsResetAt, smsResetPhoneHash: u.smsResetPhoneHash, phoneEnrolledAt: u.phoneEnrolledAt };
    };
    expect(await factsOf(reset.id)).to.deep.equal({ smsResetAt: 2_000, smsResetPhoneHash: 'newest-hash', phoneEnrolledAt: null });
    expect(await factsOf(enrolled.id)).to.deep.equal({ smsResetAt: null, smsResetPhoneHash: null, phoneEnrolledAt: 1_500 });
    expect(await factsOf(untouched.id)).to.deep.equal({ smsResetAt: null, smsResetPhoneHash: null, phoneEnrolledAt: null });
  });
});
