// The sending service: picks the account, composes the text, writes the outbox row and returns at once; reads status back.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { SecretBox } from '../security/secrets.ts';
import { renderApproved } from './resources/text.ts';
import type { ResourcesService } from './resources/service.ts';
import type { MessageRow, MessagesRepo } from './outbox/repo.ts';
import { type MessageView, toView } from './outbox/view.ts';
import type { OutboxWorker } from './outbox/worker.ts';
import { maskPhone, toE164 } from '../phone.ts';
import { STATUS_RANK } from './status.ts';
import type { LanguageHints, LanguageSource } from './templates/language.ts';
import type { TemplatesService } from './templates/service.ts';
import { CODE_PURPOSES, PURPOSES, type Purpose } from './types.ts';

export type { MessageView };
import { parseWith } from '../errors.ts';

export interface SendRequest {
  purpose: Purpose;
  /** Recipient in E.164 form. */
  to: string;
  /** The SMS connection's or factor's chosen account (a test send: the account to use); see ResourcesService.select. */
  accountId?: string;
  /** The app the message is for: its granted accounts, signatures and templates, plus the general ones. */
  clientId?: string | null;
  /** The one-time code, required for code purposes. Only its sealed rendering is stored. */
  code?: string;
  applicationName?: string;
  /** Who users contact for help (`support_contact`); without it, SUPPORT_CONTACT. */
  supportContact?: string;
  user?: { name?: string | null; login?: string | null; locale?: string | null } | null;
  expiresInMinutes?: number;
  /** Language hints of the request that triggered the message (see hintsFromRequest). */
  hints?: LanguageHints;
  /** Caller's correlation id (e.g. the flow id). */
  flowId?: string;
  /**
   * A one-time code's send: the requester's address. The send then counts in the pumping checks (per prefix, address
   * range and country), in the same statement as the spend limits.
   */
  requesterIp?: string;
  /** Override the autofill line for this message. */
  autofill?: boolean;
}

export interface Enqueued {
  id: string;
  language: string;
  languageSource: LanguageSource;
  encoding: string;
  characters: number;
  segments: number;
}

const requestSchema = z
  .object({
    purpose: z.enum(PURPOSES, { message: `must be one of ${PURPOSES.join(', ')}` }),
    to: z.string({ message: 'is required' }),
    accountId: z.string().min(1).max(36).optional(),
    clientId: z.string().max(255).nullish(),
    code: z.string().regex(/^[A-Za-z0-9-]{4,12}$/, 'must be 4 to 12 letters or digits').optional(),
    applicationName: z.string().max(100).optional(),
    supportContact: z.string().max(200).optional(),
    user: z.object({ name: z.string().max(200).nullish(), login: z.string().max(200).nullish(), locale: z.string().max(35).nullish() }).nullish(),
    expiresInMinutes: z.number().int().min(1).max(100_000).optional(),
    hints: z.object({ requestLanguage: z.string().max(200).nullish(), acceptLanguage: z.string().max(1000).nullish(), userLocale: z.string().max(35).nullish() }).optional(),
    flowId: z.string().max(64).optional(),
    autofill: z.boolean().optional(),
    requesterIp: z.string().max(64).optional(),
  })
  .strict();

const logQuery = z
  .object({
    limit: z.number().int().min(1).max(500).default(50),
    before: z.number().int().optional(),
    since: z.number().int().optional(),
    after: z.object({ createdAt: z.number().int(), id: z.string().max(36) }).strict().optional(),
    status: z.enum(Object.keys(STATUS_RANK) as [string, ...string[]]).optional(),
    accountId: z.string().max(36).optional(),
    purpose: z.enum(PURPOSES).optional(),
    provider: z.string().max(32).optional(),
    clientId: z.string().max(255).optional(),
  })
  .strict();

/**
 * Called once the account and text are known and before the message is stored for sending (never for decoys):
 * the spend limits count it here and throw to stop it. Routing picks the account before this point.
 */
export type SendHook = (m: { to: string; provider: string; accountId: string; purpose: Purpose; segments: number; requesterIp?: string }) => Promise<void>;

/** How long after sending a support follow-up of a message of this purpose is considered (null: none). */
export type FollowupDelay = (purpose: Purpose) => Promise<number | null>;

