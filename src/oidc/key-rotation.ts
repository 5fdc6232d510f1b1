// Staged rotation of signing and cookie keys: add a key that is published (or verifies) at once and signs only after a
// delay long enough for every instance to have reloaded; schedule the keys it replaces for removal once their tokens expire.
import { createHash } from 'node:crypto';
import type { JWK } from 'jose';
import type { Knex } from 'knex';
import type { SecretBox } from '../security/secrets.ts';
import {
  COOKIE_ENTRY,
  cookieSchedule,
  JWKS_ENTRY,
  type KeySchedule,
  loadStoredKeys,
  newCookieKey,
  orderedCookieKeys,
  publishedJwks,
  SIGNING_ALGS,
  scheduleOf,
  signingKey,
} from './keys.ts';

export interface RotationTiming {
  /** How long after adding the new key it starts signing; longer than instances take to reload (MAINTENANCE_INTERVAL_MS). */
  delayMs: number;
  /** How long the replaced keys keep verifying after the new one signs; at least the longest lifetime of what they signed. */
  retainMs: number;
}

/** Signing keys: ID tokens live an hour, but id_token_hint at logout may be older. */
export const SIGNING_DEFAULTS: RotationTiming = { delayMs: 3600_000, retainMs: 2 * 86_400_000 };
/** Cookie keys: provider sessions last 14 days. */
export const COOKIE_DEFAULTS: RotationTiming = { delayMs: 3600_000, retainMs: 15 * 86_400_000 };

export interface KeyStatus {
  kind: 'signing' | 'cookie';
  /** kid of a signing key; for cookie keys a short public label (never the key). */
  id: string;
  alg?: string;
  state: 'pending' | 'signing' | 'verifying' | 'removed';
  signsFrom: number;
  removeAt?: number;
}

/** Reads one sealed entry, lets `change` edit it, and writes it only if nobody else wrote it meanwhile. */
async function update<T>(db: Knex, box: SecretBox, name: string, change: (value: T) => Promise<T>): Promise<T> {
  for (let tries = 0; tries < 3; tries++) {
    const row = await db('keystore').where({ name }).first('sealed');
    if (!row) throw new Error(`keystore entry "${name}" does not exist yet: start Codeword once first`);
    const next = await change(JSON.parse(box.decrypt(row.sealed, `keystore entry "${name}"`)) as T);
    const n = await db('keystore').where({ name, sealed: row.sealed }).update({ sealed: box.encrypt(JSON.stringify(next)) });
    if (n === 1) return next;
  }
  throw new Error(`keystore entry "${name}" kept changing during the rotation; try again`);
}

const expired = (s: KeySchedule, at: number) => s.removeAt !== undefined && s.removeAt <= at;

/** Adds a new RS256 and ES256 key signing from now + delay; the current ones are removed `retainMs` after that. */
export async function rotateSigningKeys(db: Knex, box: SecretBox, now: number, timing: RotationTiming = SIGNING_DEFAULTS): Promise<KeyStatus[]> {
  const signsFrom = now + timing.delayMs;
  const fresh = await Promise.all(SIGNING_ALGS.map(signingKey));
  await update<{ keys: JWK[]; schedule?: Record<string, KeySchedule> }>(
    db,
    box,
    JWKS_ENTRY,
    async (stored) => {
      const schedule: Record<string, KeySchedule> = {};
      const keys = stored.keys.filter((k) => !expired(scheduleOf(stored, k.kid), now));
      for (const k of keys) {
        const s = scheduleOf(stored, k.kid);
        schedule[k.kid as string] = { ...s, removeAt: s.removeAt ?? signsFrom + timing.retainMs };
      }
      for (const k of fresh) schedule[k.kid as string] = { addedAt: now, signsFrom };
      return { keys: [...keys, ...fresh], schedule };
    },
  );
  return (await keyStatus(db, box, now)).filter((k) => k.kind === 'signing');
}

/** Adds a cookie key that verifies at once and signs from now + delay; the current ones are removed `retainMs` after. */
export async function rotateCookieKeys(db: Knex, box: SecretBox, now: number, timing: RotationTiming = COOKIE_DEFAULTS): Promise<KeyStatus[]> {
  const signsFrom = now + timing.delayMs;
  await update<string[] | { keys: (KeySchedule & { key: string })[] }>(
    db,
    box,
    COOKIE_ENTRY,
    async (stored) => {
      const keys = cookieSchedule(stored)
        .filter((k) => !expired(k, now))
        .map((k) => ({ ...k, removeAt: k.removeAt ?? signsFrom + timing.retainMs }));
      return { keys: [...keys, { key: newCookieKey(), addedAt: now, signsFrom }] };
    },
  );
  return (await keyStatus(db, box, now)).filter((k) => k.kind === 'cookie');
}

const stateAt = (s: KeySchedule, signer: boolean, at: number): KeyStatus['state'] =>
  expired(s, at) ? 'removed' : signer ? 'signing' : s.signsFrom > at ? 'pending' : 'verifying';

/** Every stored key with its stage at `now` (for the command line and the admin API). */
export async function keyStatus(db: Knex, box: SecretBox, now: number): Promise<KeyStatus[]> {
  const stored = await loadStoredKeys(db, box, () => now);
  const signingKids = new Set(publishedJwks(stored.jwks, now).keys.filter((k) => !k.key_ops).map((k) => k.kid));
  const cookieSigner = orderedCookieKeys(stored.cookies, now)[0];
  return [
    ...stored.jwks.keys.map((k) => {
      const s = scheduleOf(stored.jwks, k.kid);
      return { kind: 'signing' as const, id: k.kid as string, alg: k.alg, state: stateAt(s, signingKids.has(k.kid), now), signsFrom: s.signsFrom, removeAt: s.removeAt };
    }),
    ...stored.cookies.map((k) => ({
      kind: 'cookie' as const,
      id: createHash('sha256').update(k.key).digest('hex').slice(0, 8),
      state: stateAt(k, k.key === cookieSigner, now),
      signsFrom: k.signsFrom,
      removeAt: k.removeAt,
    })),
  ];
}
