// Console page "SMS routing": the rules in order (move up/down, delete), the implicit rules after them, and an add form.
import type { Context } from 'koa';
import { numberField, optionalText } from '../form.ts';
import { actorOf, type ConsoleKit, errorLocals, inlineError, seeOther } from '../kit.ts';

export function smsRoutePages({ get, post, page, services }: ConsoleKit): void {
  const { smsRoutes: routes, smsAccounts, clients } = services;
  const BASE = '/admin/sms-routes';

  const show = async (ctx: Context, extra: Record<string, unknown> = {}, status?: number) => {
    const [list, accounts, apps] = await Promise.all([routes.list(), smsAccounts.list({ limit: 200 }), clients.list({ limit: 200 })]);
    const names = Object.fromEntries(accounts.items.map((a) => [a.id, a.name]));
    const notice = ctx.query.saved === '1' ? 'admin.saved' : ctx.query.deleted === '1' ? 'admin.deleted' : null;
    await page(ctx, 'sms-routes', 'sms_routes', { rules: list.items, implicit: list.implicit, accounts: accounts.items, apps: apps.items, names, notice, error: null, posted: {}, ...extra }, status);
  };

  /** Runs a change; an admin-fixable error re-renders the page with its message beside the field and what was typed. */
  const change = (ctx: Context, run: () => Promise<unknown>, done = '?saved=1') =>
    run().then(
      () => seeOther(ctx, `${BASE}${done}`),
      async (err) => {
        const e = inlineError(err);
        await show(ctx, { ...errorLocals(e), posted: (ctx.request as { body?: unknown }).body ?? {} }, e.status);
      },
    );

  get('/sms-routes', (ctx) => show(ctx));

  post('/sms-routes', (ctx) =>
    change(ctx, () =>
      routes.create(actorOf(ctx), {
        country: optionalText(ctx, 'country'),
        prefix: optionalText(ctx, 'prefix'),
        clientId: optionalText(ctx, 'clientId'),
        accountId: optionalText(ctx, 'accountId') ?? '',
        fallbackAccountId: optionalText(ctx, 'fallbackAccountId'),
        note: optionalText(ctx, 'note'),
        position: numberField(ctx, 'position'),
      }),
    ),
  );

  post('/sms-routes/:id/move', (ctx) => change(ctx, () => routes.update(actorOf(ctx), ctx.params.id!, { position: numberField(ctx, 'position') })));

  post('/sms-routes/:id/delete', (ctx) => change(ctx, () => routes.remove(actorOf(ctx), ctx.params.id!), '?deleted=1'));
}
