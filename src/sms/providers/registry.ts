// The SMS providers Codeword knows: adding one is a folder under providers/ and one line in BUILTIN_PROVIDERS.
import { AppError } from '../../errors.ts';
import { alibabaProvider } from './alibaba/index.ts';
import { devProvider } from './dev/index.ts';
import { httpProvider } from './http/index.ts';
import { twilioProvider } from './twilio/index.ts';
import type { ProviderDescriptor } from './types.ts';

export const BUILTIN_PROVIDERS: readonly ProviderDescriptor[] = [twilioProvider, alibabaProvider, httpProvider, devProvider];

export interface ProviderRegistry {
  /** Every descriptor, in registry order. */
  list(): readonly ProviderDescriptor[];
  kinds(): [string, ...string[]];
  find(kind: string): ProviderDescriptor | undefined;
  /** The descriptor of a stored kind; an unknown kind (a provider removed from the build) is a 503, not a crash. */
  get(kind: string): ProviderDescriptor;
}

/** Built per container: the built-in providers plus any given (tests hand in their own). */
export function createProviderRegistry(extra: readonly ProviderDescriptor[] = []): ProviderRegistry {
  const all = [...BUILTIN_PROVIDERS, ...extra];
  const byKind = new Map<string, ProviderDescriptor>();
  for (const d of all) {
    if (byKind.has(d.kind)) throw new Error(`SMS provider kind ${d.kind} is registered twice`);
    byKind.set(d.kind, d);
  }
  const kinds = [...byKind.keys()] as [string, ...string[]];
  return {
    list: () => all,
    kinds: () => kinds,
    find: (kind) => byKind.get(kind),
    get(kind) {
      const d = byKind.get(kind);
      if (!d) throw new AppError('sms_not_configured', 503, { message: `SMS provider ${JSON.stringify(kind)} is not available in this installation` });
      return d;
    },
  };
}
