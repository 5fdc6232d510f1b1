// Console pages behind the admin sign-in; each page gets the admin, the CSRF token and the layout's data.
import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Csrf } from '../../security/csrf.ts';
import type { ScreenRenderer } from '../../views.ts';
import type { AdminServices } from '../services/index.ts';
import type { Dashboard } from './dashboard.ts';
import { consoleKit, consolePage, languageSwitch } from './kit.ts';
import { apiDocsPages } from './pages/api-docs.ts';
import { appPages } from './pages/apps.ts';
import { brandingPages } from './pages/branding.ts';
import { connectionPages } from './pages/connection.ts';
import { connectionTryPages } from './pages/connection-try.ts';
import { factorPages } from './pages/factor.ts';
import { logPages } from './pages/logs.ts';
import { policyPages } from './pages/policies.ts';
import { smsAccountPages } from './pages/sms-accounts.ts';
import { smsResourcePages } from './pages/sms-resources.ts';
import { smsRoutePages } from './pages/sms-routes.ts';
import { spendPages } from './pages/spend.ts';
import { templatePages } from './pages/templates.ts';
import { userPages } from './pages/users.ts';

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

export function consoleRoutes({ screens, csrf, dashboard, requireAdmin, services, issuer }: ConsoleDeps): Router {
  const router = new Router({ prefix: '/admin' });
  const page = consolePage(screens, csrf);

  router.get('/', requireAdmin, async (ctx) => {
    const data = await dashboard();
    const max = Math.max(1, ...data.days.map((d) => Math.max(d.sent, d.delivered, d.verified)));
    await page(ctx, 'dashboard', 'dashboard', { ...data, max });
  });

  const kit = consoleKit({ router, page, services, csrf, requireAdmin, issuer });
  languageSwitch(kit);
  for (const pages of [appPages, userPages, smsAccountPages, smsResourcePages, smsRoutePages, templatePages, connectionPages, connectionTryPages, factorPages, policyPages, logPages, spendPages, apiDocsPages, brandingPages]) pages(kit);

  return router;
}
