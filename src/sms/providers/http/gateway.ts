// Generic HTTP(S) gateway: a JSON body built from a template, configured headers, an idempotency key.
import type { Egress } from '../egress.ts';
import { networkFailure, ProviderError, type SmsProvider } from '../types.ts';
import { httpError } from './errors.ts';
import { request } from './request.ts';
import type { HttpSettings } from './settings.ts';

type Vars = Record<string, string>;

/** Replaces {{name}} placeholders in every string of the parsed JSON template, so values are always escaped correctly. */
export function fillTemplate(template: string, vars: Vars): unknown {
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (m, name: string) => (Object.hasOwn(vars, name) ? vars[name]! : m));
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(JSON.parse(template));
}

/** Only a value shaped like a message id is kept: nothing else of the gateway's answer reaches the message log. */
const MESSAGE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

function pick(body: unknown, path: string): string | null {
  let cur: unknown = body;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, part)) return null;
    cur = (cur as Record<string, unknown>)[part];
  }
  const value = typeof cur === 'string' || typeof cur === 'number' ? String(cur) : null;
  return value !== null && MESSAGE_ID.test(value) ? value : null;
}

export function createHttpGateway(settings: HttpSettings, opts: { timeoutMs: number; egress: Egress }): SmsProvider {
  const headers = (extra: Record<string, string>): Record<string, string> => ({
    'content-type': 'application/json',
    accept: 'application/json',
    ...Object.fromEntries(settings.headers.map((h) => [h.name, h.value])),
    ...extra,
  });

  return {
    async send(msg) {
      const vars: Vars = { ...msg.variables, to: msg.to, body: msg.body, from: settings.from ?? '', message_id: msg.messageId, purpose: msg.purpose, language: msg.language };
      const payload = fillTemplate(settings.bodyTemplate, vars);
      let res: { status: number; text: string };
      try {
        res = await request(opts.egress, settings.url, {
          method: settings.method,
          headers: headers({ 'idempotency-key': msg.messageId }),
          body: JSON.stringify(payload),
          timeoutMs: opts.timeoutMs,
        });
      } catch (err) {
        throw networkFailure(err);
      }
      if (res.status < 200 || res.status >= 300) throw ProviderError.of(httpError(undefined, res.status), `http_${res.status}`, `gateway answered ${res.status}`, res.status);
      let body: unknown = null;
      try {
        body = res.text ? JSON.parse(res.text) : null;
      } catch {
        body = null;
      }
      return { providerMessageId: pick(body, settings.messageIdPath), status: 'accepted' };
    },

    /**
     * A gateway has no standard account check: with a test request configured, verified means it answered that request
     * with the expected status (any 2xx by default); without one, only that it answers a HEAD, which the reason says.
     * Fixed phrases only: nothing of the answer, not even its status, is echoed.
     */
    async verify() {
      const test = settings.verifyUrl;
      try {
        const res = test
          ? await request(opts.egress, test, {
              method: settings.verifyMethod,
              headers: headers({}),
              body: settings.verifyMethod === 'POST' ? (settings.verifyBody ?? '{}') : undefined,
              timeoutMs: opts.timeoutMs,
            })
          : await request(opts.egress, settings.url, { method: 'HEAD', headers: headers({}), timeoutMs: opts.timeoutMs });
        if (res.status === 401 || res.status === 403) return { ok: false, reason: 'credentials refused' };
        if (test) {
          const ok = settings.verifyStatus === undefined ? res.status >= 200 && res.status < 300 : res.status === settings.verifyStatus;
          return ok ? { ok, reason: 'test request answered as expected' } : { ok, reason: 'test request not answered as expected' };
        }
        if (res.status >= 500 || res.status < 200) return { ok: false, reason: 'not reachable' };
        return { ok: true, reason: 'reachable only: sending not checked (no test request configured)' };
      } catch (err) {
        return { ok: false, reason: networkFailure(err).code === 'host_not_allowed' ? 'host not allowed' : 'not reachable' };
      }
    },
  };
}
