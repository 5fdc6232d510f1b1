// Builds the provider for an account from its descriptor (cached per account version, so SDK clients are reused).
import type { Logger } from '../../logger.ts';
import type { SmsAccount } from '../accounts/types.ts';
import type { Egress } from './egress.ts';
import type { ProviderRegistry } from './registry.ts';
import type { SmsProvider } from './types.ts';

export interface ProviderFactory {
  registry: ProviderRegistry;
  forAccount(account: SmsAccount): SmsProvider;
}

export function createProviderFactory(deps: { registry: ProviderRegistry; logger: Logger; timeoutMs: number; egress: Egress }): ProviderFactory {
  const cache = new Map<string, { version: string; provider: SmsProvider }>();
  return {
    registry: deps.registry,
    forAccount(account) {
      const version = `${account.provider}:${JSON.stringify(account.settings)}`;
      const hit = cache.get(account.id);
      if (hit && hit.version === version) return hit.provider;
      const provider = deps.registry.get(account.provider).create(account.settings, { timeoutMs: deps.timeoutMs, logger: deps.logger, egress: deps.egress });
      cache.set(account.id, { version, provider });
      return provider;
    },
  };
}
