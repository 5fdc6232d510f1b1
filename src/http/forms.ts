// Form handling for hosted screens and the console: a small urlencoded parser and safe field reads.
import { bodyParser } from '@koa/bodyparser';
import type { Context, Middleware } from 'koa';
import { AppError } from '../errors.ts';

/** Form body parser: urlencoded only, small; a malformed or oversized body is a 400. */
export const formBody: Middleware = bodyParser({
  enableTypes: ['form'],
  formLimit: '16kb',
  onError() {
    throw new AppError('bad_form', 400);
  },
}) as unknown as Middleware;

/** Reads a form field as a string; anything else (repeated fields, nested objects) becomes undefined. */
export function field(ctx: Context, name: string): string | undefined {
  const body = (ctx.request as { body?: unknown }).body;
  if (!body || typeof body !== 'object') return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

export function clientIp(ctx: Context): string {
  return ctx.ip || 'unknown';
}
