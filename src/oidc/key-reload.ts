// Every instance re-reads key material from the database periodically and applies it in place: the provider's key
// set (signing key and published JWKS) and the cookie keys of the provider and the app, so staged rotations take effect.
import type Koa from 'koa';
import type { Knex } from 'knex';
import type Provider from 'oidc-provider';
import type { SecretBox } from '../security/secrets.ts';
import { type KeyMaterial, loadKeyMaterial } from './keys.ts';

// oidc-provider has no public way to change its keys after construction; this internal validates a JWKS and replaces
// the provider's signing key store and published set (`this` is the Provider). Covered by test/keys/signing.test.ts.
const INTERNAL = 'oidc-provider/lib/helpers/initialize_keystore.js';
const { default: initializeKeystore } = (await import(INTERNAL)) as { default: (this: object, jwks: { keys: object[] }) => void };

export interface KeyReloadDeps {
  db: Knex;
  box: SecretBox;
  provider: Provider;
  /** Koa apps whose `keys` sign cookies (the outer app; the provider is handled too). */
  apps: Koa[];
  now: () => number;
  /** What is in use now (from start-up), so an unchanged set is not re-applied. */
  initial?: KeyMaterial;
}

const fingerprint = (m: KeyMaterial) => JSON.stringify([m.jwks.keys.map((k) => [k.kid, k.key_ops ?? null]), m.cookieKeys]);

export function createKeyReloader({ db, box, provider, apps, now, initial }: KeyReloadDeps) {
  let applied = initial ? fingerprint(initial) : '';
  const apply = (m: KeyMaterial) => {
    initializeKeystore.call(provider, structuredClone(m.jwks));
    for (const app of [provider as unknown as Koa, ...apps]) app.keys = [...m.cookieKeys];
    applied = fingerprint(m);
  };
  return {
    apply,
    /** Loads the stored keys as of now and applies them if anything changed; returns whether it did. */
    async reload(): Promise<boolean> {
      const m = await loadKeyMaterial(db, box, now);
      if (fingerprint(m) === applied) return false;
      apply(m);
      return true;
    },
  };
}

export type KeyReloader = ReturnType<typeof createKeyReloader>;
