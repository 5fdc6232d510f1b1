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

/** A file of a multipart form, as the browser sent it. */
export interface UploadedFile {
  type: string;
  data: Buffer;
}

/**
 * Multipart form parser (forms with file inputs), read with the platform's own FormData parser: text fields become
 * the body, files go to `ctx.state.files`; empty file inputs are left out. A body over `maxBytes` is a 413.
 */
export function multipartBody(maxBytes: number): Middleware {
  return async (ctx, next) => {
    if (!ctx.is('multipart/form-data')) throw new AppError('unsupported_media_type', 415, { message: 'send the form as multipart/form-data' });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw new AppError('body_too_large', 413, { message: `the form is larger than ${Math.round(maxBytes / 1024)} kB` });
      chunks.push(chunk as Buffer);
    }
    let form: FormData;
    try {
      form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': ctx.get('content-type') } }).formData();
    } catch {
      throw new AppError('bad_form', 400);
    }
    const body: Record<string, string> = {};
    const files: Record<string, UploadedFile> = {};
    for (const [name, value] of form.entries()) {
      if (typeof value === 'string') body[name] = value;
      else if (value.size > 0) files[name] = { type: value.type, data: Buffer.from(await value.arrayBuffer()) };
    }
    (ctx.request as { body?: unknown }).body = body;
    ctx.state.files = files;
    await next();
  };
}
