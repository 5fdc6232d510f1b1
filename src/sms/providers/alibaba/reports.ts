// Alibaba's HTTP batch push of delivery reports (SmsReport): a JSON array, one item per message, matched by out_id/biz_id.
import type { BatchReportItem } from '../types.ts';

const MAX_ITEMS = 500;

/** `success` may arrive as a boolean or as text; `out_id` is our message id, `biz_id` Alibaba's. */
export function readSmsReport(body: unknown): { ok: false; why: string } | { ok: true; items: BatchReportItem[] } {
  if (!Array.isArray(body)) return { ok: false, why: 'SmsReport must be a JSON array' };
  if (body.length > MAX_ITEMS) return { ok: false, why: `at most ${MAX_ITEMS} reports per push` };
  const items: BatchReportItem[] = [];
  for (const raw of body) {
    if (!raw || typeof raw !== 'object') continue;
    const r = raw as Record<string, unknown>;
    const success = r.success === true || r.success === 'true';
    const str = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 64 ? v : undefined);
    const messageId = str(r.out_id);
    const providerMessageId = str(r.biz_id);
    if (!messageId && !providerMessageId) continue;
    const errorCode = success ? undefined : (str(r.err_code) ?? 'undelivered');
    items.push({ messageId, providerMessageId, status: success ? 'delivered' : 'undelivered', errorCode });
  }
  return { ok: true, items };
}
