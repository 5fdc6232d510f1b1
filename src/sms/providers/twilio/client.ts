// Twilio through the official SDK: its HTTP client goes to the account's API base URL through the pinned agents.
import type twilio from 'twilio';
import type { Egress } from '../egress.ts';
import { networkFailure, ProviderError, type SendResult, type SmsProvider } from '../types.ts';
import { twilioError } from './errors.ts';
import { twilioSdk } from './sdk.ts';
import type { TwilioSettings } from './settings.ts';

type RequestOptions = Parameters<twilio.RequestClient['request']>[0];

/** Sends every SDK request to `base` instead of Twilio's hosts (keeping the path), through the allow-list's agents. */
type PinnedRequestClient = twilio.RequestClient;
let PinnedClass: (new (base: string, timeout: number, egress: Egress) => PinnedRequestClient) | undefined;

/** The SDK's RequestClient is only known once the SDK is loaded: the subclass is made then, once. */
function pinnedRequestClient(base: string, timeout: number, egress: Egress): PinnedRequestClient {
  PinnedClass ??= class extends twilioSdk().RequestClient {
    readonly #base: URL;
    readonly #egress: Egress;

    constructor(base: string, timeout: number, egress: Egress) {
      super({ timeout });
      this.#base = new URL(base.endsWith('/') ? base : `${base}/`);
      this.#egress = egress;
      this.axios.defaults.httpAgent = egress.httpAgent;
      this.axios.defaults.httpsAgent = egress.httpsAgent;
    }

    override request<T>(opts: RequestOptions & { data?: T }) {
      const original = new URL(opts.uri);
      const target = new URL(`${original.pathname.replace(/^\//, '')}${original.search}`, this.#base);
      if (!this.#egress.allows(target.href)) return Promise.reject(networkFailure({ code: 'EHOSTNOTALLOWED' }));
      return super.request({ ...opts, uri: target.href });
    }
  };
  return new PinnedClass(base, timeout, egress);
}

function isTwilioError(err: unknown): err is { status: number; code?: number; message?: string } {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';
}

/** Converts whatever the SDK threw into a ProviderError (RestException or an RFC 9457 exception: branch on fields). */
function toProviderError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  if (isTwilioError(err)) {
    const code = typeof err.code === 'number' ? String(err.code) : undefined;
    return ProviderError.of(twilioError(code, err.status), code ?? `http_${err.status}`, `Twilio ${err.status}${code ? ` (${code})` : ''}: ${err.message ?? ''}`, err.status);
  }
  return networkFailure(err);
}

export function createTwilioClient(settings: TwilioSettings, opts: { timeoutMs: number; egress: Egress }): SmsProvider {
  const clientOpts: twilio.ClientOpts = {
    timeout: opts.timeoutMs,
    autoRetry: false,
    httpClient: pinnedRequestClient(settings.apiBaseUrl, opts.timeoutMs, opts.egress),
  };
  const twilio = twilioSdk();
  const client = settings.apiKeySid
    ? twilio(settings.apiKeySid, settings.apiKeySecret, { ...clientOpts, accountSid: settings.accountSid })
    : twilio(settings.accountSid, settings.authToken, clientOpts);
  const messages = client.api.v2010.accounts(settings.accountSid).messages;

  return {
    async send(msg) {
      const sender = settings.messagingServiceSid ? { messagingServiceSid: settings.messagingServiceSid } : { from: settings.from! };
      try {
        const m = await messages.create({ to: msg.to, body: msg.body, ...sender, ...(msg.statusCallback ? { statusCallback: msg.statusCallback } : {}) });
        return { providerMessageId: m.sid, status: m.status ?? 'queued' };
      } catch (err) {
        throw toProviderError(err);
      }
    },

    /** Fetches the account resource; the answer says only whether the credentials were accepted. */
    async verify() {
      try {
        const account = await client.api.v2010.accounts(settings.accountSid).fetch();
        return account.status === 'active' ? { ok: true, reason: 'credentials accepted' } : { ok: false, reason: 'account not active' };
      } catch (err) {
        const e = toProviderError(err);
        if (e.code === 'host_not_allowed') return { ok: false, reason: 'host not allowed' };
        if (e.badCredentials) return { ok: false, reason: 'credentials refused' };
        return { ok: false, reason: e.reason === 'provider_unavailable' ? 'not reachable' : 'refused' };
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
