// Twilio StatusCallback endpoint: checks X-Twilio-Signature against the public URL, then moves the status forward only.
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import twilio from 'twilio';
import type { Logger } from '../logger.ts';
import type { TwilioSettings } from './accounts/schema.ts';
import type { AccountsService } from './accounts/service.ts';
import type { SmsAccount } from './accounts/types.ts';
import type { MessagesRepo } from './outbox/repo.ts';
import { twilioReason } from './reasons.ts';
import { isKnownStatus } from './status.ts';

export const STATUS_CALLBACK_PATH = '/sms/status/:id';

/** The URL Twilio is given and calls: on the public issuer, so it also validates behind a proxy. */
export function statusCallbackUrl(issuer: string, messageId: string): string {
  return `${issuer.replace(/\/$/, '')}/sms/status/${encodeURIComponent(messageId)}`;
}

/** Whether messages of this account carry a StatusCallback. */
export function wantsCallbacks(account: SmsAccount): boolean {
  return account.provider === 'twilio' && (account.settings as TwilioSettings).statusCallbacks === true;
}

const formBody = bodyParser({
  enableTypes: ['form'],
  formLimit: '32kb',
  onError(_err, ctx) {
    ctx.throw(400, 'malformed form body');
  },
}) as unknown as Middleware;

export interface StatusCallbackDeps {
  repo: MessagesRepo;
  accounts: Pick<AccountsService, 'load'>;
  issuer: string;
  logger: Logger;
}

export function statusCallbackRoutes({ repo, accounts, issuer, logger }: StatusCallbackDeps): Router {
  const router = new Router();

  const forbid = (ctx: Context, why: string) => {
    logger.warn({ path: ctx.path, why }, 'SMS status callback refused');
    ctx.status = 403;
    ctx.body = 'Forbidden';
  };

  router.post(STATUS_CALLBACK_PATH, formBody, async (ctx) => {
    const signature = ctx.get('x-twilio-signature');
    if (!signature) return forbid(ctx, 'missing signature');
    const id = ctx.params.id ?? '';
    const message = id.length <= 36 ? await repo.find(id) : undefined;
    const account = message ? await accounts.load(message.accountId) : undefined;
    const authToken = account?.provider === 'twilio' ? (account.settings as TwilioSettings).authToken : undefined;
    if (!message || !authToken) return forbid(ctx, message ? 'account deleted or without an Auth Token' : 'unknown message');

    const params = ((ctx.request as { body?: unknown }).body ?? {}) as Record<string, string | string[]>;
    const url = `${statusCallbackUrl(issuer, id)}${ctx.querystring ? `?${ctx.querystring}` : ''}`;
    if (!twilio.validateRequest(authToken, signature, url, params)) return forbid(ctx, 'bad signature');

    const sid = typeof params.MessageSid === 'string' ? params.MessageSid : undefined;
    const status = String(params.MessageStatus ?? params.SmsStatus ?? '');
    ctx.status = 204;
    if (sid && message.providerMessageId && sid !== message.providerMessageId) {
      logger.warn({ messageId: id, sid }, 'SMS status callback for another Twilio message ignored');
      return;
    }
    if (!isKnownStatus(status)) return;
    if (sid && !message.providerMessageId) await repo.setProviderId(id, sid);
    const code = typeof params.ErrorCode === 'string' && /^\d+$/.test(params.ErrorCode) ? Number(params.ErrorCode) : undefined;
    const failure = status === 'failed' || status === 'undelivered';
    const moved = await repo.advance(id, failure ? { status, errorCode: code ? String(code) : null, reason: twilioReason(code, 400).reason } : { status });
    logger.debug({ messageId: id, status, moved }, 'SMS status callback');
  });

  return router;
}
