// HTTP gateway failures as our reasons: it only has a status code (401/403 mean the configured headers are refused).
import type { ErrorMapping } from '../types.ts';

export function httpError(_code: string | undefined, status: number | undefined): ErrorMapping {
  if (status === 429) return { reason: 'rate_limited', kind: 'retry' };
  if (status === undefined || status >= 500) return { reason: 'provider_unavailable', kind: 'in_doubt' };
  if (status === 401 || status === 403) return { reason: 'configuration', kind: 'permanent', badCredentials: true };
  if (status === 404) return { reason: 'configuration', kind: 'permanent' };
  return { reason: 'unknown', kind: 'permanent' };
}
