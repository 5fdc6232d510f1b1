// Encryption of secrets at rest (AES-256-GCM) and purpose-bound HMAC keys, all from SECRET_KEY and tagged with a key id so
// PREVIOUS_SECRET_KEYS can keep old values readable and old HMACs verifiable while the keys rotate.
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

interface RootKey {
  /** Public, stable id of a root key: what sealed values carry so the right key opens them. */
  id: string;
  root: string;
  key: Buffer;
}

const PREFIX = 'enc1';

function derive(root: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', root, 'codeword', purpose, 32));
}

function rootKey(root: string): RootKey {
  const key = derive(root, 'secrets-at-rest');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), root, key };
}

/** A sealed value whose key is neither SECRET_KEY nor one of PREVIOUS_SECRET_KEYS; the message names what it was. */
export class UnknownSecretKeyError extends Error {
  readonly keyId: string;
  constructor(keyId: string, what?: string) {
    super(
      `cannot decrypt ${what ?? 'a stored secret'}: no key for key id ${keyId} (was SECRET_KEY changed without PREVIOUS_SECRET_KEYS?). ` +
        'Add the former SECRET_KEY to PREVIOUS_SECRET_KEYS and run `npm run cli -- keys:reencrypt`, or enter the secret again.',
    );
    this.name = 'UnknownSecretKeyError';
    this.keyId = keyId;
  }
}

export interface SecretBox {
  encrypt(plaintext: string): string;
  /** Opens a sealed value; `what` names it in the error when its key is unknown (e.g. `client abc's secret`). */
  decrypt(sealed: string, what?: string): string;
  /** A purpose-bound key for HMACs (one-time codes, CSRF tokens) under the current SECRET_KEY. */
  hmacKey(purpose: string): Buffer;
  /** The HMAC under the current key: what is written. */
  hmac(purpose: string, data: string): string;
  /** The HMAC under every known key, current first: what a lookup of a value hashed before a rotation searches for. */
  hmacs(purpose: string, data: string): string[];
  /** Whether `given` is the HMAC of `data` under any known key (constant time per key). */
  verifyHmac(purpose: string, data: string, given: unknown): boolean;
  /** Whether a sealed value was written under an old key and should be re-encrypted. */
  isStale(sealed: string): boolean;
  /** The key id a sealed value names, or undefined when it is not a sealed value. */
  keyIdOf(sealed: string): string | undefined;
  /** Id of the current SECRET_KEY; sealed values start with `enc1.<id>.`. */
  readonly currentKeyId: string;
  /** Ids of every key that can still open values, current first. */
  readonly keyIds: readonly string[];
}

function equalStrings(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

export function createSecretBox(secretKey: string, previousKeys: string[] = []): SecretBox {
  const current = rootKey(secretKey);
  const ring = new Map<string, RootKey>([[current.id, current]]);
  for (const old of previousKeys) {
    const k = rootKey(old);
    if (!ring.has(k.id)) ring.set(k.id, k);
  }
  const roots = [...ring.values()];
  const hmacKeys = new Map<string, Buffer>();
  const keyOf = (root: RootKey, purpose: string): Buffer => {
    const name = `${root.id}:${purpose}`;
    let k = hmacKeys.get(name);
    if (!k) {
      k = derive(root.root, `hmac:${purpose}`);
      hmacKeys.set(name, k);
    }
    return k;
  };
  const mac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest('base64url');
  const hmacs = (purpose: string, data: string) => roots.map((r) => mac(keyOf(r, purpose), data));

  return {
    currentKeyId: current.id,
    keyIds: roots.map((r) => r.id),
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(current.id));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [PREFIX, current.id, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    decrypt(sealed, what) {
      const [prefix, id, iv, ct, tag] = sealed.split('.');
      if (prefix !== PREFIX || !id || iv === undefined || ct === undefined || !tag) throw new Error(`${what ?? 'value'} is not an encrypted value`);
      const root = ring.get(id);
      if (!root) throw new UnknownSecretKeyError(id, what);
      const decipher = createDecipheriv('aes-256-gcm', root.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(id));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    },
    hmacKey: (purpose) => keyOf(current, purpose),
    hmac: (purpose, data) => mac(keyOf(current, purpose), data),
    hmacs,
    verifyHmac(purpose, data, given) {
      const candidate = typeof given === 'string' ? given : '';
      // Every key is tried (no early exit), so the time taken does not say which key matched.
      return hmacs(purpose, data).reduce((ok, expected) => equalStrings(expected, candidate) || ok, false);
    },
    isStale(sealed) {
      return sealed.split('.')[1] !== current.id;
    },
    keyIdOf(sealed) {
      const [prefix, id] = sealed.split('.');
      return prefix === PREFIX && id ? id : undefined;
    },
  };
}

/**
 * The same box, but HMACs of the given purposes use fixed keys (stored in the keystore) that never rotate: for values
 * that must not change when SECRET_KEY does, such as the decoy digits shown for unknown accounts.
 */
export function withStableHmacKeys(box: SecretBox, keys: Record<string, string>): SecretBox {
  const fixed = new Map(Object.entries(keys).map(([purpose, k]) => [purpose, Buffer.from(k, 'base64url')]));
  const mac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest('base64url');
  return {
    ...box,
    hmacKey: (purpose) => fixed.get(purpose) ?? box.hmacKey(purpose),
    hmac(purpose, data) {
      const k = fixed.get(purpose);
      return k ? mac(k, data) : box.hmac(purpose, data);
    },
    hmacs(purpose, data) {
      const k = fixed.get(purpose);
      return k ? [mac(k, data)] : box.hmacs(purpose, data);
    },
    verifyHmac(purpose, data, given) {
      const k = fixed.get(purpose);
      return k ? equalStrings(mac(k, data), typeof given === 'string' ? given : '') : box.verifyHmac(purpose, data, given);
    },
  };
}

/** Shows only the last few characters of a secret, for APIs, pages and logs. */
export function mask(secret: string | null | undefined, visible = 4): string {
  if (!secret) return '';
  if (secret.length <= visible * 2) return '•'.repeat(8);
  return `${'•'.repeat(8)}${secret.slice(-visible)}`;
}
