// Phone numbers, one module: parsing (full metadata), the SMS-capable rule, and the three ways a number is masked.
import { type CountryCode, getExampleNumber, isSupportedCountry, type PhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { AppError } from './errors.ts';
import { memo } from './memo.ts';

/**
 * Number types that can receive SMS. US and Canadian numbers cannot be told apart from landlines and are typed
 * FIXED_LINE_OR_MOBILE, so that type is accepted; FIXED_LINE, VOIP, TOLL_FREE, PERSONAL_NUMBER, … are not.
 */
export const SMS_CAPABLE_TYPES: ReadonlySet<string> = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/** Numbers kept parsed (E.164 forms, and numbers as written): the numbers of the sign-ins under way. */
const KEPT_NUMBERS = 10_000;
const parsedE164 = memo<PhoneNumber | undefined>(KEPT_NUMBERS);
/**
 * An E.164 number (as stored, `+61491570156`) parsed with the full metadata, remembered: one sign-in reads the same
 * number's country, calling code and mask several times, and a parse with the full metadata is not cheap. Treat the
 * result as read-only.
 */
export const parseE164 = (e164: string): PhoneNumber | undefined => parsedE164(e164, () => parsePhoneNumberFromString(e164));

/** The country of an E.164 number (`AU` for +61…), or undefined. */
export const countryOfE164 = (e164: string): string | undefined => parseE164(e164)?.country;

const countryOf = (c: string | null | undefined): CountryCode | undefined =>
  c && isSupportedCountry(c.toUpperCase()) ? (c.toUpperCase() as CountryCode) : undefined;

interface Checked {
  /** The number, when valid. */
  valid: PhoneNumber | undefined;
  /** Whether it can receive SMS (its line type). */
  smsCapable: boolean;
}
const checked = memo<Checked>(KEPT_NUMBERS);

/**
 * A number as written (international form, or national with a default country) checked against the full metadata,
 * remembered like parseE164: a sign-in checks the same number and sender several times, and validity and line type
 * are the costly part of a parse.
 */
function check(raw: string, defaultCountry?: string | null): Checked {
  const country = countryOf(defaultCountry);
  return checked(`${country ?? ''} ${raw}`, () => {
    const parsed = parsePhoneNumberFromString(raw.trim(), country);
    const valid = parsed?.isValid() ? parsed : undefined;
    const type = valid?.getType();
    // A number written in international form parses as its E.164 form does (the default country plays no part): the
    // later reads of its country, calling code and mask need no parse of their own.
    if (valid && raw.trim().startsWith('+')) parsedE164(valid.number, () => valid);
    return { valid, smsCapable: type !== undefined && SMS_CAPABLE_TYPES.has(type) };
  });
}

/** The E.164 form of a valid number written with `+`, else undefined (any line type: for stored and API values). */
export function e164OrUndefined(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.trim().startsWith('+')) return undefined;
  return check(value).valid?.number;
}

/** Returns the number in E.164 form, or throws a 400 naming the field. */
export function toE164(input: unknown, field = 'to'): string {
  const number = e164OrUndefined(input);
  if (!number) throw new AppError('sms_invalid_phone', 400, { message: `${field}: must be a valid phone number in E.164 form, e.g. +14155552671`, params: { field } });
  return number;
}

/** E.164 form of a valid SMS-capable number, or null. National formats need `defaultCountry`. */
export function normaliseMobileNumber(value: unknown, defaultCountry?: string | null): string | null {
  if (typeof value !== 'string' || !value.trim()) return null;
  const { valid, smsCapable } = check(value, defaultCountry);
  return valid && smsCapable ? valid.number : null;
}

export type PhoneInput =
  | { ok: true; e164: string; country: string | undefined }
  | { ok: false; reason: 'invalid_number' | 'not_mobile' | 'country_not_allowed' };

export interface PhoneRules {
  defaultCountry: string | null;
  /** ISO 3166-1 alpha-2 codes; empty allows every country. */
  allowedCountries: readonly string[];
}

const MAX_INPUT = 40;

/** A number typed by a user: national or international format (00 for +), mobile-capable lines and allowed countries only. */
export function parsePhoneInput(raw: string, rules: PhoneRules): PhoneInput {
  const text = raw.trim();
  if (!text || text.length > MAX_INPUT || !/^[+\d\s().\-/]+$/.test(text)) return { ok: false, reason: 'invalid_number' };
  const { valid: parsed, smsCapable } = check(text.replace(/^00/, '+'), rules.defaultCountry);
  if (!parsed) return { ok: false, reason: 'invalid_number' };
  if (!smsCapable) return { ok: false, reason: 'not_mobile' };
  if (rules.allowedCountries.length && !(parsed.country && rules.allowedCountries.includes(parsed.country))) return { ok: false, reason: 'country_not_allowed' };
  return { ok: true, e164: parsed.number, country: parsed.country };
}

/** Example numbers as shown, one per country. */
const examplesShown = memo<string>(1_000);

/** An example mobile number for the placeholder, in the default country's international format. */
export function examplePhone(defaultCountry: string | null): string {
  const country = countryOf(defaultCountry);
  const shown = country && examplesShown(country, () => getExampleNumber(country, examples)?.formatInternational() ?? '');
  return shown || '+1 201 555 0123';
}

/** For logs and the message log: the country code and the last two digits, `+33•••••••78`. */
export function maskPhone(e164: string): string {
  const parsed = parseE164(e164);
  const cc = parsed ? `+${parsed.countryCallingCode}` : e164.slice(0, 2);
  const rest = e164.slice(cc.length);
  if (rest.length <= 2) return `${cc}••`;
  return `${cc}${'•'.repeat(rest.length - 2)}${rest.slice(-2)}`;
}

/** For the code screens, where the user recognises their own number: `+61 ••• ••• 0156`. */
export function maskedDisplay(e164: string): string {
  const parsed = parseE164(e164);
  if (!parsed) return '••• •••';
  return `+${parsed.countryCallingCode} ••• ••• ${parsed.nationalNumber.slice(-4)}`;
}

/** Before possession is proven (the reset choice): the last four digits only, `••• ••• 1234`. */
export const maskTail = (digits: string): string => `••• ••• ${digits.replace(/\D/g, '').slice(-4).padStart(4, '0')}`;

/** `domestic` when the number belongs to the home country, else `international`; undefined without a home country. */
export function regionOf(e164: string, homeCountry: string | null | undefined): 'domestic' | 'international' | undefined {
  if (!homeCountry) return undefined;
  const country = countryOfE164(e164);
  return country === homeCountry.toUpperCase() ? 'domestic' : 'international';
}

export type SenderKind = 'phone' | 'short_code' | 'alphanumeric';

/** Classifies a Twilio/gateway `From`: E.164 number, short code (3–8 digits) or alphanumeric sender ID (≤ 11, one letter). */
export function senderKind(from: string): SenderKind | undefined {
  if (from.startsWith('+')) return e164OrUndefined(from) ? 'phone' : undefined;
  if (/^\d{3,8}$/.test(from)) return 'short_code';
  if (/^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/.test(from)) return 'alphanumeric';
  return undefined;
}
