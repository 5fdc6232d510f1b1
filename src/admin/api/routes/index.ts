// The admin API's route table: every operation, in one list the router registers and the OpenAPI document describes.
import type { AdminServices } from '../../services/index.ts';
import type { AnyRoute } from '../route.ts';
import { brandingRoutes } from './branding.ts';
import { clientRoutes } from './clients.ts';
import { keyRoutes } from './keys.ts';
import { logRoutes } from './logs.ts';
import { policyRoutes } from './policies.ts';
import { settingsRoutes } from './settings.ts';
import { smsAccountRoutes } from './sms-accounts.ts';
import { smsResourceRoutes } from './sms-resources.ts';
import { smsRouteRoutes } from './sms-routes.ts';
import { spendRoutes } from './spend.ts';
import { templateRoutes } from './templates.ts';
import { userRoutes } from './users.ts';

export function adminRoutes(services: AdminServices): AnyRoute[] {
  return [
    ...clientRoutes(services),
    ...userRoutes(services),
    ...smsAccountRoutes(services),
    ...smsResourceRoutes(services),
    ...smsRouteRoutes(services),
    ...templateRoutes(services),
    ...settingsRoutes(services),
    ...policyRoutes(services),
    ...logRoutes(services),
    ...(services.spend ? spendRoutes(services.spend) : []),
    ...keyRoutes(services),
    ...brandingRoutes(services),
  ];
}
