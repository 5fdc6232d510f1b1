// Masks secrets in what an audit event records: passwords vanish, tokens keep their last characters. SMS account views
// arrive already masked by their provider descriptor's secret fields (sms/accounts/settings.ts), whatever the field names.
import { mask } from '../../security/secrets.ts';

/** Values never recorded, not even in part. */
const REMOVED = new Set(['password', 'passwordHash', 'password_hash', 'code']);
/** Values recorded masked (last four characters). */
const MASKED = new Set(['client_secret', 'clientSecret', 'token', 'accessToken', 'secretKey']);

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  const obj = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(obj)) {
    if (REMOVED.has(key) && v != null) out[key] = '[redacted]';
    else if (MASKED.has(key) && typeof v === 'string') out[key] = mask(v);
    else out[key] = redact(v);
  }
  return out;
}
