// Why a message was not delivered, as a small set of reasons (i18n keys `sms.reason.*`) that screens can explain.

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

interface Mapping {
  reason: Reason;
  kind: FailureKind;
}

const permanent = (reason: Reason): Mapping => ({ reason, kind: 'permanent' });

/** Twilio error codes (API errors and delivery failures reported by status callbacks). */
const TWILIO: Record<number, Mapping> = {
  20003: permanent('configuration'), // authentication failed
  20404: permanent('configuration'), // resource (account, service) not found
  20429: { reason: 'rate_limited', kind: 'retry' },
  21211: permanent('invalid_number'),
  21212: permanent('configuration'), // invalid From
  21408: permanent('region_not_enabled'),
  21602: permanent('configuration'), // body required
  21603: permanent('configuration'), // From or MessagingServiceSid required
  21604: permanent('invalid_number'), // To required
  21606: permanent('configuration'), // From not a valid SMS-capable number of this account
  21608: permanent('region_not_enabled'), // trial account, unverified recipient
  21610: permanent('opted_out'),
  21611: { reason: 'rate_limited', kind: 'retry' }, // sender queue full
  21612: permanent('unreachable'),
  21614: permanent('not_mobile'),
  21617: permanent('message_too_long'),
  21659: permanent('configuration'), // From is not a Twilio number
  21701: permanent('configuration'), // Messaging Service not found
  21703: permanent('configuration'), // Messaging Service has no senders
  30001: { reason: 'rate_limited', kind: 'retry' }, // queue overflow
  30002: permanent('configuration'), // account suspended
  30003: permanent('unreachable'),
  30004: permanent('blocked'),
  30005: permanent('unknown_destination'),
  30006: permanent('unknown_destination'), // landline or unreachable carrier
  30007: permanent('blocked'), // carrier filtering
  30008: permanent('carrier_error'),
  30034: permanent('configuration'), // sender not registered (A2P 10DLC)
};

/**
 * Maps a Twilio error (code and HTTP status) to a reason. Unknown codes fall back on the HTTP status:
 * 429 and 5xx are transient, other 4xx are final.
 */
export function twilioReason(code: number | undefined, status: number | undefined): Mapping {
  const known = code === undefined ? undefined : TWILIO[code];
  if (known) return known;
  if (status === 429) return { reason: 'rate_limited', kind: 'retry' };
  if (status === undefined || status >= 500) return { reason: 'provider_unavailable', kind: 'in_doubt' };
  if (status === 401 || status === 403) return permanent('configuration');
  return permanent('unknown');
}

/** Same idea for a generic HTTP gateway, which only has a status code. */
export function httpReason(status: number): Mapping {
  if (status === 429) return { reason: 'rate_limited', kind: 'retry' };
  if (status >= 500) return { reason: 'provider_unavailable', kind: 'in_doubt' };
  if (status === 401 || status === 403 || status === 404) return permanent('configuration');
  return permanent('unknown');
}

/** The i18n key of a reason. */
export const reasonKey = (reason: string): string => `sms.reason.${reason}`;
