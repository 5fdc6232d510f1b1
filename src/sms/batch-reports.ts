// Pushed batches of delivery reports (Alibaba's SmsReport): one URL per account, unguessable token in the path, status only forward.
import { timingSafeEqual } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Logger } from '../logger.ts';
import type { SecretBox } from '../security/secrets.ts';
import type { AccountsService } from './accounts/service.ts';
import type { MessagesRepo } from './outbox/repo.ts';
import type { ProviderRegistry } from './providers/registry.ts';
import type { Failover } from './routing/failover.ts';

export const BATCH_REPORT_PATH = '/sms/reports/:accountId/:token';

/** The token of an account's report URL: an HMAC of the account id under the installation's secret (nothing to store). */
export const reportToken = (box: SecretBox, accountId: string): string => box.hmac('sms-batch-report', accountId);

/** The URL an operator pastes into the provider's console (Alibaba: "HTTP batch push" of SmsReport). */
export function reportUrl(issuer: string, box: SecretBox, accountId: string): string {
  return `${issuer.replace(/\/$/, '')}/sms/reports/${encodeURIComponent(accountId)}/${reportToken(box, accountId)}`;
}

const body = bodyParser({
  enableTypes: ['json'],
  jsonLimit: '512kb',
  onError(_err, ctx) {
    ctx.throw(400, 'malformed body');
  },
}) as unknown as Middleware;

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export interface BatchReportDeps {
  repo: MessagesRepo;
  accounts: Pick<AccountsService, 'load'>;
  registry: ProviderRegistry;
  box: SecretBox;
  logger: Logger;
  /** A failed report sends the message again through its rule's fallback account. */
  failover?: Failover;
}

export function addBatchReportRoutes(router: Router, { repo, accounts, registry, box, logger, failover }: BatchReportDeps): void {
  router.post(BATCH_REPORT_PATH, async (ctx, next) => {
    // The token is checked before the body is read, so strangers cost nothing.
    const accountId = ctx.params.accountId ?? '';
    const token = ctx.params.token ?? '';
    // Tokens made under a previous SECRET_KEY keep working while that key is listed in PREVIOUS_SECRET_KEYS.
    const known = accountId.length <= 36 && box.hmacs('sms-batch-report', accountId).some((t) => same(token, t));
    const account = known ? await accounts.load(accountId) : undefined;
    const d = account ? registry.find(account.provider) : undefined;
    if (!account || !d?.reports) {
      logger.warn({ path: ctx.path.replace(/[^/]+$/, '…') }, 'SMS report push refused');
      ctx.status = 403;
      ctx.body = 'Forbidden';
      return;
    }
    ctx.state.reportAccount = account;
    await next();
  }, body, async (ctx) => {
    const account = ctx.state.reportAccount as NonNullable<Awaited<ReturnType<BatchReportDeps['accounts']['load']>>>;
    const d = registry.get(account.provider);
    const read = d.reports!.read((ctx.request as { body?: unknown }).body);
    if (!read.ok) {
      ctx.status = 400;
      ctx.body = { code: 400, msg: read.why };
      return;
    }
    let moved = 0;
    for (const item of read.items) {
      const message = await repo.findForReport(account.id, item);
      if (!message) continue;
      if (item.providerMessageId && message.providerMessageId && item.providerMessageId !== message.providerMessageId) continue;
      if (item.providerMessageId && !message.providerMessageId) await repo.setProviderId(message.id, item.providerMessageId);
      const failure = item.status === 'undelivered' || item.status === 'failed';
      const ok = await repo.advance(
        message.id,
        failure ? { status: item.status, errorCode: item.errorCode ?? null, reason: d.mapError(item.errorCode, 400).reason } : { status: item.status },
      );
      if (ok) moved++;
      if (ok && failure) await failover?.after(message, d.mapError(item.errorCode, 400).reason);
    }
    logger.debug({ accountId: account.id, items: read.items.length, moved }, 'SMS report push');
    ctx.status = 200;
    ctx.body = d.reports!.answer;
  });
}
