// Signing keys (ES256, RS256) and cookie keys: generated on first start, stored encrypted, shared by all instances, and
// rotated in stages (a new key is published first and signs only from `signsFrom`; an old one verifies until `removeAt`).
import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Knex } from 'knex';
import type { SecretBox } from '../security/secrets.ts';

export const SIGNING_ALGS = ['RS256', 'ES256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/** When a key signs and when it leaves the key set (epoch ms); keys stored before rotation existed sign from 0. */
export interface KeySchedule {
  addedAt: number;
  signsFrom: number;
  removeAt?: number;
}

interface StoredJwks {
  keys: JWK[];
  schedule?: Record<string, KeySchedule>;
}

interface StoredCookieKey extends KeySchedule {
  key: string;
}

export interface KeyMaterial {
  /** Every published key; those not signing now carry `key_ops: ["verify"]`, so the provider never signs with them. */
  jwks: { keys: JWK[] };
  /** Signing key first (Keygrip signs with the first and verifies with all). */
  cookieKeys: string[];
  /** Fixed HMAC keys that never rotate (decoy digits), by purpose. */
  stableHmacKeys: Record<string, string>;
}

export const JWKS_ENTRY = 'oidc.jwks';
export const COOKIE_ENTRY = 'cookie.keys';
export const STABLE_HMAC_ENTRY = 'hmac.stable';
/** HMAC purposes whose values must stay the same across SECRET_KEY rotations. */
export const STABLE_HMAC_PURPOSES = ['reset-decoy'] as const;

export async function signingKey(alg: SigningAlg): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg, use: 'sig' };
}

export const newCookieKey = () => randomBytes(32).toString('base64url');

const open = <T>(box: SecretBox, name: string, sealed: string): T => JSON.parse(box.decrypt(sealed, `keystore entry "${name}"`)) as T;

/** Reads a sealed JSON value, or creates it; when two instances race, the first insert wins and both read it. */
async function loadOrCreate<T>(db: Knex, box: SecretBox, name: string, create: () => Promise<T>, now: () => number): Promise<T> {
  const existing = await db('keystore').where({ name }).first('sealed');
  if (existing) return open<T>(box, name, existing.sealed);
  const value = await create();
  await db('keystore').insert({ name, sealed: box.encrypt(JSON.stringify(value)), created_at: now() }).onConflict('name').ignore();
  const stored = await db('keystore').where({ name }).first('sealed');
  return open<T>(box, name, stored.sealed);
}

/** Stored cookie keys: a plain list (before staged rotation) or scheduled keys. */
export function cookieSchedule(stored: string[] | { keys: StoredCookieKey[] }): StoredCookieKey[] {
  return Array.isArray(stored) ? stored.map((key) => ({ key, addedAt: 0, signsFrom: 0 })) : stored.keys;
}

const live = (s: KeySchedule, at: number) => s.removeAt === undefined || s.removeAt > at;

/** Of scheduled items, the one signing at `at`: the latest whose `signsFrom` has passed (ties: the first listed). */
function signer<T extends KeySchedule>(items: T[], at: number): T | undefined {
  let best: T | undefined;
  for (const item of items) if (live(item, at) && item.signsFrom <= at && (!best || item.signsFrom > best.signsFrom)) best = item;
  return best;
}

export const scheduleOf = (jwks: StoredJwks, kid: string | undefined): KeySchedule => (kid && jwks.schedule?.[kid]) || { addedAt: 0, signsFrom: 0 };

/** What the provider is given at `at`: published keys, signing ones unmarked and first, others verify-only. */
export function publishedJwks(stored: StoredJwks, at: number): { keys: JWK[] } {
  const signing: JWK[] = [];
  const verifying: JWK[] = [];
  for (const alg of SIGNING_ALGS) {
    const ofAlg = stored.keys.map((jwk) => ({ jwk, ...scheduleOf(stored, jwk.kid) })).filter((k) => k.jwk.alg === alg && live(k, at));
    const active = signer(ofAlg, at);
    for (const k of ofAlg) {
      if (k === active) signing.push(k.jwk);
      else verifying.push({ ...k.jwk, key_ops: ['verify'] });
    }
  }
  return { keys: [...signing, ...verifying] };
}

export function orderedCookieKeys(keys: StoredCookieKey[], at: number): string[] {
  const alive = keys.filter((k) => live(k, at));
  const active = signer(alive, at);
  return [...(active ? [active] : []), ...alive.filter((k) => k !== active)].map((k) => k.key);
}

export interface StoredKeys {
  jwks: StoredJwks;
  cookies: StoredCookieKey[];
  stableHmacKeys: Record<string, string>;
}

/** Reads (creating on first start) the stored keys, as they are, schedules included. */
export async function loadStoredKeys(db: Knex, box: SecretBox, now: () => number = Date.now): Promise<StoredKeys> {
  const jwks = await loadOrCreate<StoredJwks>(db, box, JWKS_ENTRY, async () => ({ keys: await Promise.all(SIGNING_ALGS.map(signingKey)) }), now);
  const cookies = await loadOrCreate<string[] | { keys: StoredCookieKey[] }>(db, box, COOKIE_ENTRY, async () => [newCookieKey()], now);
  // Seeded from the key the decoys used so far, so they look the same after upgrading and after every rotation.
  const stableHmacKeys = await loadOrCreate<Record<string, string>>(
    db,
    box,
    STABLE_HMAC_ENTRY,
    async () => Object.fromEntries(STABLE_HMAC_PURPOSES.map((p) => [p, box.hmacKey(p).toString('base64url')])),
    now,
  );
  return { jwks, cookies: cookieSchedule(cookies), stableHmacKeys };
}

export function materialAt(stored: StoredKeys, at: number): KeyMaterial {
  return { jwks: publishedJwks(stored.jwks, at), cookieKeys: orderedCookieKeys(stored.cookies, at), stableHmacKeys: stored.stableHmacKeys };
}

export async function loadKeyMaterial(db: Knex, box: SecretBox, now: () => number = Date.now): Promise<KeyMaterial> {
  return materialAt(await loadStoredKeys(db, box, now), now());
}
