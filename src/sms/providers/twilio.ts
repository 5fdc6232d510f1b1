// Twilio provider through the official SDK; a custom HTTP client points it at the account's API base URL.
import twilio from 'twilio';
import { type TwilioSettings, TWILIO_API } from '../accounts/schema.ts';
import { twilioReason } from '../reasons.ts';
import { networkFailure, ProviderError, type SendResult, type SmsProvider } from './types.ts';

type RequestOptions = Parameters<twilio.RequestClient['request']>[0];

/** Sends every SDK request to `base` instead of Twilio's hosts, keeping the path (and a base path prefix). */
class RebasedRequestClient extends twilio.RequestClient {
  readonly #base: URL;

  constructor(base: string, timeout: number) {
    super({ timeout });
    this.#base = new URL(base.endsWith('/') ? base : `${base}/`);
  }

  override request<T>(opts: RequestOptions & { data?: T }) {
    const original = new URL(opts.uri);
    const target = new URL(`${original.pathname.replace(/^\//, '')}${original.search}`, this.#base);
    return super.request({ ...opts, uri: target.href });
  }
}

function isTwilioError(err: unknown): err is { status?: number; code?: number; message?: string } {
  return typeof err === 'object' && err !== null && ('status' in err || 'code' in err) && typeof (err as { status?: unknown }).status === 'number';
}

/** Converts whatever the SDK threw into a ProviderError (it throws RestException or an RFC 9457 exception; branch on fields). */
function toProviderError(err: unknown): ProviderError {
  if (isTwilioError(err)) {
    const code = typeof err.code === 'number' ? err.code : undefined;
    const { reason, kind } = twilioReason(code, err.status);
    return new ProviderError(kind, reason, String(code ?? `http_${err.status}`), `Twilio ${err.status}${code ? ` (${code})` : ''}: ${err.message ?? ''}`);
  }
  return networkFailure(err);
}

export function createTwilioProvider(settings: TwilioSettings, opts: { timeoutMs: number }): SmsProvider {
  const rebased = settings.apiBaseUrl.replace(/\/$/, '') !== TWILIO_API;
  const clientOpts: twilio.ClientOpts = { timeout: opts.timeoutMs, autoRetry: false };
  if (rebased) clientOpts.httpClient = new RebasedRequestClient(settings.apiBaseUrl, opts.timeoutMs);
  const client = settings.apiKeySid
    ? twilio(settings.apiKeySid, settings.apiKeySecret, { ...clientOpts, accountSid: settings.accountSid })
    : twilio(settings.accountSid, settings.authToken, clientOpts);
  const messages = client.api.v2010.accounts(settings.accountSid).messages;

  return {
    async send(msg) {
      const sender = settings.messagingServiceSid ? { messagingServiceSid: settings.messagingServiceSid } : { from: settings.from! };
      try {
        const m = await messages.create({
          to: msg.to,
          body: msg.body,
          ...sender,
          ...(msg.statusCallback ? { statusCallback: msg.statusCallback } : {}),
        });
        return { providerMessageId: m.sid, status: m.status ?? 'queued' };
      } catch (err) {
        throw toProviderError(err);
      }
    },

    async verify() {
      try {
        const account = await client.api.v2010.accounts(settings.accountSid).fetch();
        if (account.status !== 'active') return { ok: false, reason: `Twilio account is ${account.status}` };
        return { ok: true, reason: 'credentials accepted' };
      } catch (err) {
        const e = toProviderError(err);
        if (e.code === '20003') return { ok: false, reason: 'authentication failed (20003): check the Account SID and the Auth Token or API key' };
        return { ok: false, reason: `${e.reason}: ${e.message}` };
      }
    },

    async findSent({ to, body, since }): Promise<SendResult | null> {
      try {
        const recent = await messages.list({ to, limit: 20 });
        // Twilio may prefix trial-account texts; allow clock skew between us and Twilio.
        const hit = recent.find((m) => typeof m.body === 'string' && m.body.includes(body) && (!m.dateCreated || m.dateCreated.getTime() >= since - 5 * 60_000));
        return hit ? { providerMessageId: hit.sid, status: hit.status ?? 'queued' } : null;
      } catch (err) {
        throw toProviderError(err);
      }
    },
  };
}
