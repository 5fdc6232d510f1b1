// Builds the provider for an account (cached per account version, so SDK clients are reused between sends).
import type { Logger } from '../../logger.ts';
import type { HttpSettings, TwilioSettings } from '../accounts/schema.ts';
import type { SmsAccount } from '../accounts/types.ts';
import { createDevProvider } from './dev.ts';
import { createHttpProvider } from './http.ts';
import { createTwilioProvider } from './twilio.ts';
import type { SmsProvider } from './types.ts';

export interface ProviderFactory {
  forAccount(account: SmsAccount): SmsProvider;
}

export function createProviderFactory(deps: { logger: Logger; timeoutMs: number; fetch: typeof fetch }): ProviderFactory {
  const cache = new Map<string, { version: string; provider: SmsProvider }>();
  const build = (account: SmsAccount): SmsProvider => {
    switch (account.provider) {
      case 'twilio':
        return createTwilioProvider(account.settings as TwilioSettings, { timeoutMs: deps.timeoutMs });
      case 'http':
        return createHttpProvider(account.settings as HttpSettings, { timeoutMs: deps.timeoutMs, fetch: deps.fetch });
      case 'dev':
        return createDevProvider(deps.logger);
    }
  };
  return {
    forAccount(account) {
      const version = `${account.provider}:${JSON.stringify(account.settings)}`;
      const hit = cache.get(account.id);
      if (hit && hit.version === version) return hit.provider;
      const provider = build(account);
      cache.set(account.id, { version, provider });
      return provider;
    },
  };
}
