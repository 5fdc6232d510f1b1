// Console pages behind the admin sign-in; each page gets the admin, the CSRF token and the layout's data.
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Csrf } from '../../security/csrf.ts';
import type { ScreenRenderer } from '../../views.ts';
import type { Dashboard } from './dashboard.ts';
import { type AdminContextState, consoleCsrfKey } from './session.ts';

export interface ConsoleDeps {
  screens: ScreenRenderer;
  csrf: Csrf;
  dashboard: () => Promise<Dashboard>;
  /** Lets only signed-in admins through; put it on every console route. */
  requireAdmin: Middleware;
}

/** Renders a console page with what every page needs (admin name, CSRF token, active section). */
export function consolePage(screens: ScreenRenderer, csrf: Csrf) {
  return (ctx: Context, view: string, section: string, locals: Record<string, unknown> = {}, status?: number) => {
    const { admin, adminSid } = ctx.state as AdminContextState;
    return screens.render(ctx, `admin/${view}`, { lang: 'en', section, adminName: admin.name ?? admin.username, csrf: csrf.token(consoleCsrfKey(adminSid)), ...locals }, status);
  };
}

export function consoleRoutes({ screens, csrf, dashboard, requireAdmin }: ConsoleDeps): Router {
  const router = new Router({ prefix: '/admin' });
  const page = consolePage(screens, csrf);

  router.get('/', requireAdmin, async (ctx) => {
    const data = await dashboard();
    const max = Math.max(1, ...data.days.map((d) => Math.max(d.sent, d.delivered, d.verified)));
    await page(ctx, 'dashboard', 'dashboard', { ...data, max });
  });

  return router;
}
