// Twilio error codes (API errors and delivery failures reported by status callbacks) as our reasons.
import type { Reason } from '../../reasons.ts';
import type { ErrorMapping } from '../types.ts';

const permanent = (reason: Reason): ErrorMapping => ({ reason, kind: 'permanent' });

const TWILIO: Record<string, ErrorMapping> = {
  20003: { reason: 'configuration', kind: 'permanent', badCredentials: true }, // authentication failed
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

/** Unknown codes fall back on the HTTP status: 429 and 5xx are transient, 401 means bad credentials, other 4xx are final. */
export function twilioError(code: string | undefined, status: number | undefined): ErrorMapping {
  const known = code === undefined ? undefined : TWILIO[code];
  if (known) return known;
  if (status === 429) return { reason: 'rate_limited', kind: 'retry' };
  if (status === undefined || status >= 500) return { reason: 'provider_unavailable', kind: 'in_doubt' };
  if (status === 401) return { reason: 'configuration', kind: 'permanent', badCredentials: true };
  if (status === 403) return permanent('configuration');
  return permanent('unknown');
}
