// Re-encryption of secrets at rest: everything under a previous key is rewritten under SECRET_KEY; a value under a key
// nobody configured is named and left alone, and only what depends on it stops working.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { createClientsRepo } from '../../src/db/clients.ts';
import { createKnex, migrateLatest } from '../../src/db/knex.ts';
import { createReencryptTask, reencryptSecrets } from '../../src/jobs/reencrypt.ts';
import { loadKeyMaterial } from '../../src/oidc/keys.ts';
import { createSecretBox } from '../../src/security/secrets.ts';
import { createAccountsRepo } from '../../src/sms/accounts/repo.ts';
import { createProviderRegistry } from '../../src/sms/providers/registry.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { KEY_1, KEY_2 } from './harness.ts';

const LOST_KEY = 'a-key-that-was-lost-and-is-configured-nowhere-0123';
const client = (id: string) => ({
  client_id: id,
  client_name: id,
  redirect_uris: ['https://rp.example.test/callback'],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
});

describe('re-encryption of secrets at rest', () => {
  let database: TestDatabase;
  let db: Knex;
  let accountId: string;
  const unverified = { status: 'unverified', reason: null, checkedAt: null } as never;
  const silent = pino({ level: 'silent' });
  const registry = createProviderRegistry();

  before(async () => {
    database = await createTestDatabase();
    db = createKnex(database.database);
    await migrateLatest(db);
    const old = createSecretBox(KEY_1);
    await loadKeyMaterial(db, old);
    await createClientsRepo(db, old).upsert(client('kept-client'), { firstParty: false });
    await createClientsRepo(db, createSecretBox(LOST_KEY)).upsert(client('lost-client'), { firstParty: false });
    accountId = await createAccountsRepo(db, old, registry, Date.now).insert({
      name: 'Twilio',
      note: null,
      homeCountry: null,
      provider: 'twilio',
      settings: { accountSid: `AC${'1'.repeat(32)}`, authToken: 'twilio-auth-token-kept', from: '+61491570006' },
      verification: unverified,
    });
  });
  after(async () => {
    await db.destroy();
    await database.drop();
  });

  it('rewrites every value under the previous key and names the one it cannot open', async () => {
    const box = createSecretBox(KEY_2, [KEY_1]);
    const result = await reencryptSecrets(db, box);
    expect(result.reencrypted).to.equal(3 + 1 + 1); // keystore entries, the client, the SMS account
    expect(result.failed.map((f) => [f.what, f.keyId])).to.deep.equal([["client lost-client's secret", createSecretBox(LOST_KEY).currentKeyId]]);
    expect((await reencryptSecrets(db, box)).reencrypted, 'a second run has nothing left to do').to.equal(0);
  });

  it('without the previous key, start-up material, kept secrets and the SMS account still open', async () => {
    const box = createSecretBox(KEY_2);
    await loadKeyMaterial(db, box);
    const clients = createClientsRepo(db, box);
    expect((await clients.find('kept-client'))?.metadata.client_secret).to.be.a('string');
    const lost = await clients.find('lost-client').catch((e: unknown) => e);
    expect(String(lost)).to.contain("cannot decrypt client lost-client's secret");
    expect((await createAccountsRepo(db, box, registry, Date.now).find(accountId))?.settings).to.include({ authToken: 'twilio-auth-token-kept' });
  });

  it('an SMS account sealed under an unknown key reads as having no secrets, without breaking the others', async () => {
    const lostId = await createAccountsRepo(db, createSecretBox(LOST_KEY), registry, Date.now).insert({
      name: 'Lost',
      note: null,
      homeCountry: null,
      provider: 'twilio',
      settings: { accountSid: `AC${'2'.repeat(32)}`, authToken: 'lost-token', from: '+61491570006' },
      verification: unverified,
    });
    const list = await createAccountsRepo(db, createSecretBox(KEY_2), registry, Date.now).list();
    expect(list.find((a) => a.id === lostId)?.settings).not.to.have.property('authToken');
    expect(list.find((a) => a.id === accountId)?.settings).to.include({ authToken: 'twilio-auth-token-kept' });
  });

  it('the periodic job does nothing while no previous key is configured, and re-encrypts when one is', async () => {
    expect(await createReencryptTask({ db, box: createSecretBox(KEY_2), logger: silent })()).to.equal(0);
    await createClientsRepo(db, createSecretBox(KEY_1)).upsert(client('late-client'), { firstParty: false });
    expect(await createReencryptTask({ db, box: createSecretBox(KEY_2, [KEY_1]), logger: silent })()).to.equal(1);
  });
});
