// The spend and pumping defence of SMS sending: settings, caps and budgets, conversion blocks, signed alerts.
import type { Knex } from 'knex';
import type { CounterStore } from '../../counters/index.ts';
import type { SettingsCache } from '../../db/recent.ts';
import type { Logger } from '../../logger.ts';
import type { SecretBox } from '../../security/secrets.ts';
import type { Egress } from '../providers/egress.ts';
import { createAlertSender } from './alerts.ts';
import { createConversion, type Scope } from './conversion.ts';
import { createSpendLimits, type SpendLimitKind } from './limits.ts';
import { createSpendSettingsStore } from './settings.ts';

export interface SpendObserver {
  stopped(kind: SpendLimitKind, scope: string): void;
  counted(r: { country: string; provider: string; purpose: string; money: number; currency: string }): void;
  blocked(scope: Scope): void;
}

export interface SpendDeps {
  db: Knex;
  box: SecretBox;
  counters: CounterStore;
  egress: Egress;
  logger: Logger;
  audit: { record(e: { action: string; actor?: string | null; target?: string | null; details?: Record<string, unknown> }): Promise<unknown> };
  observer?: Partial<SpendObserver>;
  now: () => number;
  /** The process's settings cache (spend settings are kept in it). */
  caches?: SettingsCache;
}

export function createSpend({ db, box, counters, egress, logger, audit, observer = {}, now, caches }: SpendDeps) {
  const settings = createSpendSettingsStore(db, box, now, caches);
  const alerts = createAlertSender({
    egress,
    logger,
    now,
    target: async () => ({ url: (await settings.get()).alertUrl, secret: await settings.alertSecret() }),
  });
  const events = {
    audit: (action: string, details: Record<string, unknown>, actor: string | null = null) => audit.record({ action, actor, target: String(details.scope ?? ''), details }),
    stopped: observer.stopped,
    counted: observer.counted,
    blocked: observer.blocked,
  };
  const conversion = createConversion({ db, counters, settings, alerts, events, now });
  // A code send counts in the pumping checks in the spend limits' own statement (only code sends carry a requester).
  const limits = createSpendLimits({
    counters,
    settings,
    alerts,
    events,
    now,
    alsoCount: (s, r) => (r.requesterIp === undefined ? [] : conversion.sendAdds(s, r.to, r.requesterIp)),
  });
  return { settings, limits, conversion, alerts };
}

export type Spend = ReturnType<typeof createSpend>;
export { signature } from './alerts.ts';
export { type Conversion, ipRangeOf, prefixOf, type Scope } from './conversion.ts';
export { countryOf, MONEY_SCALE, priceOf, type SpendLimitKind, type SpendLimits, type SpendLine, type SpendRequest } from './limits.ts';
export { defaultSpendSettings, type SpendSettings, spendSettingsSchema } from './settings.ts';
