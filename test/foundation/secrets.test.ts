// Secrets at rest: AES-256-GCM with key ids, tamper detection, rotation through PREVIOUS_SECRET_KEYS, masking.
import { expect } from 'chai';
import { createSecretBox, mask, UnknownSecretKeyError, withStableHmacKeys } from '../../src/security/secrets.ts';

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

  it('names what cannot be decrypted when its key is not configured', () => {
    const sealedOld = createSecretBox(old).encrypt('x');
    const err = (() => {
      try {
        createSecretBox(current).decrypt(sealedOld, "client abc's secret");
      } catch (e) {
        return e;
      }
    })();
    expect(err).to.be.instanceOf(UnknownSecretKeyError);
    expect(String(err)).to.contain("cannot decrypt client abc's secret").and.contain(createSecretBox(old).currentKeyId);
  });

  it('verifies HMACs made under a previous key, and finds them among the lookup hashes', () => {
    const before = createSecretBox(old).hmac('csrf', 'interaction-1');
    const rotated = createSecretBox(current, [old]);
    expect(rotated.hmac('csrf', 'interaction-1'), 'new HMACs use the new key').not.to.equal(before);
    expect(rotated.verifyHmac('csrf', 'interaction-1', before)).to.equal(true);
    expect(rotated.verifyHmac('csrf', 'interaction-1', rotated.hmac('csrf', 'interaction-1'))).to.equal(true);
    expect(rotated.verifyHmac('csrf', 'interaction-2', before)).to.equal(false);
    expect(rotated.verifyHmac('codes', 'interaction-1', before), 'purposes stay apart').to.equal(false);
    expect(rotated.hmacs('csrf', 'interaction-1')).to.deep.equal([rotated.hmac('csrf', 'interaction-1'), before]);
    expect(createSecretBox(current).verifyHmac('csrf', 'interaction-1', before), 'once the old key is gone').to.equal(false);
    expect(rotated.keyIds).to.deep.equal([rotated.currentKeyId, createSecretBox(old).currentKeyId]);
  });

  it('keeps HMACs of stable purposes the same whatever SECRET_KEY is', () => {
    const stable = { 'reset-decoy': createSecretBox(old).hmacKey('reset-decoy').toString('base64url') };
    const a = withStableHmacKeys(createSecretBox(old), stable);
    const b = withStableHmacKeys(createSecretBox(current), stable);
    expect(b.hmac('reset-decoy', 'nobody')).to.equal(a.hmac('reset-decoy', 'nobody')).and.equal(createSecretBox(old).hmac('reset-decoy', 'nobody'));
    expect(b.hmac('csrf', 'x')).to.equal(createSecretBox(current).hmac('csrf', 'x'));
    expect(b.decrypt(b.encrypt('sealed')), 'encryption is unchanged').to.equal('sealed');
  });

  it('masks secrets for display', () => {
    expect(mask('abcdefghijklmnop')).to.equal('••••••••mnop');
    expect(mask('short')).to.equal('••••••••');
    expect(mask(null)).to.equal('');
  });
});
