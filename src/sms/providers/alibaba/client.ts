// Alibaba Cloud SMS through the official SDK (it signs ACS3-HMAC-SHA256); every call is checked against the host allow-list first.
import type { Egress } from '../egress.ts';
import { networkFailure, ProviderError, type OutgoingSms, type SendResult, type SmsProvider, type StatusReading } from '../types.ts';
import { alibabaError } from './errors.ts';
import { alibabaSdk } from './sdk.ts';
import type { AlibabaSettings } from './settings.ts';

/** `PhoneNumbers`: a mainland number as its 11 digits, any other as country code + number without `+`. */
export function alibabaNumber(e164: string): string {
  const digits = e164.replace(/^\+/, '');
  return digits.startsWith('86') && digits.length === 13 ? digits.slice(2) : digits;
}

/** Alibaba's dates (SendDate, report times) are China Standard Time (UTC+8, no daylight saving). */
export function chinaDate(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

/** QuerySendDetails SendStatus: 1 waiting for a report, 2 failed, 3 delivered. */
const SEND_STATUS: Record<string, string> = { '1': 'sent', '2': 'undelivered', '3': 'delivered' };

interface SdkError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  data?: { Code?: unknown };
}

function toProviderError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const e = (err ?? {}) as SdkError;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const code = typeof e.data?.Code === 'string' ? e.data.Code : typeof e.code === 'string' && status !== undefined ? e.code : undefined;
  if (status !== undefined) return ProviderError.of(alibabaError(code, status), code ?? `http_${status}`, `Alibaba Cloud ${status}${code ? ` (${code})` : ''}`, status);
  return networkFailure(err);
}

/** An answer with HTTP 200 but `Code` other than OK is a refusal (Alibaba's RPC style). */
function refused(body: { code?: string; message?: string } | undefined): ProviderError {
  const code = body?.code ?? 'no_code';
  return ProviderError.of(alibabaError(code, 200), code, `Alibaba Cloud refused: ${code} ${body?.message ?? ''}`.trim(), 200);
}

/**
 * The SDK opens its own connections (it takes no agent or lookup), so before each call the endpoint's host is checked
 * against the allow-list by name and resolved through the allow-list's lookup (which refuses internal addresses that
 * are not listed). A failure never reaches the network.
 */
function preflight(egress: Egress, url: URL): Promise<void> {
  if (!egress.allows(url.href)) return Promise.reject(networkFailure({ code: 'EHOSTNOTALLOWED' }));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    egress.lookup(host, { all: true }, (err) => (err ? reject(networkFailure(err)) : resolve()));
  });
}

