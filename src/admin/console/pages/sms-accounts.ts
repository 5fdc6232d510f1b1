// SMS accounts: list with status, add per provider, edit (secrets masked), delete, verify with the provider, send a test.
import type { Context } from 'koa';
import { parseWith } from '../../../errors.ts';
import { smsTestInput } from '../../services/schemas/sms-accounts.ts';
import { checkbox, nullableText, optionalText, text } from '../form.ts';
import { actorOf, type ConsoleKit, errorLocals, inlineError, seeOther } from '../kit.ts';
import { type AccountValues, accountValues, emptyAccount, formOf, postedAccount, settingsInput } from './sms-account-form.ts';

export function smsAccountPages({ get, post, page, services }: ConsoleKit): void {
  const { smsAccounts, templates } = services;
  const languages = [...new Set(templates.builtins().map((b) => b.language))];
  const registry = smsAccounts.providers;
  const providerList = registry.list().map(formOf);

  const list = async (ctx: Context, extra: Record<string, unknown> = {}, status?: number) => {
    const result = await smsAccounts.list({ limit: 200 });
    await page(ctx, 'sms-accounts', 'sms_accounts', { accounts: result.items, providers: providerList, deleted: ctx.query.deleted === '1', error: null, ...extra }, status);
  };

  /** The account page: its form, status, verify, test send and delete. */
  const form = async (ctx: Context, values: AccountValues, extra: Record<string, unknown> = {}, status?: number) => {
    const account = values.id ? await smsAccounts.get(values.id) : null;
    const d = registry.find(values.provider);
    const provider = d ? formOf(d) : { kind: values.provider, label: values.provider, add: values.provider, note: null, proof: null, fields: [] };
    await page(
      ctx,
      'sms-account-form',
      'sms_accounts',
      { values, account, provider, languages, testTo: '', sent: null, notice: null, error: null, errorField: '', ...extra },
      status,
    );
  };

  get('/sms-accounts', (ctx) => list(ctx));

  get('/sms-accounts/new', async (ctx) => {
    const d = registry.find(typeof ctx.query.provider === 'string' ? ctx.query.provider : '') ?? registry.list()[0]!;
    await form(ctx, emptyAccount(d));
  });

  post('/sms-accounts', async (ctx) => {
    const d = registry.find(text(ctx, 'provider'));
    if (!d) return seeOther(ctx, '/admin/sms-accounts/new');
    const values = postedAccount(ctx, d, emptyAccount(d));
    try {
      const input = {
        name: text(ctx, 'name'),
        note: optionalText(ctx, 'note'),
        provider: d.kind,
        isDefault: checkbox(ctx, 'isDefault'),
        homeCountry: optionalText(ctx, 'homeCountry'),
        settings: settingsInput(ctx, d, false),
      };
      const created = await smsAccounts.create(actorOf(ctx), parseWith(smsAccounts.schemas.createInput, input, 'sms_account_invalid'));
      seeOther(ctx, `/admin/sms-accounts/${encodeURIComponent(created.id)}?saved=1`);
    } catch (err) {
      const e = inlineError(err);
      await form(ctx, values, errorLocals(e), e.status);
    }
  });

  const notices: Record<string, string> = { saved: 'admin.saved', verified: 'admin.sms_accounts.verify_done' };
  get('/sms-accounts/:id', async (ctx) => {
    const notice = Object.keys(notices).find((k) => ctx.query[k] === '1');
    await form(ctx, accountValues(registry, await smsAccounts.get(ctx.params.id!)), { notice: notice ? notices[notice] : null });
  });

  post('/sms-accounts/:id', async (ctx) => {
    const id = ctx.params.id!;
    const current = accountValues(registry, await smsAccounts.get(id));
    const d = registry.get(current.provider);
    const values = { ...postedAccount(ctx, d, current), masked: current.masked };
    try {
      const patch = {
        name: text(ctx, 'name'),
        note: nullableText(ctx, 'note'),
        isDefault: checkbox(ctx, 'isDefault'),
        homeCountry: nullableText(ctx, 'homeCountry'),
        settings: settingsInput(ctx, d, true),
      };
      await smsAccounts.update(actorOf(ctx), id, parseWith(smsAccounts.schemas.patchInput, patch, 'sms_account_invalid'));
      seeOther(ctx, `/admin/sms-accounts/${encodeURIComponent(id)}?saved=1`);
    } catch (err) {
      const e = inlineError(err);
      await form(ctx, values, errorLocals(e), e.status);
    }
  });

  post('/sms-accounts/:id/verify', async (ctx) => {
    const id = ctx.params.id!;
    await smsAccounts.verify(actorOf(ctx), id);
    seeOther(ctx, `/admin/sms-accounts/${encodeURIComponent(id)}?verified=1`);
  });

  post('/sms-accounts/:id/test', async (ctx) => {
    const id = ctx.params.id!;
    const values = accountValues(registry, await smsAccounts.get(id));
    const to = text(ctx, 'to').trim();
    const language = optionalText(ctx, 'language');
    try {
      const sent = await smsAccounts.testSend(actorOf(ctx), id, parseWith(smsTestInput, { to, ...(language ? { language } : {}) }, 'sms_request_invalid'));
      await form(ctx, values, { sent, testTo: to }, 202);
    } catch (err) {
      const e = inlineError(err);
      await form(ctx, values, { testTo: to, testError: e.message }, e.status);
    }
  });

  post('/sms-accounts/:id/delete', async (ctx) => {
    const id = ctx.params.id!;
    try {
      await smsAccounts.remove(actorOf(ctx), id);
      seeOther(ctx, '/admin/sms-accounts?deleted=1');
    } catch (err) {
      const e = inlineError(err);
      await form(ctx, accountValues(registry, await smsAccounts.get(id)), { deleteError: e.message }, e.status);
    }
  });
}
