// Why a message was not delivered, as a small set of reasons (i18n keys `sms.reason.*`); providers map their codes to them.

export const REASONS = [
  'invalid_number',
  'not_mobile',
  'opted_out',
  'region_not_enabled',
  'unreachable',
  'blocked',
  'unknown_destination',
  'carrier_error',
  'rate_limited',
  'provider_unavailable',
  'configuration',
  'message_too_long',
  'expired',
  'unknown',
] as const;
export type Reason = (typeof REASONS)[number];

/** How a failure should be handled: never retry, retry (nothing reached the provider), or retry after checking. */
export type FailureKind = 'permanent' | 'retry' | 'in_doubt';

/** The i18n key of a reason. */
export const reasonKey = (reason: string): string => `sms.reason.${reason}`;
