// An account's signatures, provider templates and "Authorize app" grants: lists with preview, add, edit and delete forms.
import type { Context } from 'koa';
import { AppError } from '../../../errors.ts';
import { PURPOSES } from '../../../sms/purposes.ts';
import { paramsOf } from '../../../sms/resources/text.ts';
import { TEMPLATE_VARIABLES } from '../../../sms/resources/types.ts';
import { checkbox, nullableText, optionalText, text, words } from '../form.ts';
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

/** The edit form's mapping: one select per parameter (`params.<name>`, blank: not mapped), or the free-text field. */
function mappingOf(ctx: Context): Record<string, string> {
  const body = ((ctx.request as { body?: unknown }).body ?? {}) as Record<string, unknown>;
  if (typeof body.params === 'string') return mapping(body.params);
  // The form parser reads `params.code=code` as { params: { code: 'code' } }.
  const out: Record<string, string> = {};
  const fields = body.params && typeof body.params === 'object' && !Array.isArray(body.params) ? (body.params as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(fields)) if (typeof v === 'string' && v.trim()) out[k] = v.trim();
  return out;
}

/** A signature or template named under another account's URL is as missing as one that does not exist. */
function ofAccount<T extends { accountId: string }>(r: T, accountId: string, code: 'sms_signature_not_found' | 'sms_provider_template_not_found', id: string): T {
  if (r.accountId !== accountId) throw new AppError(code, 404, { message: `${code === 'sms_signature_not_found' ? 'SMS signature' : 'SMS provider template'} ${JSON.stringify(id)} does not exist` });
  return r;
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

  const signatureForm = async (ctx: Context, values?: Record<string, unknown>, extra: Record<string, unknown> = {}, status?: number) => {
    const id = ctx.params.id!;
    const account = await smsAccounts.get(id);
    const signature = ofAccount(await r.signatures.get(ctx.params.sid!), id, 'sms_signature_not_found', ctx.params.sid!);
    const shown = values ?? { signName: signature.signName, region: signature.region, note: signature.note ?? '', general: signature.general, clientIds: signature.clientIds.join(', ') };
    const notice = ctx.query.saved === '1' ? 'admin.saved' : null;
    await page(ctx, 'sms-signature-form', 'sms_accounts', { account, signature, values: shown, notice, error: null, errorField: '', ...extra }, status);
  };

  get('/sms-accounts/:id/signatures/:sid', (ctx) => signatureForm(ctx));

  post('/sms-accounts/:id/signatures/:sid', async (ctx) => {
    const id = ctx.params.id!;
    const sid = ctx.params.sid!;
    ofAccount(await r.signatures.get(sid), id, 'sms_signature_not_found', sid);
    const input = { signName: text(ctx, 'signName'), region: text(ctx, 'region'), note: nullableText(ctx, 'note'), general: checkbox(ctx, 'general'), clientIds: words(ctx, 'clientIds') };
    try {
      await r.signatures.update(actorOf(ctx), sid, input);
      seeOther(ctx, `${base(id).replace(/resources$/, 'signatures')}/${encodeURIComponent(sid)}?saved=1`);
    } catch (err) {
      const e = inlineError(err);
      await signatureForm(ctx, { ...input, note: input.note ?? '', clientIds: text(ctx, 'clientIds') }, errorLocals(e), e.status);
    }
  });

  post('/sms-accounts/:id/signatures/:sid/delete', async (ctx) => {
    const id = ctx.params.id!;
    ofAccount(await r.signatures.get(ctx.params.sid!), id, 'sms_signature_not_found', ctx.params.sid!);
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

  const templateForm = async (ctx: Context, values?: { purpose: string; region: string; language: string; params: Record<string, string>; general: boolean; clientIds: string }, extra: Record<string, unknown> = {}, status?: number) => {
    const id = ctx.params.id!;
    const account = await smsAccounts.get(id);
    const template = ofAccount(await r.templates.get(ctx.params.tid!), id, 'sms_provider_template_not_found', ctx.params.tid!);
    const shown = values ?? { purpose: template.purpose, region: template.region, language: template.language ?? '', params: template.params, general: template.general, clientIds: template.clientIds.join(', ') };
    // With the approved text known, one select per parameter it uses (and any mapped besides); without it, free text.
    const paramNames = template.text === null ? [] : [...new Set([...paramsOf(template.text), ...Object.keys(template.params)])];
    const preview = await r.templates.preview(template.id, {});
    const notice = ctx.query.saved === '1' ? 'admin.saved' : null;
    await page(
      ctx,
      'sms-template-form',
      'sms_accounts',
      { account, template, values: shown, paramNames, variables: TEMPLATE_VARIABLES, purposes: PURPOSES, preview, notice, error: null, errorField: '', ...extra },
      status,
    );
  };

  get('/sms-accounts/:id/templates/:tid', (ctx) => templateForm(ctx));

  post('/sms-accounts/:id/templates/:tid', async (ctx) => {
    const id = ctx.params.id!;
    const tid = ctx.params.tid!;
    ofAccount(await r.templates.get(tid), id, 'sms_provider_template_not_found', tid);
    const input = { purpose: text(ctx, 'purpose'), region: text(ctx, 'region'), language: nullableText(ctx, 'language'), params: mappingOf(ctx), general: checkbox(ctx, 'general'), clientIds: words(ctx, 'clientIds') };
    try {
      await r.templates.update(actorOf(ctx), tid, input);
      seeOther(ctx, `${base(id).replace(/resources$/, 'templates')}/${encodeURIComponent(tid)}?saved=1`);
    } catch (err) {
      const e = inlineError(err);
      await templateForm(ctx, { ...input, language: input.language ?? '', clientIds: text(ctx, 'clientIds') }, errorLocals(e), e.status);
    }
  });

  post('/sms-accounts/:id/templates/:tid/refresh', async (ctx) => {
    const id = ctx.params.id!;
    const tid = ctx.params.tid!;
    ofAccount(await r.templates.get(tid), id, 'sms_provider_template_not_found', tid);
    if (text(ctx, 'from') !== 'form') return change(ctx, id, () => r.templates.refresh(actorOf(ctx), tid));
    // From the template's own form: back to it, with the outcome.
    try {
      await r.templates.refresh(actorOf(ctx), tid);
      seeOther(ctx, `${base(id).replace(/resources$/, 'templates')}/${encodeURIComponent(tid)}?saved=1`);
    } catch (err) {
      const e = inlineError(err);
      await templateForm(ctx, undefined, errorLocals(e), e.status);
    }
  });

  post('/sms-accounts/:id/templates/:tid/delete', async (ctx) => {
    const id = ctx.params.id!;
    ofAccount(await r.templates.get(ctx.params.tid!), id, 'sms_provider_template_not_found', ctx.params.tid!);
    return change(ctx, id, () => r.templates.remove(actorOf(ctx), ctx.params.tid!), '?deleted=1');
  });
}
