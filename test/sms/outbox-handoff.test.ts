// A started worker delivers the messages its own process sends: stored already claimed, handed over without a due scan
// or a claim. A message whose owner never finishes it is taken over by any instance once the lease runs out.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { createKnex } from '../../src/db/knex.ts';
import { createSms, type Sms } from '../../src/sms/index.ts';
import { createMessagesRepo, type MessagesRepo } from '../../src/sms/outbox/repo.ts';
import { defaultWorkerOptions } from '../../src/sms/types.ts';
import { startFakeTwilio, type FakeTwilio } from '../fakes/fake-twilio.ts';
import { AU_MOBILE, createHarness, type Harness, TEST_PROVIDER_HOSTS, verifiedTwilioAccount } from './harness.ts';

const LEASE_MS = defaultWorkerOptions.leaseMs;
/** A loop whose timer never fires during a test: only enqueues and runOnce move the outbox. */
const QUIET = { intervalMs: 3_600_000 };

/** Statements against the messages table, as they are sent. */
function recordMessageStatements(db: Knex): { sql: string[]; stop(): void } {
  const sql: string[] = [];
  const on = (q: { sql: string }) => {
    if (/\bsms_message/.test(q.sql)) sql.push(q.sql);
  };
  db.on('query', on);
  return { sql, stop: () => db.off('query', on) };
}

const isDueScan = (s: string) => /^select \* from `?sms_messages`? where `?status`? = \?/i.test(s);
const isClaim = (s: string) => s.startsWith('update `sms_messages`') && s.includes('`attempts` = attempts + 1');

