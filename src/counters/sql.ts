// The counter store in the shared database: each add, pass and peek is one SQL statement, atomic across instances.
import type { Knex } from 'knex';
import { isMysql } from '../db/knex.ts';
import { placeholders, positional, prepared } from '../db/prepared.ts';
import { memo } from '../memo.ts';
import { counterKey } from './keys.ts';
import type { CounterStore, Gate, GateResult, Probe, Window } from './types.ts';

const TABLE = 'counters';

/** A whole number for SQL text (gate settings are ours, never user input, but stay numbers all the same). */
const int = (v: number): number => {
  if (!Number.isFinite(v)) throw new TypeError(`not a finite number: ${v}`);
  return Math.round(v);
};

/** SQL for the delay in ms after pass number `x` (an SQL expression) through `gate`. */
function delaySql(gate: Gate, x: string, mysql: boolean): string {
  if (gate.steps.length === 0) return '0';
  const [least, greatest] = mysql ? ['LEAST', 'GREATEST'] : ['MIN', 'MAX'];
  const index = `${least}(${greatest}((${x}) - ${int(gate.free)}, 0), ${gate.steps.length})`;
  return `(CASE ${index} ${gate.steps.map((s, i) => `WHEN ${i + 1} THEN ${int(s * 1000)}`).join(' ')} ELSE 0 END)`;
}

/** Delay in ms after the first pass (what a fresh row starts with). */
const firstDelayMs = (gate: Gate) => (gate.free >= 1 || gate.steps.length === 0 ? 0 : int((gate.steps[0] ?? 0) * 1000));

/** A window's name and number at time `t`: fixed windows count multiples of their length, months count UTC months. */
export function bucketOf(w: Window, t: number): [string, number] {
  if (w.calendar === 'month') {
    const d = new Date(t);
    return ['m', d.getUTCFullYear() * 12 + d.getUTCMonth()];
  }
  return [`w${int(w.seconds)}`, Math.floor(t / (w.seconds * 1000))];
}

