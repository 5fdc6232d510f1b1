// Signing keys (ES256, RS256) and cookie keys: generated on first start, stored encrypted, shared by all instances.
import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Knex } from 'knex';
import type { SecretBox } from '../security/secrets.ts';

export interface KeyMaterial {
  jwks: { keys: JWK[] };
  cookieKeys: string[];
}

async function signingKey(alg: 'ES256' | 'RS256'): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg, use: 'sig' };
}

/** Reads a sealed JSON value, or creates it; when two instances race, the first insert wins and both read it. */
async function loadOrCreate<T>(db: Knex, box: SecretBox, name: string, create: () => Promise<T>, now: () => number): Promise<T> {
  const existing = await db('keystore').where({ name }).first('sealed');
  if (existing) return JSON.parse(box.decrypt(existing.sealed)) as T;
  const value = await create();
  await db('keystore').insert({ name, sealed: box.encrypt(JSON.stringify(value)), created_at: now() }).onConflict('name').ignore();
  const stored = await db('keystore').where({ name }).first('sealed');
  return JSON.parse(box.decrypt(stored.sealed)) as T;
}

export async function loadKeyMaterial(db: Knex, box: SecretBox, now: () => number = Date.now): Promise<KeyMaterial> {
  const jwks = await loadOrCreate(db, box, 'oidc.jwks', async () => ({ keys: [await signingKey('RS256'), await signingKey('ES256')] }), now);
  const cookieKeys = await loadOrCreate(db, box, 'cookie.keys', async () => [randomBytes(32).toString('base64url')], now);
  return { jwks, cookieKeys };
}
