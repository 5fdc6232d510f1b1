// Generic HTTP(S) gateway provider: a JSON body built from a template, configured headers, an idempotency key.
import type { HttpSettings } from '../accounts/schema.ts';
import { httpReason } from '../reasons.ts';
import { networkFailure, ProviderError, type SmsProvider } from './types.ts';

type Vars = Record<string, string>;

/** Replaces {{name}} placeholders in every string of the parsed JSON template, so values are always escaped correctly. */
export function fillTemplate(template: string, vars: Vars): unknown {
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (m, name: string) => vars[name] ?? m);
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(JSON.parse(template));
}

function pick(body: unknown, path: string): string | null {
  let cur: unknown = body;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[part];
  }
  return typeof cur === 'string' || typeof cur === 'number' ? String(cur) : null;
}

export function createHttpProvider(settings: HttpSettings, opts: { timeoutMs: number; fetch: typeof fetch }): SmsProvider {
  const headers = (extra: Record<string, string>): Record<string, string> => ({
    'content-type': 'application/json',
    accept: 'application/json',
    ...Object.fromEntries(settings.headers.map((h) => [h.name, h.value])),
    ...extra,
  });

  return {
    async send(msg) {
      const payload = fillTemplate(settings.bodyTemplate, { to: msg.to, body: msg.body, from: settings.from ?? '', message_id: msg.messageId });
      let res: Response;
      try {
        res = await opts.fetch(settings.url, {
          method: settings.method,
          headers: headers({ 'idempotency-key': msg.messageId }),
          body: JSON.stringify(payload),
          redirect: 'error',
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
      } catch (err) {
        throw networkFailure(err);
      }
      const text = await res.text().catch(() => '');
      if (!res.ok) {
        const { reason, kind } = httpReason(res.status);
        throw new ProviderError(kind, reason, `http_${res.status}`, `gateway answered ${res.status}`);
      }
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      return { providerMessageId: pick(body, settings.messageIdPath), status: 'accepted' };
    },

    /** A gateway has no standard account check: it is reachable and does not refuse our headers. */
    async verify() {
      try {
        const res = await opts.fetch(settings.url, { method: 'HEAD', headers: headers({}), redirect: 'manual', signal: AbortSignal.timeout(opts.timeoutMs) });
        if (res.status === 401 || res.status === 403) return { ok: false, reason: `gateway refused the configured headers (${res.status})` };
        if (res.status >= 500) return { ok: false, reason: `gateway answered ${res.status}` };
        return { ok: true, reason: `gateway reachable (${res.status})` };
      } catch (err) {
        return { ok: false, reason: `gateway unreachable: ${networkFailure(err).message}` };
      }
    },
  };
}