/** When the window holding time `t` ends, epoch ms. */
export function bucketEnd(w: Window, t: number): number {
  if (w.calendar === 'month') {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return (Math.floor(t / (w.seconds * 1000)) + 1) * w.seconds * 1000;
}

export interface SqlCountersOptions {
  /** Whether the server answers INSERT … RETURNING; asked once when not given (MariaDB does, MySQL does not). */
  returning?: boolean;
}

export function createSqlCounters(db: Knex, now: () => number = Date.now, opts: SqlCountersOptions = {}): CounterStore {
  const mysql = isMysql(db);
  // Every statement is fixed text for its gate or its number of counters, prepared once per connection.
  const sql = prepared(db);
  const bucketKey = (key: string, w: Window, t: number) => counterKey(key, ...bucketOf(w, t));
  // Whether the server answers INSERT … RETURNING (MariaDB does, MySQL does not); asked once.
  let answersReturning: Promise<boolean> | undefined = opts.returning === undefined ? undefined : Promise.resolve(opts.returning);
  const returning = (): Promise<boolean> => {
    answersReturning ??= db.raw('SELECT VERSION() AS v').then(
      ([rows]: [Array<{ v: string }>]) => /mariadb/i.test(String(rows[0]?.v ?? '')),
      (err: unknown) => {
        answersReturning = undefined;
        throw err;
      },
    );
    return answersReturning;
  };

  // A gate's statements, made once per gate's settings.
  const passStatements = memo<{ sql: string; names: string[] }>(64);
  const passStatement = (gate: Gate) => passStatements(JSON.stringify([gate.free, gate.steps, gate.forgetSeconds]), () => positional(passSql(gate)));
  const refundStatements = memo<string>(64);
  const refundSql = (gate: Gate) =>
    refundStatements(JSON.stringify([gate.free, gate.steps]), () =>
      mysql
        ? `UPDATE ${TABLE} SET n = GREATEST(n - 1, 0), until = at + ${delaySql(gate, 'n', true)} WHERE id = ?`
        : `UPDATE ${TABLE} SET n = MAX(n - 1, 0), until = at + ${delaySql(gate, 'MAX(n - 1, 0)', false)} WHERE id = ?`,
    );
  const passSql = (gate: Gate) => {
    const forget = int(gate.forgetSeconds * 1000);
    if (mysql) {
      // MySQL assigns left to right, each assignment seeing the ones before it; LAST_INSERT_ID carries the answer back.
      return `INSERT INTO ${TABLE} (id, n, at, until, r, expires_at) VALUES (:key, 1, :now, :until1, 0, :expires1)
        ON DUPLICATE KEY UPDATE
          r = LAST_INSERT_ID(IF(until <= :now, 0, until)),
          n = IF(r = 0, IF(at < :now - ${forget}, 1, n + 1), n),
          until = IF(r = 0, :now + ${delaySql(gate, 'n', true)}, until),
          at = IF(r = 0, :now, at),
          expires_at = GREATEST(until, at + ${forget})`;
    }
    // SQLite evaluates every assignment against the old row; RETURNING reads the new one.
    const next = `(CASE WHEN at < :now - ${forget} THEN 1 ELSE n + 1 END)`;
    const open = 'until <= :now';
    return `INSERT INTO ${TABLE} (id, n, at, until, r, expires_at) VALUES (:key, 1, :now, :until1, 0, :expires1)
      ON CONFLICT (id) DO UPDATE SET
        r = CASE WHEN ${open} THEN 0 ELSE until END,
        n = CASE WHEN ${open} THEN ${next} ELSE n END,
        until = CASE WHEN ${open} THEN :now + ${delaySql(gate, next, false)} ELSE until END,
        at = CASE WHEN ${open} THEN :now ELSE at END,
        expires_at = CASE WHEN ${open} THEN MAX(:now + ${delaySql(gate, next, false)}, :now + ${forget}) ELSE expires_at END
      RETURNING r`;
  };

  return {
    async add(key, window, by = 1) {
      if (by === 0) throw new TypeError('add() needs a non-zero amount');
      const t = now();
      const id = bucketKey(key, window, t);
      const expires = bucketEnd(window, t) + int((window.keepSeconds ?? 0) * 1000);
      if (mysql) {
        const res = await sql.result(`INSERT INTO ${TABLE} (id, n, expires_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE n = LAST_INSERT_ID(n + ?)`, [id, int(by), expires, int(by)]);
        // One affected row is a fresh insert; two an update, whose new count LAST_INSERT_ID carries back.
        return res.affectedRows === 1 ? by : res.insertId;
      }
      const rows = await sql.rows<{ n: number }>(`INSERT INTO ${TABLE} (id, n, expires_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET n = n + excluded.n RETURNING n`, [id, int(by), expires]);
      return Number(rows[0]?.n);
    },

    async addAll(items, opts = {}) {
      const resets = [...new Set((opts.reset ?? []).map((k) => counterKey(k)))];
      if (items.length === 0 && resets.length === 0) return [];
      const t = now();
      // One row per counter (a key given twice adds both amounts); every caller reads the count after all the adds.
      const merged = new Map<string, { by: number; expires: number }>();
      const ids = items.map((item) => {
        const id = bucketKey(item.key, item.window, t);
        const expires = bucketEnd(item.window, t) + int((item.window.keepSeconds ?? 0) * 1000);
        const m = merged.get(id);
        if (m) m.by += int(item.by ?? 1);
        else merged.set(id, { by: int(item.by ?? 1), expires });
        return id;
      });
      let values = [...merged].map(() => '(?, ?, ?)').join(', ');
      let bindings: Array<string | number> = [...merged].flatMap(([id, m]) => [id, m.by, m.expires]);
      let columns = '(id, n, expires_at)';
      let onConflict = mysql ? 'n = n + VALUES(n)' : 'n = n + excluded.n';
      if (resets.length > 0) {
        // A gate to forget rides along as a row marked r = -1 (never an answer of pass, which is 0 or a time): the row
        // it meets becomes a fresh gate (n, at, until 0, what pass and peek read as no row), due for the next purge.
        columns = '(id, n, at, until, r, expires_at)';
        values = [...[...merged].map(() => '(?, ?, 0, 0, 0, ?)'), ...resets.map(() => '(?, 0, 0, 0, -1, ?)')].join(', ');
        bindings = [...bindings, ...resets.flatMap((id) => [id, t])];
        const reset = mysql ? 'VALUES(r) = -1' : 'excluded.r = -1';
        const pick = (col: string, fresh: string, kept: string) => (mysql ? `${col} = IF(${reset}, ${fresh}, ${kept})` : `${col} = CASE WHEN ${reset} THEN ${fresh} ELSE ${kept} END`);
        onConflict = [
          pick('n', '0', mysql ? 'n + VALUES(n)' : 'n + excluded.n'),
          pick('at', '0', 'at'),
          pick('until', '0', 'until'),
          pick('expires_at', mysql ? 'VALUES(expires_at)' : 'excluded.expires_at', 'expires_at'),
          pick('r', '0', 'r'),
        ].join(', ');
      }
      let rows: Array<{ id: string; n: number | string }>;
      if (!mysql) {
        rows = await sql.rows(`INSERT INTO ${TABLE} ${columns} VALUES ${values} ON CONFLICT (id) DO UPDATE SET ${onConflict} RETURNING id, n`, bindings);
      } else if (await returning()) {
        // MariaDB's RETURNING gives each row as the statement left it: the count after the add.
        rows = await sql.rows(`INSERT INTO ${TABLE} ${columns} VALUES ${values} ON DUPLICATE KEY UPDATE ${onConflict} RETURNING id, n`, bindings);
      } else {
        // MySQL has no RETURNING: the counts are read after the adds (another request's add in between counts too,
        // so a limit may refuse early under a race, never late).
        await sql.run(`INSERT INTO ${TABLE} ${columns} VALUES ${values} ON DUPLICATE KEY UPDATE ${onConflict}`, bindings);
        rows = merged.size === 0 ? [] : await sql.rows(`SELECT id, n FROM ${TABLE} WHERE id IN (${placeholders(merged.size)})`, [...merged.keys()]);
      }
      const counts = new Map(rows.map((r) => [String(r.id), Number(r.n)]));
      return ids.map((id) => counts.get(id) ?? 0);
    },

    async pass(key, gate): Promise<GateResult> {
      const t = now();
      const first = firstDelayMs(gate);
      const values: Record<string, string | number> = { key: counterKey(key), now: t, until1: t + first, expires1: t + Math.max(first, int(gate.forgetSeconds * 1000)) };
      const stmt = passStatement(gate);
      const bindings = stmt.names.map((name) => values[name]);
      let answer: number;
      if (mysql) answer = (await sql.result(stmt.sql, bindings)).insertId;
      else answer = Number((await sql.rows<{ r: number }>(stmt.sql, bindings))[0]?.r ?? 0);
      // 0: passed (or a fresh row); otherwise the time the gate opens.
      return answer === 0 ? { passed: true } : { passed: false, waitSeconds: Math.max(1, Math.ceil((answer - t) / 1000)) };
    },

    async peek(probes: readonly Probe[]) {
      if (probes.length === 0) return [];
      const t = now();
      const ids = probes.map((p) => ('window' in p ? bucketKey(p.key, p.window, p.at ?? t) : counterKey(p.key)));
      const unique = [...new Set(ids)];
      const rows = await sql.rows<{ id: string; n: number | string; until: number | string }>(`SELECT id, n, until FROM ${TABLE} WHERE id IN (${placeholders(unique.length)})`, unique);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return probes.map((p, i) => {
        const row = byId.get(ids[i] as string);
        if (!row) return 0;
        if ('window' in p) return Number(row.n);
        const ms = Number(row.until) - t;
        return ms > 0 ? Math.ceil(ms / 1000) : 0;
      });
    },

    async refund(key, gate) {
      await sql.run(refundSql(gate), [counterKey(key)]);
    },

    async reset(key) {
      await sql.run(`DELETE FROM ${TABLE} WHERE id = ?`, [counterKey(key)]);
    },

    windowLeft(window) {
      const t = now();
      return Math.max(1, Math.ceil((bucketEnd(window, t) - t) / 1000));
    },

    purgeExpired() {
      return db(TABLE).where('expires_at', '<', now()).delete();
    },
  };
}
