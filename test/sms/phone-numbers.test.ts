// A number a user typed is parsed once per sign-in: what later steps read of its E.164 form (country, calling code,
// masks) is what a fresh parse of that form says, also where several countries share a calling code.
import { expect } from 'chai';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { countryOfE164, maskedDisplay, maskPhone, parsePhoneInput } from '../../src/phone.ts';

describe('phone numbers typed in international form', () => {
  // Jersey and Guernsey share +44 with the United Kingdom, Canada +1 with the United States, Kazakhstan +7 with Russia.
  const typed = ['+44 7797 900123', '+44 7781 123456', '+44 7400 123456', '+1 (416) 555-0134', '+1 201 555 0123', '+7 701 123 4567', '+7 912 345 67 89', '+61 491 570 156'];

  for (const raw of typed) {
    it(`${raw}: the same country and masks as its E.164 form parsed afresh, whatever the default country`, () => {
      const inputs = ['JE', 'GB', 'CA', 'KZ', 'AU', null].map((defaultCountry) => parsePhoneInput(raw, { defaultCountry, allowedCountries: [] }));
      const input = inputs[0]!;
      expect(input.ok, raw).to.equal(true);
      const e164 = (input as { e164: string }).e164;
      const fresh = parsePhoneNumberFromString(e164)!;
      expect(countryOfE164(e164), raw).to.equal(fresh.country);
      for (const other of inputs) expect(other, raw).to.deep.equal({ ok: true, e164, country: fresh.country });
      expect(maskedDisplay(e164)).to.equal(`+${fresh.countryCallingCode} ••• ••• ${fresh.nationalNumber.slice(-4)}`);
      expect(maskPhone(e164).startsWith(`+${fresh.countryCallingCode}`)).to.equal(true);
    });
  }
});
