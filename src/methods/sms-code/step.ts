// The SMS code step of any flow: code entry, resend after the cooldown, delivery status, verify outcomes → status + message.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { clientIp, formBody } from '../../http/forms.ts';
import { formRoute, formText, jsonRoute } from '../../http/guard.ts';
import { formatWait } from '../../i18n/durations.ts';
import { type Translate, translator } from '../../i18n/index.ts';
import { maskedDisplay } from '../../phone.ts';
import type { Csrf } from '../../security/csrf.ts';
import type { ScreenRenderer } from '../../views.ts';

/**
 * How a flow keeps decoys (a code nobody was texted, for an unknown user or number) indistinguishable:
 * - `shown`: the flow never holds a decoy, so the screen shows the delivery status (and polls for it);
 * - `hidden`: the flow may hold a decoy, whose delivery status would differ from a real send's once the carrier
 *   answers, so the screen shows no delivery status at all and `/status` always reads "no news".
 */
export type DeliveryStatus = 'shown' | 'hidden';

export type StepVerify<T> = { ok: true; value: T } | { ok: false; reason: 'wrong_code' | 'format' | 'not_sent' } | { ok: false; reason: 'throttled'; waitSeconds: number };
/** `ignored`: nothing was sent and nothing is said (e.g. the account was disabled meanwhile); the screen shows again. */
export type StepResend = { ok: true } | { ok: false; reason: 'wait'; waitSeconds: number } | { ok: false; reason: 'ignored' };

/** Which of the step's requests a load is for. */
export type StepRequestKind = 'screen' | 'form' | 'status';

/** The flow at its code step for one request, as the flow loaded it. */
export interface CodeStepRequest<T> {
  lang: string;
  /** What the CSRF token binds to (the interaction uid on the hosted screens). */
  csrfBinding: string;
  /** The number as the screen shows it: an E.164 number (masked here) or an already masked `••• ••• 1234`. */
  phone: string;
  /** Whether this request shows the delivery status (see DeliveryStatus). */
  delivery: DeliveryStatus;
  /** Set when the step cannot be finished (e.g. no usable phone): renders instead of the code screen. */
  blocked?: (ctx: Context) => Promise<void>;
  /** Set when the flow knows nothing was texted (only where the delivery status is shown): why, as an i18n key. */
  notSent?: { reasonKey: string };
  /** Where "Use a different number" (or account) leads, when the flow allows it. */
  other?: { href: string; textKey: string };
  /** "Try another way": the other methods this sign-in may use instead (none: no link). */
  alternatives?: { id: string; href: string; textKey: string }[];
  codeLength(): Promise<number>;
  resendWait(ip: string): Promise<number>;
  /** The last SMS's delivery; only asked when the delivery status is shown. */
  deliveryState(): Promise<{ undelivered: boolean; reasonKey: string | null; rerouted?: boolean }>;
  verify(input: string): Promise<StepVerify<T>>;
  resend(ctx: Context): Promise<StepResend>;
  /** What happens after a right code: the flow finishes its sign-in, or moves to its next step. */
  succeed(ctx: Context, value: T): Promise<void>;
}

/** What a form post of the step carries for the flow's own checks (the CSRF token, as posted). */
export interface StepForm {
  csrf: string | undefined;
}

export interface CodeStepOptions<T> {
  router: Router;
  screens: ScreenRenderer;
  csrf: Csrf;
  /** The step's URL prefix as the browser sees it, e.g. `/interaction/<uid>/mfa`. */
  base: (ctx: Context) => string;
  /** The way out of the step: back to the sign-in screen (which cancels the flow's progress). */
  cancel: (ctx: Context) => string;
  /** Where the screen posts to give up the sign-in and return to the app (the interaction ends with `access_denied`). */
  abort?: (ctx: Context) => string;
  /** Texts of the screen; defaults to the SMS sign-in ones. */
  texts?: { title: string; intro: string; label: string; verify: string };
  /** Whether the screen shows the support hint (`reset-help`), the same for everyone. */
  help?: boolean;
  /**
   * Loads the flow at its code step; returns undefined when it has answered itself (e.g. redirected to the step the
   * flow is at). For a `form` post the flow checks the CSRF token where its order of checks wants it; `status` is the
   * delivery status JSON (no redirects there). `form` is the parsed post, given for `form` requests.
   */
  load(ctx: Context, kind: StepRequestKind, form?: StepForm): Promise<CodeStepRequest<T> | undefined>;
}

const SMS_TEXTS = { title: 'sms.code_title', intro: 'sms.code_intro', label: 'sms.code_label', verify: 'sms.verify' };
const MAX_CODE_INPUT = 32;

/** The posts of the step: a code of bounded size (a longer one is a broken form); resend carries only the token. */
const codePost = z.object({ csrf: formText(), code: formText(MAX_CODE_INPUT) });
const resendPost = z.object({ csrf: formText() });
/** The delivery status the code screen polls for. */
const statusAnswer = z.union([
  z.object({ undelivered: z.literal(false), rerouted: z.literal(true).optional(), notice: z.string().optional() }),
  z.object({ undelivered: z.literal(true), title: z.string(), reason: z.string(), help: z.string() }),
]);

const masked = (phone: string) => (phone.startsWith('+') ? maskedDisplay(phone) : phone);

