// Stored token ids are keyed hashes: after a SECRET_KEY rotation, sessions and tokens hashed under the previous key are
// found, consumed, revoked and destroyed, and each one used is moved to the new key's hash so it outlives the old key.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createKnex, migrateLatest } from '../../src/db/knex.ts';
import { createAdapter, payloadIdHash } from '../../src/oidc/adapter.ts';
import { createSecretBox } from '../../src/security/secrets.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createClock, KEY_1, KEY_2 } from './harness.ts';

describe('token ids hashed under a previous SECRET_KEY', () => {
  const clock = createClock();
  let database: TestDatabase;
  let db: Knex;
  const clients = { find: async () => undefined };
  const adapterUnder = (key: string, previous: string[] = []) => createAdapter({ db, clients, hashId: payloadIdHash(createSecretBox(key, previous)), now: clock.now });

  before(async () => {
    database = await createTestDatabase();
    db = createKnex(database.database);
    await migrateLatest(db);
  });
  after(async () => {
    await db.destroy();
    await database.drop();
  });

  it('a console session and a refresh token made before the rotation are found after it, then survive dropping the old key', async () => {
    const before = adapterUnder(KEY_1);
    await new before('ConsoleSession').upsert('console-sid-1', { accountId: 'u1' }, 3600);
    await new before('RefreshToken').upsert('refresh-1', { accountId: 'u1', grantId: 'grant-1' }, 3600);

    const during = adapterUnder(KEY_2, [KEY_1]);
    expect(await new during('ConsoleSession').find('console-sid-1')).to.include({ accountId: 'u1' });
    expect(await new during('RefreshToken').find('refresh-1')).to.include({ grantId: 'grant-1' });

    const after = adapterUnder(KEY_2);
    expect(await new after('ConsoleSession').find('console-sid-1')).to.include({ accountId: 'u1' });
    expect(await new after('RefreshToken').find('refresh-1')).to.include({ grantId: 'grant-1' });
    // Moved, not copied: one row each, under the new hash, grant hash included.
    expect(await db('oidc_payloads').where({ model: 'RefreshToken' }).pluck('grant_id')).to.deep.equal([payloadIdHash(createSecretBox(KEY_2))('grant-1')]);
    expect(await db('oidc_payloads').where({ model: 'ConsoleSession' }).count({ n: '*' })).to.deep.equal([{ n: 1 }]);
  });

  it('consumes, revokes by grant and destroys rows hashed under the previous key', async () => {
    const before = adapterUnder(KEY_1);
    await new before('AuthorizationCode').upsert('code-1', { grantId: 'grant-2' }, 60);
    await new before('AccessToken').upsert('access-1', { grantId: 'grant-2' }, 3600);
    await new before('Session').upsert('session-1', { accountId: 'u2' }, 3600);

    const during = adapterUnder(KEY_2, [KEY_1]);
    await new during('AuthorizationCode').consume('code-1');
    expect(await new during('AuthorizationCode').find('code-1')).to.have.property('consumed');
    const again = await new during('AuthorizationCode').consume('code-1').catch((e: unknown) => e);
    expect(String(again)).to.contain('invalid_grant');
    // A token issued after the rotation for the same grant: revoking the grant ends both.
    await new during('AccessToken').upsert('access-2', { grantId: 'grant-2' }, 3600);
    await new during('AccessToken').revokeByGrantId('grant-2');
    expect(await new during('AccessToken').find('access-1')).to.equal(undefined);
    expect(await new during('AccessToken').find('access-2')).to.equal(undefined);
    await new during('Session').destroy('session-1');
    expect(await new during('Session').find('session-1')).to.equal(undefined);
  });

  it('an update of a row stored under the previous key replaces it instead of adding a second one', async () => {
    await new (adapterUnder(KEY_1))('Session').upsert('session-2', { accountId: 'u3', n: 1 }, 3600);
    const during = adapterUnder(KEY_2, [KEY_1]);
    await new during('Session').upsert('session-2', { accountId: 'u3', n: 2 }, 3600);
    expect(await db('oidc_payloads').where({ model: 'Session', account_id: 'u3' }).count({ n: '*' })).to.deep.equal([{ n: 1 }]);
    expect(await new (adapterUnder(KEY_2))('Session').find('session-2')).to.include({ n: 2 });
  });
});