describe('outbox: messages handed to their own worker', () => {
  let h: Harness;
  let fake: FakeTwilio;
  const extra: { db: Knex; sms: Sms }[] = [];
  before(async () => {
    h = await createHarness({ options: { providerTimeoutMs: 2000 } });
    fake = await startFakeTwilio({ now: () => h.clock.now() });
    await verifiedTwilioAccount(h.sms, fake, 'Twilio');
  });
  after(async () => {
    for (const e of extra) {
      await e.sms.worker.stop();
      await e.db.destroy();
    }
    await fake.close();
    await h.close();
  });

  /** Another instance on the same database, its messages repo optionally wrapped. */
  function instance(opts: { worker?: Record<string, number>; messages?: (r: MessagesRepo) => MessagesRepo } = {}): { db: Knex; sms: Sms } {
    const db = createKnex(h.database.database);
    const sms = createSms({
      db,
      box: h.box,
      config: h.config,
      logger: pino({ level: 'silent' }),
      now: h.clock.now,
      options: { providerTimeoutMs: 2000, providerHosts: TEST_PROVIDER_HOSTS, worker: { ...QUIET, ...opts.worker } },
      hooks: opts.messages ? { messages: opts.messages } : {},
    });
    const e = { db, sms };
    extra.push(e);
    return e;
  }

  it('a started worker stores the message claimed and sends it at once: no due scan, no claim', async () => {
    const a = instance();
    a.sms.worker.start();
    const to = '+61491570157';
    const seen = recordMessageStatements(a.db);
    try {
      const sent = await a.sms.sender.enqueue({ purpose: 'login', to, code: '271828' });
      // The caller has the id at once; stop() waits for the deliveries this process started.
      await a.sms.worker.stop();
      expect(fake.lastCode(to)).to.equal('271828');
      expect(await a.sms.sender.status(sent.id)).to.include({ status: 'queued', attempts: 1 });
      expect(seen.sql.filter(isDueScan)).to.deep.equal([]);
      expect(seen.sql.filter(isClaim)).to.deep.equal([]);
      // The INSERT (already claimed), the accepted UPDATE and the attempt row; the status read above.
      expect(seen.sql.filter((s) => !/^select/i.test(s))).to.have.length(3);
      expect((await h.sms.log.attempts(sent.id)).map((x) => [x.attempt, x.outcome])).to.deep.equal([[1, 'accepted']]);
      const row = await h.db('sms_messages').where({ id: sent.id }).first();
      expect(row).to.include({ claim_token: null, claimed_until: null });
      expect(Boolean(row.in_doubt)).to.equal(false);
    } finally {
      seen.stop();
    }
  });

  it('without a started worker the message waits pending, unclaimed, for a due scan', async () => {
    const sent = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '314159' });
    const row = await h.db('sms_messages').where({ id: sent.id }).first();
    expect(row).to.include({ status: 'pending', claim_token: null, claimed_until: null, attempts: 0 });
    expect(Boolean(row.in_doubt)).to.equal(false);
    expect(await h.sms.worker.runOnce()).to.equal(1);
    expect(fake.lastCode(AU_MOBILE)).to.equal('314159');
  });

  it('a message stored claimed by an instance that never sends it goes out through another after the lease', async () => {
    const to = '+61491570158';
    // What an instance leaves when it stops right after its INSERT: the row claimed, its first attempt in doubt.
    const body = 'Your Codeword code is 161803';
    const { row } = await createMessagesRepo(h.db, h.clock.now).insertClaimed(
      {
        accountId: (await h.sms.accounts.list())[0]!.id,
        provider: 'twilio',
        purpose: 'login',
        toMasked: '+61•••••••58',
        toHash: h.box.hmac('sms-recipient', to),
        toSealed: h.box.encrypt(to),
        bodySealed: h.box.encrypt(body),
        varsSealed: h.box.encrypt(JSON.stringify({ code: '161803' })),
        language: 'en',
        encoding: 'GSM-7',
        characters: body.length,
        segments: 1,
        flowId: null,
      },
      LEASE_MS,
    );
    const stored = await h.db('sms_messages').where({ id: row.id }).first();
    expect(stored).to.include({ status: 'pending', attempts: 1 });
    expect(Boolean(stored.in_doubt)).to.equal(true);
    expect(stored.claim_token).to.be.a('string');

    // While the lease runs, no other instance touches it.
    h.clock.advance(LEASE_MS - 1);
    expect(await h.sms.worker.runOnce()).to.equal(0);
    expect(fake.messagesTo(to)).to.have.length(0);

    h.clock.advance(2);
    expect(await h.sms.worker.runOnce()).to.equal(1);
    expect(fake.messagesTo(to).map((m) => m.body)).to.deep.equal([body]);
    expect(await h.sms.sender.status(row.id)).to.include({ status: 'queued', attempts: 2 });
    // The lookup at the provider found nothing (the first attempt never went out), so it was sent: attempt 2.
    expect((await h.sms.log.attempts(row.id)).map((a) => [a.attempt, a.outcome])).to.deep.equal([[2, 'accepted']]);
  });

  it('a message the provider took from an instance that then stopped is found there after the lease, not sent twice', async () => {
    const to = '+61491570159';
    let reached!: () => void;
    const atProvider = new Promise<void>((r) => {
      reached = r;
    });
    let resume!: () => void;
    const stalled = new Promise<void>((r) => {
      resume = r;
    });
    // This instance hangs once the provider has answered, before it records anything (as a process that died there).
    const a = instance({
      messages: (r) => ({
        ...r,
        async accepted(id, token, result) {
          reached();
          await stalled;
          return r.accepted(id, token, result);
        },
      }),
    });
    a.sms.worker.start();
    const posts = fake.messagePosts;
    const sent = await a.sms.sender.enqueue({ purpose: 'login', to, code: '577215' });
    await atProvider;
    expect(fake.messagesTo(to)).to.have.length(1);

    expect(await h.sms.worker.runOnce()).to.equal(0);
    h.clock.advance(LEASE_MS + 1);
    expect(await h.sms.worker.runOnce()).to.equal(1);
    expect(fake.messagePosts - posts).to.equal(1);
    expect(fake.messagesTo(to)).to.have.length(1);
    expect(await h.sms.sender.status(sent.id)).to.include({ status: 'queued', providerMessageId: fake.messagesTo(to)[0]!.sid, attempts: 2 });
    expect((await h.sms.log.attempts(sent.id)).map((x) => [x.attempt, x.outcome])).to.deep.equal([[2, 'found']]);

    // The first owner, back, no longer holds the claim: its late outcome changes nothing.
    resume();
    await a.sms.worker.stop();
    expect(await h.sms.sender.status(sent.id)).to.include({ status: 'queued', attempts: 2 });
  });

  it('hands over at most a batch at a time; the rest waits pending for the loop', async () => {
    const a = instance({ worker: { batchSize: 2 } });
    a.sms.worker.start();
    const to = '+61491570006';
    fake.script({ status: 201, delayMs: 200 }, { status: 201, delayMs: 200 });
    const seen = recordMessageStatements(a.db);
    try {
      const sent = await Promise.all(['111111', '222222', '333333'].map((code) => a.sms.sender.enqueue({ purpose: 'mfa', to, code })));
      const inserts = seen.sql.filter((s) => /^insert into `?sms_messages`? /i.test(s));
      expect(inserts.filter((s) => s.includes('`claim_token`'))).to.have.length(2);
      expect(inserts.filter((s) => !s.includes('`claim_token`'))).to.have.length(1);
      await a.sms.worker.stop();
      await a.sms.worker.runOnce();
      expect(fake.messagesTo(to).map((m) => m.body.slice(0, 6)).sort()).to.deep.equal(['111111', '222222', '333333']);
      for (const { id } of sent) expect((await a.sms.sender.status(id)).attempts).to.equal(1);
    } finally {
      seen.stop();
    }
  });
});
