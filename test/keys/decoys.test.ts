// The made-up digits shown for accounts that do not exist come from a key kept in the keystore: they are the same before
// an upgrade, during a SECRET_KEY rotation and after it, so a rotation does not tell real accounts from decoys.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createKnex, migrateLatest } from '../../src/db/knex.ts';
import { decoySubject } from '../../src/flows/reset/subject.ts';
import { reencryptSecrets } from '../../src/jobs/reencrypt.ts';
import { loadKeyMaterial } from '../../src/oidc/keys.ts';
import { createSecretBox, withStableHmacKeys } from '../../src/security/secrets.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { KEY_1, KEY_2 } from './harness.ts';

describe('decoy digits across a SECRET_KEY rotation', () => {
  let database: TestDatabase;
  let db: Knex;
  before(async () => {
    database = await createTestDatabase();
    db = createKnex(database.database);
    await migrateLatest(db);
  });
  after(async () => {
    await db.destroy();
    await database.drop();
  });

  /** The box the reset flow is given at start-up (see container.ts). */
  const resetBox = async (key: string, previous: string[] = []) => {
    const box = createSecretBox(key, previous);
    return withStableHmacKeys(box, (await loadKeyMaterial(db, box)).stableHmacKeys);
  };
  const seeds = ['nobody-at-all', 'ghost@example.test', '+61491570159'];
  const digits = (box: Parameters<typeof decoySubject>[0]) => seeds.map((s) => decoySubject(box, s));

  it('stay the same from before the upgrade to after the old key is dropped', async () => {
    const beforeUpgrade = digits(createSecretBox(KEY_1));
    expect(digits(await resetBox(KEY_1))).to.deep.equal(beforeUpgrade);
    expect(digits(await resetBox(KEY_2, [KEY_1]))).to.deep.equal(beforeUpgrade);
    await reencryptSecrets(db, createSecretBox(KEY_2, [KEY_1]));
    expect(digits(await resetBox(KEY_2))).to.deep.equal(beforeUpgrade);
    // Without the stored key they would have changed with SECRET_KEY.
    expect(digits(createSecretBox(KEY_2))).not.to.deep.equal(beforeUpgrade);
  });
});
