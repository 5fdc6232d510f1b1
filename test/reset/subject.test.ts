// The decoy that stands in for someone who gets no SMS: stable made-up digits and a key that fits where a phone number goes.
import { expect } from 'chai';
import { codeTargetSchema } from '../../src/codes/index.ts';
import { decoySubject } from '../../src/flows/reset/subject.ts';
import { maskTail } from '../../src/phone.ts';
import { createSecretBox } from '../../src/security/secrets.ts';

describe('password reset subjects', () => {
  const box = createSecretBox('subject-test-secret-key-that-is-long-enough-0123');

  it('masks all but the last four digits', () => {
    expect(maskTail('+61491570156')).to.equal('••• ••• 0156');
    expect(maskTail('42')).to.equal('••• ••• 0042');
  });

  it('derives the same decoy from the same seed, and different ones otherwise', () => {
    const a = decoySubject(box, 'login:ghost');
    expect(decoySubject(box, 'login:ghost')).to.deep.equal(a);
    expect(a.userId).to.equal(null);
    expect(a.masked).to.match(/^••• ••• \d{4}$/);
    const others = new Set(Array.from({ length: 50 }, (_, i) => decoySubject(box, `login:user${i}`).phone));
    expect(others.size).to.equal(50);
    expect(decoySubject(createSecretBox('another-secret-key-that-is-long-enough-0123456'), 'login:ghost').phone, 'keyed by the secret').to.not.equal(a.phone);
  });

  it('gives a key the code engine and the send limits accept as a phone', () => {
    const { phone } = decoySubject(box, 'user:00000000-0000-0000-0000-000000000001');
    expect(phone.length).to.be.at.most(32);
    expect(codeTargetSchema.safeParse({ purpose: 'reset_password', flowId: 'f', phone }).success).to.equal(true);
  });

  it('spreads the made-up digits like real ones', () => {
    const firsts = new Set(Array.from({ length: 400 }, (_, i) => decoySubject(box, `login:${i}`).masked.at(-4)));
    expect(firsts.size, 'every leading digit occurs').to.equal(10);
  });
});
