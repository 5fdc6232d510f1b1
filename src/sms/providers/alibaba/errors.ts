// Alibaba Cloud SMS error codes (SendSms answers and delivery reports) as our reasons; README lists the handling.
import type { Reason } from '../../reasons.ts';
import type { ErrorMapping } from '../types.ts';

const permanent = (reason: Reason): ErrorMapping => ({ reason, kind: 'permanent' });
const credentials: ErrorMapping = { reason: 'configuration', kind: 'permanent', badCredentials: true };

const ALIBABA: Record<string, ErrorMapping> = {
  // Per-number minute/hour/day caps: a later attempt may pass.
  'isv.BUSINESS_LIMIT_CONTROL': { reason: 'rate_limited', kind: 'retry' },
  Throttling: { reason: 'rate_limited', kind: 'retry' },
  'Throttling.User': { reason: 'rate_limited', kind: 'retry' },
  'isp.SYSTEM_ERROR': { reason: 'provider_unavailable', kind: 'in_doubt' },
  'isv.MOBILE_NUMBER_ILLEGAL': permanent('invalid_number'),
  'isv.MOBILE_COUNT_OVER_LIMIT': permanent('invalid_number'),
  'isv.BLACK_KEY_CONTROL_LIMIT': permanent('blocked'),
  'isv.DAY_LIMIT_CONTROL': { reason: 'rate_limited', kind: 'retry' },
  'isv.AMOUNT_NOT_ENOUGH': permanent('configuration'),
  'isv.OUT_OF_SERVICE': permanent('configuration'),
  'isv.ACCOUNT_NOT_EXISTS': credentials,
  'isv.ACCOUNT_ABNORMAL': permanent('configuration'),
  'isv.SMS_SIGNATURE_ILLEGAL': permanent('configuration'),
  'isv.SMS_SIGN_ILLEGAL': permanent('configuration'),
  'isv.SMS_TEMPLATE_ILLEGAL': permanent('configuration'),
  'isv.TEMPLATE_MISSING_PARAMETERS': permanent('configuration'),
  'isv.INVALID_PARAMETERS': permanent('configuration'),
  'isv.PARAM_LENGTH_LIMIT': permanent('message_too_long'),
  'isv.DENY_IP_RANGE': permanent('configuration'),
  'isp.RAM_PERMISSION_DENY': permanent('configuration'),
  'Forbidden.NoPermission': permanent('configuration'),
  'InvalidAccessKeyId.NotFound': credentials,
  'InvalidAccessKeyId.Inactive': credentials,
  SignatureDoesNotMatch: credentials,
  IncompleteSignature: credentials,
  // Delivery report codes (err_code of SmsReport / ErrCode of QuerySendDetails).
  MK: permanent('carrier_error'),
  'MK:0001': permanent('unreachable'),
  'MK:0012': permanent('blocked'),
  'MN:0001': permanent('unknown_destination'),
  'MN:0017': permanent('unreachable'),
  IC: permanent('unreachable'),
  UNDELIV: permanent('unreachable'),
  EXPIRED: permanent('unreachable'),
  REJECTD: permanent('blocked'),
};

/** The codes mapped above (README's table lists each of them). */
export const ALIBABA_CODES: readonly string[] = Object.keys(ALIBABA);

/** Unknown codes fall back on the HTTP status: 429 and 5xx are transient, 401/403 refuse the credentials, other 4xx are final. */
export function alibabaError(code: string | undefined, status: number | undefined): ErrorMapping {
  const known = code === undefined ? undefined : (ALIBABA[code] ?? (code.startsWith('MK:') ? ALIBABA.MK : undefined));
  if (known) return known;
  if (status === 429) return { reason: 'rate_limited', kind: 'retry' };
  if (status === undefined || status >= 500) return { reason: 'provider_unavailable', kind: 'in_doubt' };
  if (status === 401) return credentials;
  if (status === 403) return permanent('configuration');
  return permanent('unknown');
}
