// Secrets at rest: AES-256-GCM with key ids, tamper detection, rotation through PREVIOUS_SECRET_KEYS, masking.
import { expect } from 'chai';
import { createSecretBox, mask } from '../../src/security/secrets.ts';

describe('secret encryption', () => {
  const current = 'current-secret-key-0123456789-abcdefghij';
  const old = 'old-secret-key-0123456789-abcdefghijklmno';

  it('round-trips and never contains the plaintext', () => {
    const box = createSecretBox(current);
    const sealed = box.encrypt('twilio-auth-token-123');
    expect(sealed).not.to.contain('twilio-auth-token-123');
    expect(box.decrypt(sealed)).to.equal('twilio-auth-token-123');
    expect(box.encrypt('same')).not.to.equal(box.encrypt('same'));
  });

  it('detects tampering', () => {
    const box = createSecretBox(current);
    const parts = box.encrypt('value').split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    parts[3] = ct.toString('base64url');
    expect(() => box.decrypt(parts.join('.'))).to.throw();
  });

  it('decrypts values sealed under a previous key and marks them stale', () => {
    const sealedOld = createSecretBox(old).encrypt('kept across rotation');
    expect(() => createSecretBox(current).decrypt(sealedOld)).to.throw(/no key for key id/);
    const rotated = createSecretBox(current, [old]);
    expect(rotated.decrypt(sealedOld)).to.equal('kept across rotation');
    expect(rotated.isStale(sealedOld)).to.equal(true);
    expect(rotated.isStale(rotated.encrypt('x'))).to.equal(false);
  });

  it('derives distinct HMAC keys per purpose', () => {
    const box = createSecretBox(current);
    expect(box.hmac('codes', '123456')).not.to.equal(box.hmac('csrf', '123456'));
    expect(box.hmac('codes', '123456')).to.equal(createSecretBox(current).hmac('codes', '123456'));
  });

  it('masks secrets for display', () => {
    expect(mask('abcdefghijklmnop')).to.equal('••••••••mnop');
    expect(mask('short')).to.equal('••••••••');
    expect(mask(null)).to.equal('');
  });
});