/** Maps a verify outcome to the HTTP status and message the code screen shows. */
export function verifyRefusal(t: Translate, outcome: Exclude<StepVerify<unknown>, { ok: true }>, codeLength: number, lang = 'en'): { status: number; error: string; retryAfter?: number } {
  if (outcome.reason === 'throttled') return { status: 429, error: t('sms.too_many_wrong', { when: formatWait(lang, outcome.waitSeconds) }), retryAfter: outcome.waitSeconds };
  if (outcome.reason === 'not_sent') return { status: 409, error: t('sms.no_code_sent') };
  if (outcome.reason === 'format') return { status: 400, error: t('sms.code_format', { length: codeLength }) };
  return { status: 401, error: t('sms.wrong_code') };
}

/** Mounts GET/POST `/code`, POST `/resend` and GET `/status` on the flow's router. */
export function mountCodeStep<T>(opts: CodeStepOptions<T>): void {
  const { router, screens, csrf } = opts;
  const texts = opts.texts ?? SMS_TEXTS;

  /** `resendWait`: the wait a refused resend just answered (the screen shows at least that). */
  async function show(ctx: Context, req: CodeStepRequest<T>, extra: { error?: string; notice?: string; status?: number; resendWait?: number } = {}) {
    if (req.blocked) return req.blocked(ctx);
    const t = translator(req.lang);
    const shown = req.delivery === 'shown';
    const [codeLength, resendWait, delivery] = await Promise.all([
      req.codeLength(),
      req.resendWait(clientIp(ctx)).then((wait) => Math.max(wait, extra.resendWait ?? 0)),
      shown ? req.deliveryState() : undefined,
    ]);
    await screens.render(
      ctx,
      'sms-code',
      {
        lang: req.lang,
        base: opts.base(ctx),
        cancel: opts.cancel(ctx),
        abort: opts.abort ? opts.abort(ctx) : null,
        alternatives: (req.alternatives ?? []).map((a) => ({ id: a.id, href: a.href, text: t(a.textKey) })),
        csrf: csrf.token(req.csrfBinding),
        texts,
        help: opts.help === true,
        maskedPhone: masked(req.phone),
        codeLength,
        resendWait,
        resendWhen: resendWait > 0 ? formatWait(req.lang, resendWait) : '',
        showDelivery: shown,
        notSent: shown && req.notSent ? t(req.notSent.reasonKey) : null,
        undelivered: delivery?.undelivered ? t(delivery.reasonKey ?? 'sms.reason.unknown') : null,
        rerouted: delivery?.rerouted ? t('sms.rerouted') : null,
        other: req.other ? { href: req.other.href, text: t(req.other.textKey) } : null,
        error: extra.error ?? null,
        notice: extra.notice ?? null,
      },
      extra.status ?? 200,
    );
  }

  router.get('/code', async (ctx) => {
    const req = await opts.load(ctx, 'screen');
    if (req) await show(ctx, req, { notice: ctx.query.resent === '1' ? translator(req.lang)('sms.resent') : undefined });
  });

  router.post(
    '/code',
    formBody,
    formRoute({
      body: codePost,
      load: (ctx, { body }) => opts.load(ctx, 'form', { csrf: body.csrf }),
      handler: async (ctx, { body, loaded: req }) => {
        if (!req) return;
        if (req.blocked) return show(ctx, req);
        const outcome = await req.verify(body.code ?? '');
        if (outcome.ok) return req.succeed(ctx, outcome.value);
        const refusal = verifyRefusal(translator(req.lang), outcome, await req.codeLength(), req.lang);
        if (refusal.retryAfter !== undefined) ctx.set('retry-after', String(refusal.retryAfter));
        await show(ctx, req, { error: refusal.error, status: refusal.status });
      },
    }),
  );

  router.post(
    '/resend',
    formBody,
    formRoute({
      body: resendPost,
      load: (ctx, { body }) => opts.load(ctx, 'form', { csrf: body.csrf }),
      handler: async (ctx, { loaded: req }) => {
        if (!req) return;
        if (req.blocked) return show(ctx, req);
        const outcome = await req.resend(ctx);
        if (!outcome.ok && outcome.reason === 'ignored') return show(ctx, req);
        if (!outcome.ok) {
          ctx.set('retry-after', String(outcome.waitSeconds));
          return show(ctx, req, { error: translator(req.lang)('sms.wait', { when: formatWait(req.lang, outcome.waitSeconds) }), status: 429, resendWait: outcome.waitSeconds });
        }
        ctx.status = 303;
        ctx.redirect(`${opts.base(ctx)}/code?resent=1`);
      },
    }),
  );

  router.get(
    '/status',
    jsonRoute(
      {
        name: 'code_step.status',
        response: statusAnswer,
        handler: async (_input, ctx) => {
          const req = await opts.load(ctx, 'status');
          // The flow has answered itself (it never does for status, but the type allows it): no news.
          if (!req) return { undelivered: false as const };
          const delivery = req.delivery === 'shown' && !req.blocked ? await req.deliveryState() : undefined;
          const t = translator(req.lang);
          return delivery?.undelivered
            ? { undelivered: true as const, title: t('sms.not_delivered', { phone: masked(req.phone) }), reason: t(delivery.reasonKey ?? 'sms.reason.unknown'), help: t('sms.not_delivered_help') }
            : delivery?.rerouted
              ? { undelivered: false as const, rerouted: true as const, notice: t('sms.rerouted') }
              : { undelivered: false as const };
        },
      },
    ),
  );
}
