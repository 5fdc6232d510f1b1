// Turns errors thrown by our routes into localized error screens, or Codeword's one JSON error body { error, message, details }; never a stack trace.
import type { Middleware } from 'koa';
import { isUniqueViolation } from '../db/constraints.ts';
import { isConnectionError, RETRY_AFTER_SECONDS, unavailable } from '../db/retry.ts';
import { AppError, isAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ScreenRenderer } from '../views.ts';

/** `details` as API clients read it: every field issue under `issues` (path + message), or the error's own structured detail. */
export function detailsOf(err: AppError): unknown {
  if (err.details !== undefined) return err.details;
  // Messages follow "path: what is wrong"; an error raised without params.field still names its field that way.
  const field = typeof err.params.field === 'string' && err.params.field ? err.params.field : /^([A-Za-z_][\w.]*): /.exec(err.message)?.[1];
  if (field) {
    const message = err.message.startsWith(`${field}: `) ? err.message.slice(field.length + 2) : err.message;
    return { issues: [{ path: field, message }] };
  }
  return Object.keys(err.params).length ? err.params : undefined;
}

export function errorScreens(screens: ScreenRenderer, logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      // A unique key the route did not check first (e.g. a race between two requests) is a conflict, not a crash.
      // An unreachable database (e.g. restarting) is a 503 to try again after Retry-After, never a 500.
      const appErr = isAppError(err)
        ? err
        : isUniqueViolation(err)
          ? new AppError('conflict', 409, { message: 'a record with the same unique value already exists' })
          : isConnectionError(err) || (err as { error?: unknown } | null)?.error === 'temporarily_unavailable'
            ? unavailable()
            : undefined;
      if (appErr?.code === 'temporarily_unavailable') ctx.set('retry-after', String(RETRY_AFTER_SECONDS));
      const status = appErr?.status ?? 500;
      const code = appErr?.expose ? appErr.code : 'server_error';
      if (status === 503) logger.warn({ err, path: ctx.path }, 'database unavailable');
      else if (status >= 500) logger.error({ err, path: ctx.path }, 'request failed');
      if (ctx.path.startsWith('/admin/api/') || ctx.accepts('html', 'json') === 'json') {
        ctx.status = status;
        const details = appErr?.expose ? detailsOf(appErr) : undefined;
        ctx.body = { error: code, message: appErr?.expose ? appErr.message : 'internal error', ...(details === undefined ? {} : { details }) };
        return;
      }
      await screens.renderError(ctx, code, undefined, status);
    }
  };
}
