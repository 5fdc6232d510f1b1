// Apps (OIDC clients): list, add, edit, delete, rotate the secret; a new secret is shown once, on the page that made it.
import type { Context } from 'koa';
import type { ClientView } from '../../services/schemas/clients.ts';
import { AUTH_METHODS, clientCreateInput, clientPatchInput, GRANT_TYPES } from '../../services/schemas/clients.ts';
import { parseWith } from '../../../errors.ts';
import { checkbox, lines, many, optionalText, text } from '../form.ts';
import { actorOf, type ConsoleKit, errorLocals, inlineError, seeOther } from '../kit.ts';
import { BUILTIN_CLIENTS } from '../try-app.ts';

type AppValues = Pick<ClientView, 'client_name' | 'redirect_uris' | 'post_logout_redirect_uris' | 'grant_types' | 'token_endpoint_auth_method' | 'first_party' | 'disabled'> & {
  client_id: string;
  scope: string | null;
};

const blank: AppValues = {
  client_id: '',
  client_name: '',
  redirect_uris: [],
  post_logout_redirect_uris: [],
  grant_types: ['authorization_code', 'refresh_token'],
  token_endpoint_auth_method: 'client_secret_basic',
  scope: null,
  first_party: false,
  disabled: false,
};

/** The form as the clients service takes it (create and update share the fields). */
function appInput(ctx: Context) {
  return {
    client_name: text(ctx, 'client_name'),
    redirect_uris: lines(ctx, 'redirect_uris'),
    post_logout_redirect_uris: lines(ctx, 'post_logout_redirect_uris'),
    grant_types: many(ctx, 'grant_types'),
    token_endpoint_auth_method: text(ctx, 'token_endpoint_auth_method'),
    scope: optionalText(ctx, 'scope') ?? null,
    first_party: checkbox(ctx, 'first_party'),
    disabled: checkbox(ctx, 'disabled'),
  };
}

export function appPages({ get, post, page, services }: ConsoleKit): void {
  const { clients } = services;
  const choices = { grantTypes: GRANT_TYPES, authMethods: AUTH_METHODS };
  const list = async (ctx: Context, extra: Record<string, unknown> = {}, status?: number) => {
    const cursor = typeof ctx.query.cursor === 'string' ? ctx.query.cursor : undefined;
    const result = await clients.list({ limit: 50, cursor });
    await page(ctx, 'apps', 'apps', { apps: result.items, nextCursor: result.nextCursor, builtin: BUILTIN_CLIENTS, deleted: ctx.query.deleted === '1', error: null, ...extra }, status);
  };
  const form = (ctx: Context, values: AppValues, extra: Record<string, unknown> = {}, status?: number) =>
    page(ctx, 'app-form', 'apps', { values, ...choices, isNew: !values.client_id || extra.isNew === true, secret: null, saved: false, error: null, errorField: '', builtin: BUILTIN_CLIENTS, ...extra }, status);

  get('/apps', (ctx) => list(ctx));
  get('/apps/new', (ctx) => form(ctx, blank, { isNew: true }));

  post('/apps', async (ctx) => {
    const input = { ...appInput(ctx), client_id: optionalText(ctx, 'client_id')?.trim() };
    try {
      const created = await clients.create(actorOf(ctx), parseWith(clientCreateInput, input, 'client_invalid'));
      // The secret exists only in this response: shown now, never again.
      await form(ctx, created, { secret: created.client_secret, saved: true }, 201);
    } catch (err) {
      const e = inlineError(err);
      await form(ctx, { ...input, client_id: input.client_id ?? '' }, { isNew: true, ...errorLocals(e) }, e.status);
    }
  });

  get('/apps/:id', async (ctx) => form(ctx, await clients.get(ctx.params.id!), { saved: ctx.query.saved === '1' }));

  post('/apps/:id', async (ctx) => {
    const id = ctx.params.id!;
    const input = appInput(ctx);
    try {
      await clients.update(actorOf(ctx), id, parseWith(clientPatchInput, input, 'client_invalid'));
      seeOther(ctx, `/admin/apps/${encodeURIComponent(id)}?saved=1`);
    } catch (err) {
      const e = inlineError(err);
      await form(ctx, { ...input, client_id: id }, errorLocals(e), e.status);
    }
  });

  post('/apps/:id/secret', async (ctx) => {
    const id = ctx.params.id!;
    try {
      const rotated = await clients.rotateSecret(actorOf(ctx), id);
      await form(ctx, rotated, { secret: rotated.client_secret });
    } catch (err) {
      const e = inlineError(err);
      await form(ctx, await clients.get(id), errorLocals(e), e.status);
    }
  });

  post('/apps/:id/delete', async (ctx) => {
    try {
      await clients.remove(actorOf(ctx), ctx.params.id!);
      seeOther(ctx, '/admin/apps?deleted=1');
    } catch (err) {
      const e = inlineError(err);
      await list(ctx, errorLocals(e), e.status);
    }
  });
}
