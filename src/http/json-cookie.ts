// Small signed cookies holding JSON (the demo app's and the console's own state), read defensively.
import type { Context } from 'koa';

export interface CookieOptions {
  secure: boolean;
  maxAgeMs?: number;
  path?: string;
}

export function readJsonCookie<T>(ctx: Context, name: string): T | undefined {
  const raw = ctx.cookies.get(name, { signed: true });
  if (!raw) return undefined;
  try {
    return JSON.parse(Buffer.from(raw, 'base64url').toString()) as T;
  } catch {
    return undefined;
  }
}

export function writeJsonCookie(ctx: Context, name: string, value: unknown, opts: CookieOptions): void {
  ctx.cookies.set(name, Buffer.from(JSON.stringify(value)).toString('base64url'), {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: opts.secure,
    path: opts.path ?? '/',
    ...(opts.maxAgeMs ? { maxAge: opts.maxAgeMs } : {}),
  });
}

export function clearCookie(ctx: Context, name: string, path = '/'): void {
  ctx.cookies.set(name, null, { path });
}