export function createAlibabaClient(settings: AlibabaSettings, opts: { timeoutMs: number; egress: Egress }): SmsProvider & { templateText(code: string): Promise<TemplateText> } {
  const base = new URL(settings.endpoint);
  const timeout = settings.timeoutMs ?? opts.timeoutMs;
  const { Client, $Dysmsapi, $OpenApiUtil, $dara } = alibabaSdk();
  const client = new Client(
    new $OpenApiUtil.Config({
      accessKeyId: settings.accessKeyId,
      accessKeySecret: settings.accessKeySecret,
      endpoint: base.host,
      protocol: base.protocol.replace(':', ''),
      readTimeout: timeout,
      connectTimeout: timeout,
    }),
  );
  // No retryOptions: the SDK makes one attempt; retries are the outbox's, after a lookup.
  const runtime = () => new $dara.RuntimeOptions({ readTimeout: timeout, connectTimeout: timeout });

  async function call<T>(fn: () => Promise<T>): Promise<T> {
    await preflight(opts.egress, base);
    try {
      return await fn();
    } catch (err) {
      throw toProviderError(err);
    }
  }

  async function details(to: string, sentAt: number, bizId?: string | null) {
    const days = [...new Set([chinaDate(sentAt), chinaDate(Math.max(sentAt, Date.now()))])];
    const found = [];
    for (const sendDate of days) {
      const res = await call(() =>
        client.querySendDetailsWithOptions(
          new $Dysmsapi.QuerySendDetailsRequest({ phoneNumber: alibabaNumber(to), sendDate, pageSize: 50, currentPage: 1, ...(bizId ? { bizId } : {}) }),
          runtime(),
        ),
      );
      if (res.body?.code !== 'OK') throw refused(res.body);
      found.push(...(res.body.smsSendDetailDTOs?.smsSendDetailDTO ?? []));
    }
    return found;
  }

  return {
    async send(msg: OutgoingSms): Promise<SendResult> {
      const t = msg.providerTemplate;
      if (!t) throw new ProviderError('permanent', 'configuration', 'no_provider_template', 'Alibaba Cloud sends approved templates only: no provider template applies to this message');
      const res = await call(() =>
        client.sendSmsWithOptions(
          new $Dysmsapi.SendSmsRequest({
            phoneNumbers: alibabaNumber(msg.to),
            signName: t.signName,
            templateCode: t.code,
            templateParam: JSON.stringify(t.params),
            outId: msg.messageId,
          }),
          runtime(),
        ),
      );
      if (res.body?.code !== 'OK') throw refused(res.body);
      return { providerMessageId: res.body.bizId ?? null, status: 'accepted' };
    },

    /** Lists the account's signatures (read-only); the answer says only whether the credentials were accepted. */
    async verify() {
      try {
        const res = await call(() => client.querySmsSignListWithOptions(new $Dysmsapi.QuerySmsSignListRequest({ pageIndex: 1, pageSize: 1 }), runtime()));
        if (res.body?.code === 'OK') return { ok: true, reason: 'credentials accepted' };
        const e = refused(res.body);
        return { ok: false, reason: e.badCredentials ? 'credentials refused' : 'refused' };
      } catch (err) {
        const e = toProviderError(err);
        if (e.code === 'host_not_allowed') return { ok: false, reason: 'host not allowed' };
        if (e.badCredentials) return { ok: false, reason: 'credentials refused' };
        return { ok: false, reason: e.reason === 'provider_unavailable' ? 'not reachable' : 'refused' };
      }
    },

    /** After a lost answer there is no BizId: list the number's messages of the send date(s) and match our OutId. */
    async findSent({ to, messageId, since }): Promise<SendResult | null> {
      const hit = (await details(to, since)).find((d) => d.outId === messageId);
      if (!hit) return null;
      return { providerMessageId: null, status: SEND_STATUS[String(hit.sendStatus)] ?? 'accepted' };
    },

    /** Polls one message's delivery status (for messages whose report did not arrive). */
    async status({ to, messageId, providerMessageId, sentAt }): Promise<StatusReading | null> {
      const list = await details(to, sentAt, providerMessageId);
      const hit = list.find((d) => d.outId === messageId) ?? (providerMessageId ? list[0] : undefined);
      if (!hit) return null;
      const status = SEND_STATUS[String(hit.sendStatus)];
      if (!status) return null;
      return { status, errorCode: status === 'undelivered' && hit.errCode ? hit.errCode : undefined };
    },

    /** "Query SMS content": the approved text and review status of a template code. */
    async templateText(code: string): Promise<TemplateText> {
      const res = await call(() => client.querySmsTemplateWithOptions(new $Dysmsapi.QuerySmsTemplateRequest({ templateCode: code }), runtime()));
      if (res.body?.code !== 'OK') throw refused(res.body);
      const approved = Number(res.body.templateStatus) === 1;
      // TemplateType 0 verification code, 1 notification, 2 promotion (mainland); 3 international / HK, Macao, Taiwan.
      const type = res.body.templateType;
      const region = type === undefined || type === null ? undefined : Number(type) === 3 ? 'international' : 'domestic';
      return { text: res.body.templateContent ?? '', approved, ...(region ? { region } : {}) };
    },
  };
}

export interface TemplateText {
  text: string;
  approved: boolean;
  region?: 'domestic' | 'international';
}
