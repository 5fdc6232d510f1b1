// Reads a phone number typed by a user: national or international format, mobile-capable lines only, allowed countries only.
import { type CountryCode, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';

export type PhoneInput =
  | { ok: true; e164: string; country: string | undefined }
  | { ok: false; reason: 'invalid_number' | 'not_mobile' | 'country_not_allowed' };

export interface PhoneRules {
  defaultCountry: string | null;
  /** ISO 3166-1 alpha-2 codes; empty allows every country. */
  allowedCountries: readonly string[];
}

// US and Canadian numbers cannot be told apart from landlines, so FIXED_LINE_OR_MOBILE counts as mobile.
const TEXTABLE = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);
const MAX_INPUT = 40;

export function parsePhoneInput(raw: string, rules: PhoneRules): PhoneInput {
  const text = raw.trim();
  if (!text || text.length > MAX_INPUT || !/^[+\d\s().\-/]+$/.test(text)) return { ok: false, reason: 'invalid_number' };
  const intl = text.replace(/^00/, '+');
  const parsed = parsePhoneNumberFromString(intl, (rules.defaultCountry ?? undefined) as CountryCode | undefined);
  if (!parsed?.isValid()) return { ok: false, reason: 'invalid_number' };
  const type = parsed.getType();
  if (!type || !TEXTABLE.has(type)) return { ok: false, reason: 'not_mobile' };
  if (rules.allowedCountries.length && !(parsed.country && rules.allowedCountries.includes(parsed.country))) {
    return { ok: false, reason: 'country_not_allowed' };
  }
  return { ok: true, e164: parsed.number, country: parsed.country };
}

/** An example mobile number for the placeholder, in the default country's international format. */
export function examplePhone(defaultCountry: string | null): string {
  const example = defaultCountry ? getExampleNumber(defaultCountry as CountryCode, examples) : undefined;
  return example?.formatInternational() ?? '+1 201 555 0123';
}

/** Shows a number the way a user can recognise it without revealing it all: +61 ••• ••• 0156. */
export function maskedDisplay(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return '••• •••';
  return `+${parsed.countryCallingCode} ••• ••• ${parsed.nationalNumber.slice(-4)}`;
}
