// Turns errors thrown by our routes into localized error screens (or JSON for API paths); never a stack trace.
import type { Middleware } from 'koa';
import { isAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ScreenRenderer } from '../views.ts';

export function errorScreens(screens: ScreenRenderer, logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const appErr = isAppError(err) ? err : undefined;
      const status = appErr?.status ?? 500;
      const code = appErr?.expose ? appErr.code : 'server_error';
      if (status >= 500) logger.error({ err, path: ctx.path }, 'request failed');
      if (ctx.path.startsWith('/admin/api/') || ctx.accepts('html', 'json') === 'json') {
        ctx.status = status;
        ctx.body = { error: code, message: appErr?.expose ? appErr.message : 'internal error' };
        return;
      }
      await screens.renderError(ctx, code, undefined, status);
    }
  };
}
