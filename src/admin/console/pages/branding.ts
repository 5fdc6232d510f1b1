// Branding: the installation's (every app without its own shows it) and each app's own, with logo and favicon uploads.
import type { Context } from 'koa';
import { dataUrl } from '../../../branding/images.ts';
import { brandingPatchInput } from '../../../branding/schema.ts';
import { parseWith } from '../../../errors.ts';
import type { UploadedFile } from '../../../http/forms.ts';
import { brandingView } from '../../services/branding.ts';
import { checkbox, text } from '../form.ts';
import { actorOf, type ConsoleKit, errorLocals, inlineError, seeOther } from '../kit.ts';

/** Two images, a stylesheet and the text fields, base64 and form encoding included. */
const MAX_FORM_BYTES = 512 * 1024;
const TEXTS = ['name', 'primaryColor', 'supportContact', 'css'] as const;
const IMAGES = ['logo', 'favicon'] as const;

type Values = Record<(typeof TEXTS)[number], string> & Record<`${(typeof IMAGES)[number]}Pending`, string>;

const blank: Values = { name: '', primaryColor: '', supportContact: '', css: '', logoPending: '', faviconPending: '' };

export function brandingPages(kit: ConsoleKit): void {
  const { get, postFiles, page, services } = kit;
  const { branding, clients } = services;

  const show = async (ctx: Context, clientId: string | null, values?: Values, extra: Record<string, unknown> = {}, status?: number) => {
    const stored = await branding.stored(clientId);
    const app = clientId ? await clients.get(clientId) : null;
    const [apps, own] = clientId ? [[], []] : await Promise.all([clients.list({ limit: 200 }).then((p) => p.items), branding.listApps()]);
    const ownIds = new Set(own.map((b) => b.clientId));
    await page(
      ctx,
      'branding',
      'branding',
      {
        clientId,
        appName: app?.client_name ?? null,
        action: clientId ? `/admin/branding/apps/${encodeURIComponent(clientId)}` : '/admin/branding',
        stored: brandingView(stored),
        values: values ?? { ...blank, ...Object.fromEntries(TEXTS.map((k) => [k, stored[k] ?? ''])) },
        apps: apps.map((a) => ({ id: a.client_id, name: a.client_name, own: ownIds.has(a.client_id) })),
        saved: ctx.query.saved === '1',
        error: null,
        errorField: '',
        ...extra,
      },
      status,
    );
  };

  /** A chosen file, else the image kept from a form sent back, else "remove", else left as stored. */
  const image = (ctx: Context, name: (typeof IMAGES)[number]): string | null | undefined => {
    const file = (ctx.state.files as Record<string, UploadedFile> | undefined)?.[name];
    if (file) return dataUrl({ type: file.type || 'application/octet-stream', data: file.data });
    const pending = text(ctx, `${name}Pending`);
    if (pending) return pending;
    return checkbox(ctx, `${name}Remove`) ? null : undefined;
  };

  const save = async (ctx: Context, clientId: string | null) => {
    const posted = Object.fromEntries(TEXTS.map((k) => [k, text(ctx, k)])) as Record<(typeof TEXTS)[number], string>;
    const change = {
      ...Object.fromEntries(TEXTS.map((k) => [k, k === 'css' ? posted[k] || null : posted[k].trim() || null])),
      ...Object.fromEntries(IMAGES.map((k) => [k, image(ctx, k)]).filter(([, v]) => v !== undefined)),
    };
    try {
      await branding.update(actorOf(ctx), clientId, parseWith(brandingPatchInput, change, 'validation_failed', { status: 400 }));
      seeOther(ctx, `${clientId ? `/admin/branding/apps/${encodeURIComponent(clientId)}` : '/admin/branding'}?saved=1`);
    } catch (err) {
      const e = inlineError(err);
      // A chosen image is kept (as a data URL) unless it is the field that is wrong.
      const failed = new Set(((e.details as { issues?: { path: string }[] } | undefined)?.issues ?? []).map((i) => i.path));
      const pending = Object.fromEntries(IMAGES.map((k) => [`${k}Pending`, typeof change[k] === 'string' && !failed.has(k) ? change[k] : '']));
      await show(ctx, clientId, { ...posted, ...pending } as Values, errorLocals(e), e.status);
    }
  };

  get('/branding', (ctx) => show(ctx, null));
  postFiles('/branding', MAX_FORM_BYTES, (ctx) => save(ctx, null));
  get('/branding/apps/:clientId', (ctx) => show(ctx, ctx.params.clientId!));
  postFiles('/branding/apps/:clientId', MAX_FORM_BYTES, (ctx) => save(ctx, ctx.params.clientId!));
}
