// Templates: the purpose × language grid, the editor with a preview (a Preview button, and live through a JSON endpoint).
import type { Context } from 'koa';
import { PURPOSES, type Purpose } from '../../../sms/types.ts';
import { parseWith } from '../../../errors.ts';
import { templatePreviewInput, templateSaveInput, type TemplateView } from '../../services/schemas/templates.ts';
import { text } from '../form.ts';
import { actorOf, type ConsoleKit, errorLocals, inlineError, seeOther } from '../kit.ts';

interface Scope {
  purpose: Purpose;
  language: string;
  accountId: string | null;
  region: 'domestic' | 'international' | null;
}

const isPurpose = (v: unknown): v is Purpose => typeof v === 'string' && (PURPOSES as readonly string[]).includes(v);
const one = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/** The scope named by a query or a form; null when the purpose or language is missing. */
function scopeOf(get: (name: string) => string): Scope | null {
  const purpose = get('purpose');
  const language = get('language').trim();
  if (!isPurpose(purpose) || !language || language.length > 35) return null;
  const region = get('region');
  return { purpose, language, accountId: get('accountId').trim() || null, region: region === 'domestic' || region === 'international' ? region : null };
}

export function editorUrl(s: Scope, extra = ''): string {
  const q = new URLSearchParams({ purpose: s.purpose, language: s.language });
  if (s.accountId) q.set('accountId', s.accountId);
  if (s.region) q.set('region', s.region);
  return `/admin/templates/edit?${q}${extra}`;
}

export function templatePages({ get, post, page, services }: ConsoleKit): void {
  const { templates, smsAccounts, smsResources } = services;
  const builtins = () => templates.builtins();
  const builtinLanguages = () => [...new Set(builtins().map((b) => b.language))];

  async function stored(s: Scope): Promise<TemplateView | undefined> {
    const found = await templates.list({ purpose: s.purpose, language: s.language, limit: 200 });
    return found.items.find((t) => t.accountId === s.accountId && t.region === s.region);
  }

  const builtinBody = (s: Scope) =>
    builtins().find((b) => b.purpose === s.purpose && b.language === s.language)?.body ?? builtins().find((b) => b.purpose === s.purpose && b.language === 'en')?.body ?? '';

  /** Preview of a body; its error (e.g. the code is missing) is shown instead of the figures. */
  async function previewOf(s: Scope, body: string) {
    try {
      return { preview: await templates.preview(parseWith(templatePreviewInput, { purpose: s.purpose, language: s.language, body }, 'sms_template_invalid')), previewError: null, previewCode: null };
    } catch (err) {
      const e = inlineError(err);
      return { preview: null, previewError: e.message, previewCode: e.code };
    }
  }

  async function editor(ctx: Context, s: Scope, body: string, extra: Record<string, unknown> = {}, status?: number) {
    const [current, accounts, shown] = await Promise.all([stored(s), smsAccounts.list({ limit: 200 }), previewOf(s, body)]);
    await page(ctx, 'template-edit', 'templates', { tpl: s, body, current: current ?? null, accounts: accounts.items, ...shown, saved: false, error: null, errorField: '', ...extra }, status);
  }

  get('/templates', async (ctx) => {
    const [all, accounts] = await Promise.all([templates.list({ limit: 200 }), smsAccounts.list({ limit: 200 })]);
    const generic = all.items.filter((t) => !t.accountId && !t.region);
    const languages = [...new Set([...builtinLanguages(), ...generic.map((t) => t.language)])];
    const custom = new Set(generic.map((t) => `${t.purpose}|${t.language}`));
    const cells = PURPOSES.map((purpose) => ({
      purpose,
      cells: languages.map((language) => ({ language, custom: custom.has(`${purpose}|${language}`), url: editorUrl({ purpose, language, accountId: null, region: null }) })),
    }));
    const narrowed = all.items.filter((t) => t.accountId || t.region).map((t) => ({ ...t, url: editorUrl(t) }));
    const accountNames = new Map(accounts.items.map((a) => [a.id, a.name]));
    // Template-code accounts (e.g. Alibaba) send approved provider templates: show what each purpose, region and language resolves to.
    const mapped = await Promise.all(
      accounts.items
        .filter((a) => smsAccounts.providers.find(a.provider)?.templateCodes === true)
        .map(async (a) => ({ account: a, rows: await smsResources.resolution(a.id) })),
    );
    await page(ctx, 'templates', 'templates', { languages, rows: cells, narrowed, mapped, accounts: accounts.items, accountNames, purposes: PURPOSES, deleted: ctx.query.deleted === '1' });
  });

  get('/templates/edit', async (ctx) => {
    const s = scopeOf((n) => one(ctx.query[n]));
    if (!s) return seeOther(ctx, '/admin/templates');
    const current = await stored(s);
    await editor(ctx, s, current?.body ?? builtinBody(s), { saved: ctx.query.saved === '1' });
  });

  post('/templates/edit', async (ctx) => {
    const s = scopeOf((n) => text(ctx, n));
    if (!s) return seeOther(ctx, '/admin/templates');
    const body = text(ctx, 'body');
    if (text(ctx, 'intent') === 'preview') return editor(ctx, s, body);
    try {
      await templates.save(actorOf(ctx), parseWith(templateSaveInput, { ...s, body }, 'sms_template_invalid'));
      seeOther(ctx, editorUrl(s, '&saved=1'));
    } catch (err) {
      const e = inlineError(err);
      await editor(ctx, s, body, errorLocals(e), e.status);
    }
  });

  /** The editor's live preview: the same service preview, as JSON for the page's script. */
  post('/templates/preview', async (ctx) => {
    ctx.set('cache-control', 'no-store');
    const s = scopeOf((n) => text(ctx, n));
    if (!s) {
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', message: 'purpose and language are required' };
      return;
    }
    const { preview, previewError, previewCode } = await previewOf(s, text(ctx, 'body'));
    ctx.status = preview ? 200 : 400;
    ctx.body = preview ? { text: preview.text, encoding: preview.encoding, characters: preview.characters, units: preview.units, segments: preview.segments, alternative: preview.alternative } : { error: previewCode, message: previewError };
  });

  post('/templates/:id/delete', async (ctx) => {
    await templates.remove(actorOf(ctx), ctx.params.id!);
    seeOther(ctx, '/admin/templates?deleted=1');
  });
}
