// Shared helpers for interaction routes: load the interaction bound to this browser, parse forms, finish.
import { bodyParser } from '@koa/bodyparser';
import type { Context, Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { AppError } from '../../errors.ts';

export type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/** Loads the interaction from the browser's interaction cookie and checks it is the one in the URL. */
export async function loadInteraction(provider: Provider, ctx: Context): Promise<Interaction> {
  let details: Interaction;
  try {
    details = await provider.interactionDetails(ctx.req, ctx.res);
  } catch {
    throw new AppError('session_not_found', 400);
  }
  if (details.uid !== ctx.params.uid) throw new AppError('session_not_found', 400);
  return details;
}

/** Finishes the interaction and sends the browser back to the authorization endpoint. */
export async function finish(provider: Provider, ctx: Context, result: InteractionResults, merge = false): Promise<void> {
  const url = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: merge });
  ctx.status = 303;
  ctx.redirect(url);
}

/** Form body parser for hosted screens: urlencoded only, small, malformed bodies are a 400. */
export const formBody: Middleware = bodyParser({
  enableTypes: ['form'],
  formLimit: '16kb',
  onError() {
    throw new AppError('bad_form', 400);
  },
}) as unknown as Middleware;

/** Reads a form field as a trimmed-or-raw string; anything else (arrays, objects) becomes undefined. */
export function field(ctx: Context, name: string): string | undefined {
  const body = (ctx.request as { body?: unknown }).body;
  if (!body || typeof body !== 'object') return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

export function clientIp(ctx: Context): string {
  return ctx.ip || 'unknown';
}
