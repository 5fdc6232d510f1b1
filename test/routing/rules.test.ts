// Routing rules: evaluated in order by country, prefix and app at step 2 of the account-selection pipeline; validated
// edits with clear errors; positions kept dense; a rule never widens what an app was granted; one fallback per message.
import { expect } from 'chai';
import { AppError } from '../../src/errors.ts';
import { createHarness, type Harness } from '../sms/harness.ts';

const CN = '+8613800138000';
const AU = '+61491570156';
const US = '+12025550123';

describe('SMS routing rules', () => {
  let h: Harness;
  const ids: Record<string, string> = {};

  before(async () => {
    h = await createHarness();
    const { accounts } = h.sms;
    for (const name of ['Default', 'China', 'Australia', 'Granted']) {
      const a = await accounts.create({ name, provider: 'dev', settings: {}, isDefault: name === 'Default' });
      await accounts.verify(a.id);
      ids[name] = a.id;
    }
    // "Granted" may be used by app-a only.
    await h.sms.resources.access.set(ids.Granted!, { general: false, clientIds: ['app-a'] });
  });
  after(() => h.close());
  afterEach(async () => {
    for (const r of await h.sms.routing.list()) await h.sms.routing.remove(r.id);
  });

  const pick = async (to: string, clientId: string | null = null, accountId?: string) => (await h.sms.resources.select({ to, clientId, accountId, purpose: 'login' })).account.name;

  it('without rules: the chosen account, else the default (the implicit last rules)', async () => {
    expect(await pick(CN)).to.equal('Default');
    expect(await pick(CN, null, ids.China)).to.equal('China');
  });

  it('the first matching rule wins: +86 by country, a narrower prefix before it, everything else by a catch-all', async () => {
    const { routing } = h.sms;
    await routing.create({ country: 'CN', accountId: ids.China });
    await routing.create({ accountId: ids.Australia });
    // Inserted first: +61 4 mobiles go to China's account (a contrived rule that shows order).
    const narrow = await routing.create({ prefix: '+614', accountId: ids.China, position: 1 });
    expect((await routing.list()).map((r) => [r.position, r.country, r.prefix])).to.deep.equal([
      [1, null, '+614'],
      [2, 'CN', null],
      [3, null, null],
    ]);
    expect(await pick(CN)).to.equal('China');
    expect(await pick(AU)).to.equal('China');
    expect(await pick(US)).to.equal('Australia');
    // The rules beat the connection's chosen account.
    expect(await pick(US, null, ids.Default)).to.equal('Australia');
    await routing.update(narrow.id, { position: 3 });
    expect(await pick(AU)).to.equal('Australia');
    await routing.remove((await routing.list())[0]!.id);
    expect((await routing.list()).map((r) => r.position)).to.deep.equal([1, 2]);
  });

  it('per-app rules apply to that app only, and a rule naming an account the app was not granted is skipped', async () => {
    const { routing } = h.sms;
    await routing.create({ country: 'AU', clientId: null, accountId: ids.Granted });
    await routing.create({ country: 'AU', clientId: 'app-b', accountId: ids.China });
    expect(await pick(AU, 'app-a'), 'app-a may use Granted').to.equal('Granted');
    expect(await pick(AU, 'app-b'), 'app-b may not: the next rule').to.equal('China');
    expect(await pick(AU, 'app-c'), 'no rule fits app-c: the default').to.equal('Default');
  });

  it('selects the rule’s fallback only when it is usable by the app', async () => {
    await h.sms.routing.create({ country: 'AU', accountId: ids.Australia, fallbackAccountId: ids.Granted });
    expect((await h.sms.resources.select({ to: AU, clientId: 'app-a', purpose: 'login' })).fallbackAccountId).to.equal(ids.Granted);
    expect((await h.sms.resources.select({ to: AU, clientId: 'app-b', purpose: 'login' })).fallbackAccountId).to.equal(null);
  });

  it('refuses bad rules with a clear 400 and changes nothing', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{}, /^accountId: is required/],
      [{ accountId: 'nope' }, /^accountId: there is no SMS account "nope"/],
      [{ accountId: ids.China, country: 'XX' }, /^country: must be an ISO 3166 country code/],
      [{ accountId: ids.China, prefix: '86' }, /^prefix: must be a number prefix in E.164 form/],
      [{ accountId: ids.China, fallbackAccountId: ids.China }, /^fallbackAccountId: must be another account/],
      [{ accountId: ids.China, fallbackAccountId: 'gone' }, /^fallbackAccountId: there is no SMS account/],
      [{ accountId: ids.China, position: 0 }, /^position: must be 1 or more/],
      [{ accountId: ids.China, extra: 1 }, /extra/],
    ];
    for (const [input, message] of cases) {
      const err = await h.sms.routing.create(input).catch((e: unknown) => e);
      expect(err, JSON.stringify(input)).to.be.instanceOf(AppError);
      expect((err as AppError).status).to.equal(400);
      expect((err as AppError).code).to.equal('sms_route_invalid');
      expect((err as AppError).message).to.match(message);
    }
    expect(await h.sms.routing.list()).to.deep.equal([]);
    const missing = await h.sms.routing.update('nope', {}).catch((e: unknown) => e);
    expect((missing as AppError).status).to.equal(404);
  });

  it('deleting an account drops its rules and the fallbacks naming it', async () => {
    const temp = await h.sms.accounts.create({ name: 'Temp', provider: 'dev', settings: {} });
    await h.sms.routing.create({ country: 'CN', accountId: temp.id });
    await h.sms.routing.create({ country: 'AU', accountId: ids.Australia, fallbackAccountId: temp.id });
    await h.sms.accounts.remove(temp.id);
    const left = await h.sms.routing.list();
    expect(left.map((r) => [r.position, r.country, r.fallbackAccountId])).to.deep.equal([[1, 'AU', null]]);
  });

  it('two instances failing over the same message at once store one fallback', async () => {
    await h.sms.routing.create({ country: 'AU', accountId: ids.Australia, fallbackAccountId: ids.China });
    const sent = await h.sms.sender.enqueue({ purpose: 'login', to: AU, code: '123456' });
    const { id } = sent;
    const row = await h.db('sms_messages').where({ id }).first();
    expect(row.fallback_account_id).to.equal(ids.China);
    const b = h.instance();
    const { fromRow } = await import('../../src/sms/outbox/repo.ts');
    const results = await Promise.allSettled([h.sms.sender.resend(fromRow(row)), b.sender.resend(fromRow(row))]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    const fallbacks = await h.db('sms_messages').where({ failover_of: id });
    expect(fallbacks).to.have.length(1);
    expect(fallbacks[0].account_id).to.equal(ids.China);
    expect(fallbacks[0].fallback_account_id, 'a fallback has no fallback of its own').to.equal(null);
  });
});
