// Which user field holds the number to text (built-in phone_number or a custom attribute), read as a mobile E.164 number.
import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import { normaliseMobileNumber } from '../phone.ts';

/** Custom attribute names: a letter or underscore, then letters, digits, `_`, `-` or `.` (as stored, not a path). */
const attributeName = z
  .string({ message: 'must be text' })
  .trim()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, 'must start with a letter or _, then letters, digits, _, - or . (at most 64 characters)');

export const phoneFieldSchema = z.discriminatedUnion(
  'source',
  [
    /** The built-in `phone_number` attribute (the OIDC standard claim). */
    z.object({ source: z.literal('phone_number') }).strict(),
    /** A custom attribute of the user, e.g. `mobile` or `work_phone`. */
    z.object({ source: z.literal('custom_attribute'), attribute: attributeName }).strict(),
  ],
  { message: 'source must be phone_number or custom_attribute' },
);
export type PhoneField = z.output<typeof phoneFieldSchema>;

/** An ISO 3166-1 alpha-2 country that libphonenumber knows, upper-cased; used for numbers stored in national format. */
export const defaultCountrySchema = z
  .string({ message: 'must be text' })
  .trim()
  .toUpperCase()
  .refine((c) => isSupportedCountry(c), 'must be a two-letter country code, e.g. US or FR');

/** The part of a user the mapping reads. */
export interface PhoneSource {
  phoneNumber: string | null;
  customAttributes: Record<string, unknown>;
}

/** The raw value of the mapped field, before normalisation. */
export function mappedPhoneValue(user: PhoneSource, field: PhoneField): unknown {
  if (field.source === 'phone_number') return user.phoneNumber;
  return Object.hasOwn(user.customAttributes, field.attribute) ? user.customAttributes[field.attribute] : undefined;
}

/** The user's number to text, in E.164, or null when the field is empty or not a valid mobile number. */
export function readUserPhone(user: PhoneSource, field: PhoneField, defaultCountry?: string | null): string | null {
  return normaliseMobileNumber(mappedPhoneValue(user, field), defaultCountry);
}
