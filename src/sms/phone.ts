// Phone numbers for SMS: E.164 parsing with full metadata, masking for logs, and domestic/international region.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { AppError } from '../errors.ts';
import type { Region } from './types.ts';

/** Returns the number in E.164 form, or throws a 400 naming the field. */
export function toE164(input: unknown, field = 'to'): string {
  const raw = typeof input === 'string' ? input.trim() : '';
  const parsed = raw.startsWith('+') ? parsePhoneNumberFromString(raw) : undefined;
  if (!parsed?.isValid()) {
    throw new AppError('sms_invalid_phone', 400, { message: `${field}: must be a valid phone number in E.164 form, e.g. +14155552671`, params: { field } });
  }
  return parsed.number;
}

/** Keeps the country code and the last two digits: +33•••••••78. */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  const cc = parsed ? `+${parsed.countryCallingCode}` : e164.slice(0, 2);
  const rest = e164.slice(cc.length);
  if (rest.length <= 2) return `${cc}••`;
  return `${cc}${'•'.repeat(rest.length - 2)}${rest.slice(-2)}`;
}

/** `domestic` when the number belongs to the home country, else `international`; undefined without a home country. */
export function regionOf(e164: string, homeCountry: string | undefined): Region | undefined {
  if (!homeCountry) return undefined;
  const country = parsePhoneNumberFromString(e164)?.country;
  return country === homeCountry.toUpperCase() ? 'domestic' : 'international';
}

export type SenderKind = 'phone' | 'short_code' | 'alphanumeric';

/** Classifies a Twilio/gateway `From`: E.164 number, short code (3–8 digits) or alphanumeric sender ID (≤ 11, one letter). */
export function senderKind(from: string): SenderKind | undefined {
  if (from.startsWith('+')) return parsePhoneNumberFromString(from)?.isValid() ? 'phone' : undefined;
  if (/^\d{3,8}$/.test(from)) return 'short_code';
  if (/^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/.test(from)) return 'alphanumeric';
  return undefined;
}
