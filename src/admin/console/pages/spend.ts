// Console page "SMS spend": spend and conversion per country over 24 hours (chart and table), caps and budgets with Lift, blocks with Unblock.
import { AppError } from '../../../errors.ts';
import { text } from '../form.ts';
import { actorOf, type ConsoleKit, seeOther } from '../kit.ts';

const KINDS = new Set(['country_hourly', 'country_daily', 'budget_daily', 'budget_monthly']);

export function spendPages({ get, post, page, services }: ConsoleKit): void {
  const spend = services.spend;
  if (!spend) return;

  get('/spend', async (ctx) => {
    const country = typeof ctx.query.country === 'string' && /^[A-Za-z]{2}$/.test(ctx.query.country) ? ctx.query.country.toUpperCase() : null;
    const status = await spend.limits.status(country ? [country] : []);
    const countries = [...new Set(status.lines.map((l) => l.scope).filter((s) => s !== 'all'))];
    const shown = country ?? countries[0] ?? null;
    const [money, traffic, blocks] = await Promise.all([
      shown ? spend.limits.hourly(shown) : Promise.resolve([]),
      shown ? spend.conversion.hourly(shown) : Promise.resolve({ sent: [], verified: [] }),
      spend.conversion.blocks(50),
    ]);
    const hours = money.map((m, i) => ({ i, money: m, sent: traffic.sent[i] ?? 0, verified: traffic.verified[i] ?? 0 }));
    const max = Math.max(1, ...hours.map((h) => h.sent));
    await page(ctx, 'spend', 'spend', { status, countries, shown, hours, max, blocks, lifted: ctx.query.lifted === '1', unblocked: ctx.query.unblocked === '1' });
  });

  post('/spend/lift', async (ctx) => {
    const kind = text(ctx, 'limit');
    const scope = text(ctx, 'scope');
    if (!KINDS.has(kind) || !/^(all|[A-Z]{2})$/.test(scope)) {
      throw new AppError('invalid_request', 400, { message: 'limit: no such limit' });
    }
    await spend.limits.lift(kind as never, scope, `user:${actorOf(ctx).id}`);
    seeOther(ctx, '/admin/spend?lifted=1');
  });

  post('/spend/blocks/:id/unblock', async (ctx) => {
    const id = Number(ctx.params.id);
    if (!Number.isInteger(id) || id < 1) {
      throw new AppError('invalid_request', 400, { message: 'id: no such block' });
    }
    await spend.conversion.unblock(id, `user:${actorOf(ctx).id}`);
    seeOther(ctx, '/admin/spend?unblocked=1');
  });
}
