// /sms/spend and /sms/pumping: spend so far against caps and budgets (and lifting a stop), the defence's settings, blocks and unblocking.
import { z } from 'zod';
import { type Spend, spendSettingsSchema } from '../../../sms/spend/index.ts';
import { actorName } from '../../services/actor.ts';
import { type AnyRoute, defineRoute } from '../route.ts';

const kind = z.enum(['country_hourly', 'country_daily', 'budget_daily', 'budget_monthly']);
const line = z.object({
  kind,
  scope: z.string(),
  used: z.number(),
  max: z.number(),
  openMax: z.number(),
  state: z.enum(['open', 'reserve_only', 'stopped']),
  windowEndsAt: z.number().int(),
});
const statusView = z.object({ currency: z.string(), lines: z.array(line) });
const statusQuery = z.object({ countries: z.string().regex(/^([A-Za-z]{2})(,[A-Za-z]{2})*$/, 'must be ISO country codes separated by commas').max(300).optional() }).strict();
const liftBody = z
  .object({ limit: kind, scope: z.string().regex(/^(all|[A-Z]{2})$/, 'must be `all` or an ISO 3166-1 alpha-2 country code') })
  .strict()
  .refine((b) => b.limit.startsWith('budget') === (b.scope === 'all'), { message: 'budgets are lifted for `all`, caps for one country', path: ['scope'] });
const settingsBody = z.record(z.string(), z.unknown());
const settingsView = spendSettingsSchema.extend({ alertSecretSet: z.boolean() });
const block = z.object({
  id: z.number().int(),
  scope: z.enum(['prefix', 'ip', 'country']),
  key: z.string(),
  sends: z.number().int(),
  verified: z.number().int(),
  blockedAt: z.number().int(),
  unblockedAt: z.number().int().nullable(),
  unblockedBy: z.string().nullable(),
});
const blockParams = z.object({ id: z.coerce.number().int().min(1).max(2 ** 31).describe('Block id.') }).strict();

export function spendRoutes(spend: Spend): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/sms/spend', operationId: 'getSmsSpend', summary: 'SMS spend so far against every cap and budget', tag: 'SMS spend', scope: 'read',
      query: statusQuery, response: statusView,
      handler: ({ query }) => spend.limits.status(query.countries?.toUpperCase().split(',') ?? []),
    }),
    defineRoute({
      method: 'post', path: '/sms/spend/lift', operationId: 'liftSmsSpendStop', summary: 'Lift a stop: the cap or budget counts again from zero in its current window', tag: 'SMS spend', scope: 'write',
      body: liftBody, status: 204,
      handler: ({ body, actor }) => spend.limits.lift(body.limit, body.scope, actorName(actor)),
    }),
    defineRoute({
      method: 'get', path: '/sms/spend/settings', operationId: 'getSmsSpendSettings', summary: 'Prices, caps, budgets, the MFA reserve, alerts and the conversion defence', tag: 'SMS spend', scope: 'read',
      response: settingsView,
      handler: () => spend.settings.view(),
    }),
    defineRoute({
      method: 'patch', path: '/sms/spend/settings', operationId: 'updateSmsSpendSettings', summary: 'Change spend and conversion settings (alertSecret is write-only)', tag: 'SMS spend', scope: 'write',
      body: settingsBody, response: settingsView, errors: [422],
      handler: ({ body }) => spend.settings.update(body),
    }),
    defineRoute({
      method: 'get', path: '/sms/pumping/blocks', operationId: 'listSmsPumpingBlocks', summary: 'Prefixes, IP ranges and countries blocked for low conversion, newest first', tag: 'SMS spend', scope: 'read',
      response: z.object({ items: z.array(block) }),
      handler: async () => ({ items: await spend.conversion.blocks() }),
    }),
    defineRoute({
      method: 'post', path: '/sms/pumping/blocks/{id}/unblock', operationId: 'unblockSmsPumpingBlock', summary: 'Let sends there go on for one window whatever the conversion', tag: 'SMS spend', scope: 'write',
      params: blockParams, status: 204,
      handler: ({ params, actor }) => spend.conversion.unblock(params.id, actorName(actor)),
    }),
  ];
}
