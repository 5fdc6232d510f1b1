// The contract every SMS provider implements (one descriptor per folder), and the one error type the outbox worker understands.
import type { z } from 'zod';
import type { Logger } from '../../logger.ts';
import type { FailureKind, Reason } from '../reasons.ts';
import type { Purpose, Region } from '../purposes.ts';
import type { Egress } from './egress.ts';

/** Everything a provider may need to send one message: a template-id gateway uses purpose, language and variables. */
export interface OutgoingSms {
  /** Our message id (used as an idempotency key where the provider supports one). */
  messageId: string;
  to: string;
  purpose: Purpose;
  /** The language the message was composed in (BCP 47). */
  language: string;
  /** The template variables the body was rendered from (`code`, `application_name`, …), as strings. */
  variables: Readonly<Record<string, string>>;
  /** The rendered text, autofill line included. */
  body: string;
  /** Where the provider should report delivery, when the account asks for delivery reports. */
  statusCallback?: string;
  /** For providers that send approved templates by code (descriptor `templateCodes`): the signature, code and parameters chosen. */
  providerTemplate?: ProviderTemplateRef;
}

/** An approved provider template as one message uses it. */
export interface ProviderTemplateRef {
  signName: string;
  code: string;
  /** The provider template's parameters, filled from our variables through the template's mapping. */
  params: Record<string, string>;
}

/** A delivery status read from the provider (a polled lookup or one item of a pushed batch). */
export interface StatusReading {
  status: string;
  errorCode?: string;
}

export interface SendResult {
  providerMessageId: string | null;
  /** Provider status right after acceptance, e.g. `queued`, `accepted`, or `delivered` for the dev inbox. */
  status: string;
}

export interface VerifyResult {
  ok: boolean;
  /** A short fixed phrase ("credentials accepted", "not reachable"): never the provider's status or answer. */
  reason: string;
}

export interface SmsProvider {
  send(msg: OutgoingSms): Promise<SendResult>;
  verify(): Promise<VerifyResult>;
  /**
   * After an attempt whose outcome is unknown (timeout, 5xx), looks for the message at the provider so that it is
   * not sent twice. Providers that cannot look leave it out.
   */
  findSent?(q: OutgoingSms & { since: number }): Promise<SendResult | null>;
  /** Looks up the delivery status of an accepted message whose report has not arrived (descriptor `reports.pollAfterMs`). */
  status?(q: { to: string; messageId: string; providerMessageId: string | null; sentAt: number }): Promise<StatusReading | null>;
  /**
   * The approved text of a provider template ("Query SMS content"), for previews; `approved` false while in review or
   * rejected; `region` the region the provider approved it for, when it says.
   */
  templateText?(code: string): Promise<{ text: string; approved: boolean; region?: Region }>;
}

/** One item of a pushed batch of delivery reports, matched to our message by our id or the provider's. */
export interface BatchReportItem extends StatusReading {
  messageId?: string;
  providerMessageId?: string;
}

/** How one provider error is handled, and whether it means the account's credentials are bad. */
export interface ErrorMapping {
  reason: Reason;
  kind: FailureKind;
  badCredentials?: boolean;
}

/** A delivery report read from a provider's callback request. */
export type CallbackReading =
  | { ok: false; why: string }
  | { ok: true; providerMessageId?: string; status: string; errorCode?: string };

export interface CallbackRequest {
  /** The public URL the provider called (built from the issuer). */
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed form or JSON body. */
  body: unknown;
}

/** One input of the console's account form. `label`/`hint` are i18n keys (a missing key shows as written). */
export interface FormField {
  name: string;
  kind: 'text' | 'secret' | 'url' | 'select' | 'checkbox' | 'textarea';
  label: string;
  hint?: string;
  options?: readonly string[];
  /** The settings path an error on this input names (default `settings.<name>`). */
  errorPath?: string;
}

export interface FormSpec {
  fields: readonly FormField[];
  /** i18n key of a note shown above the fields (e.g. what the provider does without settings). */
  note?: string;
  /** Values of a new account's form. */
  initial?: Readonly<Record<string, string>>;
  /** Settings view (secrets masked) → form text, for fields that are not a plain value (e.g. header lists). */
  toForm?(settings: Record<string, unknown>): { values: Record<string, string>; masked: Record<string, string> };
  /** Posted form → settings, for the same fields. `read` gives an input's text; blank values are handled by the caller. */
  fromForm?(read: (name: string) => string, editing: boolean): Record<string, unknown>;
}

