// Encryption of secrets at rest: AES-256-GCM under keys derived from SECRET_KEY, tagged with a key id for rotation.
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

interface DerivedKey {
  id: string;
  key: Buffer;
}

const PREFIX = 'enc1';

function derive(root: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', root, 'codeword', purpose, 32));
}

function keyFor(root: string): DerivedKey {
  const key = derive(root, 'secrets-at-rest');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

export interface SecretBox {
  encrypt(plaintext: string): string;
  decrypt(sealed: string): string;
  /** A purpose-bound key for HMACs (one-time codes, CSRF tokens). */
  hmacKey(purpose: string): Buffer;
  hmac(purpose: string, data: string): string;
  /** Whether a sealed value was written under an old key and should be re-encrypted. */
  isStale(sealed: string): boolean;
}

export function createSecretBox(secretKey: string, previousKeys: string[] = []): SecretBox {
  const current = keyFor(secretKey);
  const keys = new Map<string, Buffer>([[current.id, current.key]]);
  for (const old of previousKeys) {
    const k = keyFor(old);
    if (!keys.has(k.id)) keys.set(k.id, k.key);
  }
  const hmacKeys = new Map<string, Buffer>();
  const hmacKey = (purpose: string): Buffer => {
    let k = hmacKeys.get(purpose);
    if (!k) {
      k = derive(secretKey, `hmac:${purpose}`);
      hmacKeys.set(purpose, k);
    }
    return k;
  };

  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(current.id));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [PREFIX, current.id, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    decrypt(sealed) {
      const [prefix, id, iv, ct, tag] = sealed.split('.');
      if (prefix !== PREFIX || !id || iv === undefined || ct === undefined || !tag) throw new Error('not an encrypted value');
      const key = keys.get(id);
      if (!key) throw new Error(`no key for key id ${id} (was SECRET_KEY changed without PREVIOUS_SECRET_KEYS?)`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(id));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    },
    hmacKey,
    hmac(purpose, data) {
      return createHmac('sha256', hmacKey(purpose)).update(data).digest('base64url');
    },
    isStale(sealed) {
      return sealed.split('.')[1] !== current.id;
    },
  };
}

/** Shows only the last few characters of a secret, for APIs, pages and logs. */
export function mask(secret: string | null | undefined, visible = 4): string {
  if (!secret) return '';
  if (secret.length <= visible * 2) return '•'.repeat(8);
  return `${'•'.repeat(8)}${secret.slice(-visible)}`;
}
