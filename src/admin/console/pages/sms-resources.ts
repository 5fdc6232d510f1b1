// An account's signatures, provider templates and "Authorize app" grants: lists with preview, add and delete forms.
import type { Context } from 'koa';
import { checkbox, optionalText, text, words } from '../form.ts';
import { actorOf, type ConsoleKit, errorLocals, inlineError, seeOther } from '../kit.ts';

/** `code=code, product=application_name` → { code: 'code', product: 'application_name' }. */
function mapping(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of raw.split(/[\s,]+/).filter(Boolean)) {
    const [param, variable] = pair.split('=');
    out[(param ?? '').trim()] = (variable ?? '').trim();
  }
  return out;
}

export function smsResourcePages({ get, post, page, services }: ConsoleKit): void {
  const { smsAccounts, smsResources: r } = services;
  const base = (id: string) => `/admin/sms-accounts/${encodeURIComponent(id)}/resources`;

  const show = async (ctx: Context, id: string, extra: Record<string, unknown> = {}, status?: number) => {
    const account = await smsAccounts.get(id);
    const templateCodes = smsAccounts.providers.find(account.provider)?.templateCodes === true;
    const [signatures, templates, access, checked] = await Promise.all([
      r.signatures.list({ accountId: id, limit: 200 }),
      r.templates.list({ accountId: id, limit: 200 }),
      r.access.get(id),
      templateCodes ? r.problems(id) : Promise.resolve({ problems: [], reportUrl: null }),
    ]);
    const previews = Object.fromEntries(await Promise.all(templates.items.map(async (t) => [t.id, await r.templates.preview(t.id, {})] as const)));
    const notice = ctx.query.saved === '1' ? 'admin.saved' : ctx.query.deleted === '1' ? 'admin.deleted' : null;
    await page(
      ctx,
      'sms-resources',
      'sms_accounts',
      { account, templateCodes, signatures: signatures.items, templates: templates.items, previews, access, ...checked, notice, error: null, errorField: '', posted: {}, ...extra },
      status,
    );
  };

  /** Runs a change; an admin-fixable error re-renders the page with the message and what was typed. */
  const change = (ctx: Context, id: string, run: () => Promise<unknown>, done = '?saved=1') =>
    run().then(
      () => seeOther(ctx, `${base(id)}${done}`),
      async (err) => {
        const e = inlineError(err);
        await show(ctx, id, { ...errorLocals(e), posted: (ctx.request as { body?: unknown }).body ?? {} }, e.status);
      },
    );

  get('/sms-accounts/:id/resources', (ctx) => show(ctx, ctx.params.id!));

  post('/sms-accounts/:id/access', (ctx) => {
    const id = ctx.params.id!;
    return change(ctx, id, () => r.access.set(actorOf(ctx), id, { general: checkbox(ctx, 'general'), clientIds: words(ctx, 'clientIds') }));
  });

  post('/sms-accounts/:id/signatures', (ctx) => {
    const id = ctx.params.id!;
    return change(ctx, id, () =>
      r.signatures.create(actorOf(ctx), { accountId: id, signName: text(ctx, 'signName'), region: text(ctx, 'region'), note: optionalText(ctx, 'note'), general: checkbox(ctx, 'general'), clientIds: words(ctx, 'clientIds') }),
    );
  });

  post('/sms-accounts/:id/signatures/:sid/delete', (ctx) => {
    const id = ctx.params.id!;
    return change(ctx, id, () => r.signatures.remove(actorOf(ctx), ctx.params.sid!), '?deleted=1');
  });

  post('/sms-accounts/:id/templates', (ctx) => {
    const id = ctx.params.id!;
    return change(ctx, id, () =>
      r.templates.create(actorOf(ctx), {
        accountId: id,
        code: text(ctx, 'code'),
        purpose: text(ctx, 'purpose'),
        region: text(ctx, 'region'),
        language: optionalText(ctx, 'language'),
        params: mapping(text(ctx, 'params')),
        general: checkbox(ctx, 'general'),
        clientIds: words(ctx, 'clientIds'),
      }),
    );
  });

  post('/sms-accounts/:id/templates/:tid/refresh', (ctx) => {
    const id = ctx.params.id!;
    return change(ctx, id, () => r.templates.refresh(actorOf(ctx), ctx.params.tid!));
  });

  post('/sms-accounts/:id/templates/:tid/delete', (ctx) => {
    const id = ctx.params.id!;
    return change(ctx, id, () => r.templates.remove(actorOf(ctx), ctx.params.tid!), '?deleted=1');
  });
}
