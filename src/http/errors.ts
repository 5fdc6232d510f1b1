// Turns errors thrown by our routes into localized error screens (or JSON for API paths); never a stack trace.
import type { Middleware } from 'koa';
import { isUniqueViolation } from '../db/constraints.ts';
import { AppError, isAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ScreenRenderer } from '../views.ts';

export function errorScreens(screens: ScreenRenderer, logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      // A unique key the route did not check first (e.g. a race between two requests) is a conflict, not a crash.
      const appErr = isAppError(err)
        ? err
        : isUniqueViolation(err)
          ? new AppError('conflict', 409, { message: 'a record with the same unique value already exists' })
          : undefined;
      const status = appErr?.status ?? 500;
      const code = appErr?.expose ? appErr.code : 'server_error';
      if (status >= 500) logger.error({ err, path: ctx.path }, 'request failed');
      if (ctx.path.startsWith('/admin/api/') || ctx.accepts('html', 'json') === 'json') {
        ctx.status = status;
        const details = appErr?.expose ? (appErr.details ?? (Object.keys(appErr.params).length ? appErr.params : undefined)) : undefined;
        ctx.body = { error: code, message: appErr?.expose ? appErr.message : 'internal error', ...(details === undefined ? {} : { details }) };
        return;
      }
      await screens.renderError(ctx, code, undefined, status);
    }
  };
}
