// The SMS factor's phone-field mapping: built-in or custom attribute, E.164 normalisation, mobile-capable numbers only.
import { expect } from 'chai';
import { normaliseMobileNumber, type PhoneField, phoneFieldSchema, readUserPhone } from '../../src/policies/index.ts';

const builtin: PhoneField = { source: 'phone_number' };
const mobile: PhoneField = { source: 'custom_attribute', attribute: 'mobile' };
const workPhone: PhoneField = { source: 'custom_attribute', attribute: 'work_phone' };
const user = (phoneNumber: string | null, customAttributes: Record<string, unknown> = {}) => ({ phoneNumber, customAttributes });

describe('policies: phone-field mapping', () => {
  const table: [string, ReturnType<typeof user>, PhoneField, string | null, string | null][] = [
    // label, user, mapping, default country, expected
    ['built-in E.164 (AU mobile)', user('+61491570006'), builtin, null, '+61491570006'],
    ['built-in US number (FIXED_LINE_OR_MOBILE)', user('+14155552671'), builtin, null, '+14155552671'],
    ['built-in Canadian number (FIXED_LINE_OR_MOBILE)', user('+16135550123'), builtin, null, '+16135550123'],
    ['built-in with spaces and punctuation', user(' +61 491 570 006 '), builtin, null, '+61491570006'],
    ['built-in empty', user(''), builtin, null, null],
    ['built-in missing', user(null), builtin, null, null],
    ['custom attribute', user('+14155552671', { mobile: '+33 6 12 34 56 78' }), mobile, null, '+33612345678'],
    ['custom attribute ignores the built-in field', user('+14155552671', {}), mobile, null, null],
    ['custom attribute work_phone', user(null, { work_phone: '+4915112345678' }), workPhone, null, '+4915112345678'],
    ['national format with default country FR', user(null, { mobile: '06 12 34 56 78' }), mobile, 'FR', '+33612345678'],
    ['national format with default country us (any case)', user('(415) 555-2671'), builtin, 'us', '+14155552671'],
    ['national format without default country', user(null, { mobile: '06 12 34 56 78' }), mobile, null, null],
    ['E.164 wins over the default country', user('+61491570006'), builtin, 'FR', '+61491570006'],
    ['landline only (FR fixed line)', user('+33123456789'), builtin, null, null],
    ['landline only (DE fixed line)', user('+4930123456'), builtin, null, null],
    ['toll free', user('+18005551234'), builtin, null, null],
    ['invalid number (UK drama range)', user('+447700900123'), builtin, null, null],
    ['not a number', user('call me'), builtin, null, null],
    ['custom attribute holding a number type', user(null, { mobile: 61491570006 }), mobile, null, null],
    ['custom attribute holding an object', user(null, { mobile: { value: '+61491570006' } }), mobile, null, null],
    ['inherited property is not an attribute', user(null, {}), { source: 'custom_attribute', attribute: 'constructor' }, null, null],
  ];
  for (const [label, u, field, country, expected] of table) {
    it(`${label} → ${expected ?? 'no SMS option'}`, () => {
      expect(readUserPhone(u, field, country)).to.equal(expected);
    });
  }

  it('ignores an unknown default country instead of throwing', () => {
    expect(normaliseMobileNumber('0491 570 006', 'XX')).to.equal(null);
    expect(normaliseMobileNumber('0491 570 006', 'AU')).to.equal('+61491570006');
  });

  it('validates the mapping itself', () => {
    expect(phoneFieldSchema.parse({ source: 'phone_number' })).to.deep.equal(builtin);
    expect(phoneFieldSchema.parse({ source: 'custom_attribute', attribute: ' work_phone ' })).to.deep.equal(workPhone);
    for (const bad of [
      { source: 'custom_attribute' },
      { source: 'custom_attribute', attribute: '' },
      { source: 'custom_attribute', attribute: '1mobile' },
      { source: 'custom_attribute', attribute: 'mobile phone' },
      { source: 'custom_attribute', attribute: 'm'.repeat(65) },
      { source: 'email' },
      { source: 'phone_number', attribute: 'mobile' },
    ]) {
      expect(phoneFieldSchema.safeParse(bad).success, JSON.stringify(bad)).to.equal(false);
    }
  });
});
