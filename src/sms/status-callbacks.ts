// Delivery-report endpoint: the message's provider descriptor authenticates and reads the report; status only moves forward.
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Logger } from '../logger.ts';
import type { AccountsService } from './accounts/service.ts';
import type { SmsAccount } from './accounts/types.ts';
import type { MessagesRepo } from './outbox/repo.ts';
import type { ProviderRegistry } from './providers/registry.ts';
import type { Failover } from './routing/failover.ts';
import { isKnownStatus } from './status.ts';

export const STATUS_CALLBACK_PATH = '/sms/status/:id';

/** The URL a provider is given and calls: on the public issuer, so signatures also validate behind a proxy. */
export function statusCallbackUrl(issuer: string, messageId: string): string {
  return `${issuer.replace(/\/$/, '')}/sms/status/${encodeURIComponent(messageId)}`;
}

/** Whether messages of this account carry a callback URL (its provider reads callbacks and the account asks for them). */
export function wantsCallbacks(registry: ProviderRegistry, account: SmsAccount): boolean {
  return registry.find(account.provider)?.callbacks?.wanted(account.settings) === true;
}

const body = bodyParser({
  enableTypes: ['form', 'json'],
  formLimit: '32kb',
  jsonLimit: '64kb',
  onError(_err, ctx) {
    ctx.throw(400, 'malformed body');
  },
}) as unknown as Middleware;

export interface StatusCallbackDeps {
  repo: MessagesRepo;
  accounts: Pick<AccountsService, 'load'>;
  registry: ProviderRegistry;
  issuer: string;
  logger: Logger;
  /** A failed report sends the message again through its rule's fallback account. */
  failover?: Failover;
}

export function statusCallbackRoutes({ repo, accounts, registry, issuer, logger, failover }: StatusCallbackDeps): Router {
  const router = new Router();

  const forbid = (ctx: Context, why: string) => {
    logger.warn({ path: ctx.path, why }, 'SMS status callback refused');
    ctx.status = 403;
    ctx.body = 'Forbidden';
  };

  router.post(STATUS_CALLBACK_PATH, body, async (ctx) => {
    const id = ctx.params.id ?? '';
    const message = id.length <= 36 ? await repo.find(id) : undefined;
    const account = message ? await accounts.load(message.accountId) : undefined;
    const d = account ? registry.find(account.provider) : undefined;
    if (!message || !account || !d?.callbacks) return forbid(ctx, message ? 'account deleted or its provider reads no callbacks' : 'unknown message');

    const url = `${statusCallbackUrl(issuer, id)}${ctx.querystring ? `?${ctx.querystring}` : ''}`;
    const report = d.callbacks.read({ url, headers: ctx.headers, body: (ctx.request as { body?: unknown }).body ?? {} }, account.settings);
    if (!report.ok) return forbid(ctx, report.why);

    ctx.status = 204;
    const sid = report.providerMessageId;
    if (sid && message.providerMessageId && sid !== message.providerMessageId) {
      logger.warn({ messageId: id, sid }, 'SMS status callback for another provider message ignored');
      return;
    }
    if (!isKnownStatus(report.status)) return;
    if (sid && !message.providerMessageId) await repo.setProviderId(id, sid);
    const failure = report.status === 'failed' || report.status === 'undelivered';
    const moved = await repo.advance(
      id,
      failure ? { status: report.status, errorCode: report.errorCode ?? null, reason: d.mapError(report.errorCode, 400).reason } : { status: report.status },
    );
    logger.debug({ messageId: id, status: report.status, moved }, 'SMS status callback');
    if (moved && failure) await failover?.after(message, d.mapError(report.errorCode, 400).reason);
  });

  return router;
}
