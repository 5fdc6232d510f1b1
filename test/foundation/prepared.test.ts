// The fixed statements of every sign-in (src/db/prepared.ts), on SQLite or MariaDB: what they read and write is what
// knex's own queries would, they are counted as knex's, and they keep answering when the server refuses to prepare more.
import { expect } from 'chai';
import { createKnex, type Knex, migrateLatest } from '../../src/db/knex.ts';
import { prepared } from '../../src/db/prepared.ts';
import { createTestDatabase, type TestDatabase, usingMysql } from '../helpers/db.ts';

describe(`prepared statements (${usingMysql ? 'MariaDB' : 'SQLite'})`, () => {
  let tdb: TestDatabase;
  let db: Knex;

  before(async () => {
    tdb = await createTestDatabase();
    db = createKnex(tdb.database);
    await migrateLatest(db);
  });
  after(async () => {
    await db?.destroy();
    await tdb?.drop();
  });

  it('inserts a row as knex would: an undefined value takes the column default, booleans and numbers as stored', async () => {
    const sql = prepared(db);
    const at = 1_800_000_000_123;
    expect(await sql.insert('audit_events', { id: 'e1', at, actor: undefined, action: 'test.prepared', target: 't', details: '{}' })).to.equal(1);
    const row = await db('audit_events').where({ id: 'e1' }).first();
    expect(row).to.include({ action: 'test.prepared', target: 't', actor: null });
    expect(Number(row.at)).to.equal(at);
    const [read] = await sql.rows<{ id: string; at: unknown }>('SELECT id, at FROM audit_events WHERE id = ? AND at > ?', ['e1', at - 1]);
    expect(read?.id).to.equal('e1');
    expect(Number(read?.at)).to.equal(at);
    expect(await sql.run('UPDATE audit_events SET target = ? WHERE id = ?', ['u', 'e1'])).to.equal(1);
    expect(await sql.run('UPDATE audit_events SET target = ? WHERE id = ?', ['u', 'none'])).to.equal(0);
  });

  it("emits knex's query event for each statement, with its text and bindings", async () => {
    const seen: Array<{ sql: string; bindings?: unknown[] }> = [];
    const on = (q: { sql: string; bindings?: unknown[] }) => seen.push(q);
    db.on('query', on);
    try {
      await prepared(db).rows('SELECT id FROM audit_events WHERE id = ?', ['e1']);
    } finally {
      db.off('query', on);
    }
    expect(seen).to.have.length(1);
    expect(seen[0]).to.include({ sql: 'SELECT id FROM audit_events WHERE id = ?' });
    expect(seen[0]?.bindings).to.deep.equal(['e1']);
  });

  it('reports a wrong statement as the database error it is, and the connection goes on', async () => {
    const sql = prepared(db);
    const failed = await sql.rows('SELECT nope FROM audit_events WHERE id = ?', ['e1']).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(failed).to.be.instanceOf(Error);
    expect((await sql.rows('SELECT id FROM audit_events WHERE id = ?', ['e1'])).length).to.equal(1);
  });

  (usingMysql ? it : it.skip)('answers through the text protocol when the server refuses to prepare more statements', async () => {
    const [[cap]] = (await db.raw("SHOW GLOBAL VARIABLES LIKE 'max_prepared_stmt_count'")) as [[{ Value: string }]];
    // A connection of its own, which has prepared nothing yet.
    const fresh = createKnex(tdb.database);
    await db.raw('SET GLOBAL max_prepared_stmt_count = 0');
    try {
      const sql = prepared(fresh);
      const rows = await sql.rows<{ id: string }>('SELECT id FROM audit_events WHERE id = ? AND at > ?', ['e1', 0]);
      expect(rows.map((r) => r.id)).to.deep.equal(['e1']);
      expect(await sql.insert('audit_events', { id: 'e2', at: 1, action: 'test.prepared', details: '{}' })).to.equal(1);
    } finally {
      await db.raw(`SET GLOBAL max_prepared_stmt_count = ${Number(cap.Value)}`);
      await fresh.destroy();
    }
    expect(await db('audit_events').where({ id: 'e2' }).first()).to.include({ action: 'test.prepared' });
  });
});
