// Console pages behind the admin sign-in; each page gets the admin, the CSRF token and the layout's data.
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { translator } from '../../i18n/index.ts';
import type { Csrf } from '../../security/csrf.ts';
import type { ScreenRenderer } from '../../views.ts';
import type { AdminServices } from '../services/index.ts';
import type { Dashboard } from './dashboard.ts';
import { fieldHelpers } from './field-errors.ts';
import { consoleKit } from './kit.ts';
import { appPages } from './pages/apps.ts';
import { connectionPages } from './pages/connection.ts';
import { connectionTryPages } from './pages/connection-try.ts';
import { factorPages } from './pages/factor.ts';
import { logPages } from './pages/logs.ts';
import { policyPages } from './pages/policies.ts';
import { smsAccountPages } from './pages/sms-accounts.ts';
import { templatePages } from './pages/templates.ts';
import { userPages } from './pages/users.ts';
import { type AdminContextState, consoleCsrfKey } from './session.ts';

export interface ConsoleDeps {
  screens: ScreenRenderer;
  csrf: Csrf;
  dashboard: () => Promise<Dashboard>;
  /** Lets only signed-in admins through; put it on every console route. */
  requireAdmin: Middleware;
  /** The admin service layer the API uses too: every change goes through its rules and audit. */
  services: AdminServices;
  /** Codeword's own issuer URL ("Try" signs in through it). */
  issuer: string;
}

/** Renders a console page with what every page needs (admin name, CSRF token, active section). */
export function consolePage(screens: ScreenRenderer, csrf: Csrf) {
  return (ctx: Context, view: string, section: string, locals: Record<string, unknown> = {}, status?: number) => {
    const { admin, adminSid } = ctx.state as AdminContextState;
    const lang = 'en';
    const { invalid, fieldError } = fieldHelpers(locals, translator(lang));
    const common = { lang, section, adminName: admin.name ?? admin.username, csrf: csrf.token(consoleCsrfKey(adminSid)), invalid, fieldError };
    return screens.render(ctx, `admin/${view}`, { ...common, ...locals }, status);
  };
}

export function consoleRoutes({ screens, csrf, dashboard, requireAdmin, services, issuer }: ConsoleDeps): Router {
  const router = new Router({ prefix: '/admin' });
  const page = consolePage(screens, csrf);

  router.get('/', requireAdmin, async (ctx) => {
    const data = await dashboard();
    const max = Math.max(1, ...data.days.map((d) => Math.max(d.sent, d.delivered, d.verified)));
    await page(ctx, 'dashboard', 'dashboard', { ...data, max });
  });

  const kit = consoleKit({ router, page, services, csrf, requireAdmin, issuer });
  for (const pages of [appPages, userPages, smsAccountPages, templatePages, connectionPages, connectionTryPages, factorPages, policyPages, logPages]) pages(kit);

  return router;
}