export function createSender(deps: {
  resources: Pick<ResourcesService, 'select'>;
  templates: TemplatesService;
  repo: MessagesRepo;
  worker: OutboxWorker;
  box: SecretBox;
  beforeStore?: SendHook;
  followupDelay?: FollowupDelay;
}) {
  const { resources, templates, repo, box } = deps;

  async function enqueue(input: SendRequest, opts: { allowUnverified?: boolean; decoy?: boolean; failoverOf?: string; followupOf?: string } = {}): Promise<Enqueued> {
    const req = parseWith(requestSchema, input, 'sms_request_invalid');
    const to = toE164(req.to);
    if (CODE_PURPOSES.has(req.purpose) && !req.code) {
      throw new AppError('sms_request_invalid', 400, { message: `code: is required for ${req.purpose} messages` });
    }
    const { account, signature, templates: usable, fallbackAccountId } = await resources.select({
      clientId: req.clientId,
      accountId: req.accountId,
      purpose: req.purpose,
      to,
      direct: opts.allowUnverified === true,
      pinned: opts.failoverOf !== undefined,
    });
    const hints: LanguageHints = { ...req.hints, userLocale: req.hints?.userLocale ?? req.user?.locale ?? null };
    const composed = await templates.compose({
      purpose: req.purpose,
      to,
      accountId: account.id,
      homeCountry: account.homeCountry,
      hints,
      values: { code: req.code, applicationName: req.applicationName, supportContact: req.supportContact, user: req.user, expiresInMinutes: req.expiresInMinutes },
      // An approved provider template is sent as approved: no autofill line is appended to it.
      autofill: usable ? false : req.autofill,
    });
    // The template in the message's language, else one for any language, else one in another language (recorded as the message's).
    const template = usable && (usable.find((t) => t.language === composed.language) ?? usable.find((t) => t.language === null) ?? usable[0]);
    if (template?.language && template.language !== composed.language) Object.assign(composed, { language: template.language, languageSource: 'fallback' as const });
    if (template && signature && template.text !== null) {
      const params = Object.fromEntries(Object.entries(template.params).map(([k, v]) => [k, composed.variables[v] ?? '']));
      Object.assign(composed, renderApproved(template.text, params, signature.signName, template.region));
    }
    if (opts.followupOf && !composed.variables.support_contact) {
      throw new AppError('sms_not_configured', 503, { message: 'no support contact is configured (SUPPORT_CONTACT): a follow-up would have nothing to say' });
    }
    const sealed = { toSealed: box.encrypt(to), bodySealed: box.encrypt(composed.text), varsSealed: box.encrypt(JSON.stringify(composed.variables)) };
    if (opts.decoy) {
      // Same work and one comparable database round trip, but nothing is stored or sent.
      const id = randomUUID();
      await repo.find(id);
      return { id, language: composed.language, languageSource: composed.languageSource, encoding: composed.encoding, characters: composed.characters, segments: composed.segments };
    }
    await deps.beforeStore?.({ to, provider: account.provider, accountId: account.id, purpose: req.purpose, segments: composed.segments, requesterIp: req.requesterIp });
    const followupAfterMs = CODE_PURPOSES.has(req.purpose) && deps.followupDelay ? await deps.followupDelay(req.purpose) : null;
    const id = await deps.worker.enqueue({
      accountId: account.id,
      provider: account.provider,
      purpose: req.purpose,
      toMasked: maskPhone(to),
      toHash: box.hmac('sms-recipient', to),
      ...sealed,
      language: composed.language,
      encoding: composed.encoding,
      characters: composed.characters,
      segments: composed.segments,
      flowId: req.flowId ?? null,
      clientId: req.clientId ?? null,
      signatureId: signature?.id ?? null,
      providerTemplateId: template?.id ?? null,
      // A fallback message is the last try: it has no fallback of its own.
      fallbackAccountId: opts.failoverOf ? null : (fallbackAccountId ?? null),
      failoverOf: opts.failoverOf ?? null,
      followupAfterMs,
      followupOf: opts.followupOf ?? null,
    });
    return { id, language: composed.language, languageSource: composed.languageSource, encoding: composed.encoding, characters: composed.characters, segments: composed.segments };
  }

  async function mustFind(id: string): Promise<MessageRow> {
    const m = typeof id === 'string' && id.length <= 36 ? await repo.find(id) : undefined;
    if (!m) throw new AppError('sms_message_not_found', 404, { message: `SMS message ${JSON.stringify(id)} does not exist` });
    return m;
  }

  return {
    /** Writes the message to the outbox and returns its id; a worker sends it. Never waits for the provider. */
    enqueue: (input: SendRequest) => enqueue(input),

    /**
     * For requests that must not send (unknown number or user): the same validation, account choice, rendering and
     * sealing as enqueue, so both take the same time, but nothing is stored or sent. The id returned is random.
     */
    decoy: (input: SendRequest) => enqueue(input, { decoy: true }),

    /** A test message (the `test` template) through one account, even one not verified yet. */
    async testSend(input: { accountId: string; to: string; language?: string }): Promise<Enqueued> {
      if (!input || typeof input.accountId !== 'string') throw new AppError('sms_request_invalid', 400, { message: 'accountId: is required' });
      return enqueue(
        { purpose: 'test', to: input.to, accountId: input.accountId, hints: { requestLanguage: input.language ?? null } },
        { allowUnverified: true },
      );
    },

    /**
     * Sends a failed message again through its fallback account: the same code and values, in the message's language
     * when the fallback has a template for it, rendered with the fallback's own template. Returns the new message's id.
     */
    async resend(row: MessageRow): Promise<string> {
      if (!row.fallbackAccountId || !row.toSealed || !row.varsSealed) throw new AppError('sms_request_invalid', 400, { message: 'the message has no fallback or no content left' });
      const v = JSON.parse(box.decrypt(row.varsSealed)) as Record<string, string | undefined>;
      const minutes = Number(v.expires_in_minutes);
      const sent = await enqueue(
        {
          purpose: row.purpose,
          to: box.decrypt(row.toSealed),
          accountId: row.fallbackAccountId,
          clientId: row.clientId,
          code: v.code || undefined,
          applicationName: v.application_name || undefined,
          supportContact: v.support_contact || undefined,
          user: { name: v.user_name || null, login: v.user_login || null },
          expiresInMinutes: Number.isInteger(minutes) && minutes > 0 ? minutes : undefined,
          hints: { requestLanguage: row.language },
          flowId: row.flowId ?? undefined,
        },
        { failoverOf: row.id },
      );
      return sent.id;
    },

    /**
     * The support follow-up of a delivered code message whose code went unused: purpose `support_followup`, to the same
     * number, in the same language, for the same app (counted in the limits like any send). Returns its id.
     */
    async followup(row: MessageRow, applicationName?: string): Promise<string> {
      if (!row.toSealed) throw new AppError('sms_request_invalid', 400, { message: 'the message no longer holds its recipient' });
      const sent = await enqueue(
        { purpose: 'support_followup', to: box.decrypt(row.toSealed), clientId: row.clientId, applicationName, hints: { requestLanguage: row.language }, flowId: row.flowId ?? undefined },
        { followupOf: row.id },
      );
      return sent.id;
    },

    /**
     * What the user's message became: the message itself, or the fallback sent in its place (`rerouted`), so the code
     * screen says "a new message is on its way" instead of "not delivered" while the fallback may still arrive.
     */
    async latest(id: string): Promise<{ view: MessageView; rerouted: boolean }> {
      const m = await mustFind(id);
      const f = m.fallbackAccountId && ['failed', 'undelivered'].includes(m.status) ? await repo.fallbackFor(m.id) : undefined;
      return f ? { view: toView(f), rerouted: true } : { view: toView(m), rerouted: false };
    },

    /** The current status of a message (the code screens use it to say "not delivered"). */
    async status(id: string): Promise<MessageView> {
      return toView(await mustFind(id));
    },

    /** The message log, newest first. */
    async log(query: unknown = {}): Promise<MessageView[]> {
      const q = parseWith(logQuery, query, 'sms_request_invalid');
      return (await repo.list(q)).map(toView);
    },
  };
}

export type SmsSender = ReturnType<typeof createSender>;