/** What an account stores secretly: top-level fields by default; a provider with nested secrets supplies the codec. */
export interface SecretSpec {
  /** Top-level settings fields that are secret (sealed at rest, masked in every view and in the audit log). */
  fields: readonly string[];
  split?(full: Record<string, unknown>): { settings: Record<string, unknown>; secrets: Record<string, unknown> };
  join?(settings: Record<string, unknown>, secrets: Record<string, unknown>): Record<string, unknown>;
  mask?(full: Record<string, unknown>): Record<string, unknown>;
  /** Edit merge: the stored secret values kept where the patch leaves them blank. */
  keep?(current: Record<string, unknown>, patch: Record<string, unknown>, merged: Record<string, unknown>): Record<string, unknown>;
  /** Secrets stored in `merged` that `patch` does not give anew (they must be re-entered when the destination changes). */
  notGiven?(patch: Record<string, unknown>, merged: Record<string, unknown>): string[];
}

export interface ProviderContext {
  timeoutMs: number;
  logger: Logger;
  /** The operator's allow-list of provider hosts, pinned in the HTTP agents the provider uses. */
  egress: Egress;
}

// biome-ignore lint/suspicious/noExplicitAny: each descriptor types its own settings; the registry holds them side by side.
export interface ProviderDescriptor<S = any> {
  kind: string;
  /** i18n key (or plain text) of the provider's name. */
  label: string;
  /** Full settings, secrets included. */
  settings: z.ZodType<S>;
  secrets: SecretSpec;
  /** i18n key of what a verification checks for this provider (shown beside Verify): what "Verified" proves. */
  proof?: string;
  /** Fields a verification depends on: changing one makes the account unverified. */
  verifiedFields: readonly string[];
  /** Fields that decide where the secrets go (URL, account id, sender): changing one requires the secrets again. */
  destinationFields: readonly string[];
  /** URLs the provider connects to with these settings (checked against the allow-list when saved). */
  destinations(settings: S): string[];
  /** Development-only provider: refused in production, valid without verification, keeps the text for the dev inbox. */
  development?: boolean;
  create(settings: S, ctx: ProviderContext): SmsProvider;
  /** Maps a provider error code (and HTTP status) to our reason. */
  mapError(code: string | undefined, httpStatus: number | undefined): ErrorMapping;
  callbacks?: {
    /** Whether messages of this account carry a callback URL. */
    wanted(settings: S): boolean;
    read(req: CallbackRequest, settings: S): CallbackReading;
  };
  /**
   * Accounts of this provider send approved templates by code: each message needs a signature and a provider template
   * for its purpose and region (no free text, no appended autofill line).
   */
  templateCodes?: boolean;
  /** Home country of new accounts when none is given (Alibaba: CN, so +86 numbers are domestic). */
  defaultHomeCountry?: string;
  /** Delivery reports pushed in batches to one per-account URL (carrying an unguessable token), plus polling. */
  reports?: {
    read(body: unknown): { ok: false; why: string } | { ok: true; items: BatchReportItem[] };
    /** The body the provider expects in answer to an accepted push. */
    answer: unknown;
    /** Accepted messages without a final status after this long are looked up with SmsProvider.status. */
    pollAfterMs(settings: S): number;
  };
  form: FormSpec;
}

export class ProviderError extends Error {
  readonly kind: FailureKind;
  readonly reason: Reason;
  /** Provider error code (e.g. Twilio `21211`), `http_<status>`, or a network error name. */
  readonly code: string;
  /** The provider refused the account's credentials (the account is marked invalid). */
  readonly badCredentials: boolean;
  /** The provider's HTTP status, when it answered (kept in the message's attempts; its body never is). */
  readonly httpStatus: number | null;

  constructor(kind: FailureKind, reason: Reason, code: string, message: string, badCredentials = false, httpStatus: number | null = null) {
    super(message);
    this.name = 'ProviderError';
    this.kind = kind;
    this.reason = reason;
    this.code = code;
    this.badCredentials = badCredentials;
    this.httpStatus = httpStatus;
  }

  static of(m: ErrorMapping, code: string, message: string, httpStatus: number | null = null): ProviderError {
    return new ProviderError(m.kind, m.reason, code, message, m.badCredentials === true, httpStatus);
  }
}

/** Network errors: refused or unresolved connections never reached the provider; resets and timeouts may have. */
export function networkFailure(err: unknown): ProviderError {
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: { code?: unknown } };
  const code = String(e.code ?? e.cause?.code ?? e.name ?? 'network_error');
  if (code === 'EHOSTNOTALLOWED') return new ProviderError('permanent', 'configuration', 'host_not_allowed', 'the provider host is not allowed by SMS_PROVIDER_HOSTS');
  const notReached = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ERR_INVALID_URL/.test(code);
  const timeout = /ECONNABORTED|ETIMEDOUT|TimeoutError|AbortError/.test(code);
  return new ProviderError(
    notReached ? 'retry' : 'in_doubt',
    'provider_unavailable',
    timeout ? 'timeout' : code,
    `${timeout ? 'timed out' : 'network error'}: ${typeof e.message === 'string' ? e.message : code}`,
  );
}
