// The provider's knex adapter and key storage, on SQLite or MariaDB: expiry, consume, grant revocation, encryption.
import { expect } from 'chai';
import type { AdapterPayload } from 'oidc-provider';
import { createClientsRepo } from '../../src/db/clients.ts';
import { createKnex, type Knex, migrateLatest } from '../../src/db/knex.ts';
import { createAdapter, payloadIdHash, purgeExpired, revokeAccount } from '../../src/oidc/adapter.ts';
import { loadKeyMaterial } from '../../src/oidc/keys.ts';
import { createSecretBox } from '../../src/security/secrets.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

async function expectRejected(p: Promise<unknown>): Promise<void> {
  const outcome = await p.then(
    () => 'resolved',
    () => 'rejected',
  );
  expect(outcome).to.equal('rejected');
}

describe('storage', () => {
  let tdb: TestDatabase;
  let db: Knex;
  let clock = 1_800_000_000_000;
  const now = () => clock;
  const box = createSecretBox('storage-test-secret-0123456789-abcdefgh');
  const hashId = payloadIdHash(box);

  before(async () => {
    tdb = await createTestDatabase();
    db = createKnex(tdb.database);
  });
  after(async () => {
    await db.destroy();
    await tdb.drop();
  });

  it('migrates a fresh database from several instances at once without failing', async () => {
    const others = [createKnex(tdb.database), createKnex(tdb.database)];
    await Promise.all([db, ...others].map((k) => migrateLatest(k, { delayMs: 50 })));
    await Promise.all(others.map((k) => k.destroy()));
    const tables = ['oidc_payloads', 'clients', 'users', 'keystore', 'counters'];
    for (const t of tables) expect(await db.schema.hasTable(t), t).to.equal(true);
  });

  it('stores, finds, expires and purges provider models', async () => {
    const Adapter = createAdapter({ db, clients: createClientsRepo(db, box, now), hashId, now });
    const sessions = new Adapter('Session');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'acc', kind: 'Session' } as AdapterPayload, 60);
    expect((await sessions.find('s1'))?.accountId).to.equal('acc');
    expect((await sessions.findByUid('u1'))?.accountId).to.equal('acc');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'acc2', kind: 'Session' } as AdapterPayload, 60);
    expect((await sessions.find('s1'))?.accountId, 'upsert replaces').to.equal('acc2');
    clock += 61_000;
    expect(await sessions.find('s1'), 'expired rows are never returned').to.equal(undefined);
    expect(await purgeExpired(db, clock)).to.equal(1);
  });

  it('consumes once and revokes everything of a grant', async () => {
    const Adapter = createAdapter({ db, clients: createClientsRepo(db, box, now), hashId, now });
    const codes = new Adapter('AuthorizationCode');
    const tokens = new Adapter('RefreshToken');
    await codes.upsert('c1', { grantId: 'g1', kind: 'AuthorizationCode' } as AdapterPayload, 60);
    await tokens.upsert('r1', { grantId: 'g1', kind: 'RefreshToken' } as AdapterPayload, 600);
    await tokens.upsert('r2', { grantId: 'g2', kind: 'RefreshToken' } as AdapterPayload, 600);
    expect((await codes.find('c1'))?.consumed).to.equal(undefined);
    await codes.consume('c1');
    expect((await codes.find('c1'))?.consumed).to.equal(Math.floor(clock / 1000));
    await codes.revokeByGrantId('g1');
    expect(await codes.find('c1')).to.equal(undefined);
    expect(await tokens.find('r1')).to.equal(undefined);
    expect(await tokens.find('r2')).not.to.equal(undefined);
  });

  it('lets exactly one of two parallel redemptions of a code pass', async () => {
    const Adapter = createAdapter({ db, clients: createClientsRepo(db, box, now), hashId, now });
    const codes = new Adapter('AuthorizationCode');
    await codes.upsert('twice', { grantId: 'g-twice', kind: 'AuthorizationCode' } as AdapterPayload, 60);
    const results = await Promise.allSettled([codes.consume('twice'), new Adapter('AuthorizationCode').consume('twice')]);
    expect(results.map((r) => r.status).sort()).to.deep.equal(['fulfilled', 'rejected']);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason.error).to.equal('invalid_grant');
    await expectRejected(codes.consume('never-issued'));
  });

  it('stores token, session and grant ids only as a keyed hash; uid and grant lookups still work', async () => {
    const Adapter = createAdapter({ db, clients: createClientsRepo(db, box, now), hashId, now });
    await new Adapter('AccessToken').upsert('live-access-token-value', { grantId: 'grant-secret-id', accountId: 'acc-h', kind: 'AccessToken' } as AdapterPayload, 600);
    await new Adapter('RefreshToken').upsert('live-refresh-token-value', { grantId: 'grant-secret-id', kind: 'RefreshToken' } as AdapterPayload, 600);
    await new Adapter('Session').upsert('live-session-id', { uid: 'session-uid-h', accountId: 'acc-h', kind: 'Session' } as AdapterPayload, 600);
    const rows = await db('oidc_payloads').select('id', 'grant_id');
    const stored = JSON.stringify(rows);
    for (const secret of ['live-access-token-value', 'live-refresh-token-value', 'live-session-id', 'grant-secret-id']) expect(stored).not.to.contain(secret);
    expect((await new Adapter('AccessToken').find('live-access-token-value'))?.accountId).to.equal('acc-h');
    expect((await new Adapter('Session').findByUid('session-uid-h'))?.accountId).to.equal('acc-h');
    await new Adapter('Grant').revokeByGrantId('grant-secret-id');
    expect(await new Adapter('AccessToken').find('live-access-token-value')).to.equal(undefined);
    expect(await new Adapter('RefreshToken').find('live-refresh-token-value')).to.equal(undefined);
    await new Adapter('Session').destroy('live-session-id');
  });

  it('revokes every session, grant and token of one account and nothing of another', async () => {
    const Adapter = createAdapter({ db, clients: createClientsRepo(db, box, now), hashId, now });
    const put = (model: string, id: string, payload: Record<string, unknown>) => new Adapter(model).upsert(id, { kind: model, ...payload } as AdapterPayload, 600);
    await put('Session', 'sa', { accountId: 'victim', uid: 'ua' });
    await put('Grant', 'ga', { accountId: 'victim' });
    await put('RefreshToken', 'ra', { accountId: 'victim', grantId: 'ga' });
    await put('AccessToken', 'aa', { accountId: 'victim', grantId: 'ga' });
    await put('Session', 'sb', { accountId: 'other', uid: 'ub' });
    await put('RefreshToken', 'rb', { accountId: 'other', grantId: 'gb' });
    expect(await revokeAccount(db, 'victim')).to.equal(4);
    for (const [m, id] of [['Session', 'sa'], ['Grant', 'ga'], ['RefreshToken', 'ra'], ['AccessToken', 'aa']]) expect(await new Adapter(m!).find(id!), `${m} ${id}`).to.equal(undefined);
    expect(await new Adapter('Session').find('sb')).not.to.equal(undefined);
    expect(await new Adapter('RefreshToken').find('rb')).not.to.equal(undefined);
  });

  it('reads clients from the clients table with the secret decrypted, stored encrypted', async () => {
    const clients = createClientsRepo(db, box, now);
    const created = await clients.upsert({ client_name: 'App', redirect_uris: ['https://app.example.test/cb'] }, { firstParty: true });
    const Adapter = createAdapter({ db, clients, hashId, now });
    const found = await new Adapter('Client').find(created.client_id);
    expect(found?.client_secret).to.equal(created.client_secret);
    expect(found?.first_party).to.equal(true);
    expect(found?.redirect_uris).to.deep.equal(['https://app.example.test/cb']);
    const row = await db('clients').where({ client_id: created.client_id }).first();
    expect(row.client_secret).not.to.contain(created.client_secret!);
  });

  it('hands out a copy of a cached client: changing what one caller got changes nothing for the next', async () => {
    const clients = createClientsRepo(db, box, now);
    const created = await clients.upsert({ client_name: 'Copy', redirect_uris: ['https://copy.example.test/cb'], default_acr_values: ['a'] });
    const first = (await clients.find(created.client_id))!;
    first.metadata.redirect_uris.push('https://evil.example.test/cb');
    (first.metadata.default_acr_values as string[])[0] = 'b';
    first.metadata.client_secret = 'changed';
    first.disabled = true;
    const second = (await clients.find(created.client_id))!;
    expect(second.metadata.redirect_uris).to.deep.equal(['https://copy.example.test/cb']);
    expect(second.metadata.default_acr_values).to.deep.equal(['a']);
    expect(second.metadata.client_secret).to.equal(created.client_secret);
    expect(second.disabled).to.equal(false);
  });

  it('creates signing and cookie keys once, encrypted, and returns the same to every instance', async () => {
    const [k1, k2] = await Promise.all([loadKeyMaterial(db, box, now), loadKeyMaterial(db, box, now)]);
    expect(k2).to.deep.equal(k1);
    expect(k1.jwks.keys.map((k) => k.alg).sort()).to.deep.equal(['ES256', 'RS256']);
    const dump = JSON.stringify(await db('keystore').select());
    for (const key of k1.jwks.keys) expect(dump).not.to.contain(key.d!);
    expect(dump).not.to.contain(k1.cookieKeys[0]!);
  });
});
