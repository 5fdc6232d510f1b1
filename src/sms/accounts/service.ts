// SMS accounts: validated create/edit/delete, credential verification, the masked view, and the pick for sending.
import type { Config } from '../../config/index.ts';
import { AppError } from '../../errors.ts';
import type { Egress } from '../providers/egress.ts';
import type { ProviderFactory } from '../providers/index.ts';
import type { ProviderDescriptor } from '../providers/types.ts';
import { parseWith } from '../../errors.ts';
import type { AccountsRepo } from './repo.ts';
import { accountFieldsSchema, accountPatchSchema } from './schema.ts';
import { credentialsChanged, destinationChanges, mergeSettings, publicSettings, secretsNotGiven } from './settings.ts';
import { BUILTIN_DEV_ID, type PublicSmsAccount, type SmsAccount, type Verification } from './types.ts';

export interface AccountsDeps {
  repo: AccountsRepo;
  providers: ProviderFactory;
  egress: Egress;
  config: Pick<Config, 'env'>;
  now: () => number;
  /** Called after an account is deleted (drops what was narrowed to it). */
  onRemoved?: (id: string) => Promise<void>;
}

const UNVERIFIED: Verification = { status: 'unverified', reason: null, checkedAt: null };

const invalid = (field: string, message: string) => new AppError('sms_account_invalid', 400, { message: `${field}: ${message}`, params: { field } });

export function createAccountsService({ repo, providers, egress, config, now, onRemoved }: AccountsDeps) {
  const production = config.env === 'production';
  const { registry } = providers;

  const builtinDev: SmsAccount = {
    id: BUILTIN_DEV_ID,
    name: 'Development inbox',
    note: 'Used when no SMS account is configured outside production.',
    provider: 'dev',
    isDefault: false,
    general: true,
    homeCountry: null,
    settings: {},
    verification: { status: 'valid', reason: 'development inbox', checkedAt: null },
    createdAt: 0,
    updatedAt: 0,
  };

  function descriptor(kind: string): ProviderDescriptor {
    const d = registry.find(kind);
    if (!d) throw invalid('provider', `must be one of ${registry.kinds().join(', ')}`);
    return d;
  }

  /**
   * Validates full settings with the provider's schema, then the environment's rules: no development provider and
   * https only in production, and every host the provider would call on the operator's allow-list.
   */
  function validateSettings(d: ProviderDescriptor, settings: unknown): Record<string, unknown> {
    if (d.development && production) throw new AppError('sms_dev_refused', 400, { message: 'provider: the development inbox cannot be used when NODE_ENV=production' });
    const parsed = parseWith(d.settings, settings, 'sms_account_invalid', { prefix: 'settings' }) as Record<string, unknown>;
    for (const url of d.destinations(parsed)) {
      const field = `settings.${Object.keys(parsed).find((k) => parsed[k] === url) ?? 'url'}`;
      if (production && !url.startsWith('https://')) throw invalid(field, 'must be https in production');
      if (!egress.allows(url)) throw invalid(field, `the host ${new URL(url).hostname} is not an allowed SMS provider host (add it to SMS_PROVIDER_HOSTS)`);
    }
    return parsed;
  }

  async function mustFind(id: string): Promise<SmsAccount> {
    const account = typeof id === 'string' && id.length <= 36 ? await repo.find(id) : undefined;
    if (!account) throw new AppError('sms_account_not_found', 404, { message: `SMS account ${JSON.stringify(id)} does not exist (it may have been deleted)` });
    return account;
  }

  async function assertNameFree(name: string, except?: string): Promise<void> {
    const other = await repo.findByName(name);
    if (other && other.id !== except) throw new AppError('sms_account_name_taken', 409, { message: `name: an SMS account named ${JSON.stringify(name)} already exists` });
  }

  /** Secrets masked by the provider's own list of secret fields (an unregistered kind shows no settings at all). */
  const toPublic = (a: SmsAccount): PublicSmsAccount => {
    const d = registry.find(a.provider);
    return { ...a, settings: d ? publicSettings(d, a.settings) : {}, masked: true };
  };

  const service = {
    toPublic,

    async list(): Promise<PublicSmsAccount[]> {
      return (await repo.list()).map(toPublic);
    },

    async get(id: string): Promise<PublicSmsAccount> {
      return toPublic(await mustFind(id));
    },

    async create(input: unknown): Promise<PublicSmsAccount> {
      const fields = parseWith(accountFieldsSchema, input, 'sms_account_invalid');
      const d = descriptor(fields.provider);
      const settings = validateSettings(d, fields.settings);
      await assertNameFree(fields.name);
      const verification: Verification = d.development ? { status: 'valid', reason: 'development inbox', checkedAt: now() } : UNVERIFIED;
      const homeCountry = fields.homeCountry === undefined ? (d.defaultHomeCountry ?? null) : fields.homeCountry;
      const id = await repo.insert({ name: fields.name, note: fields.note ?? null, provider: d.kind, homeCountry, settings, verification });
      if (fields.isDefault) await repo.setDefault(id);
      return service.get(id);
    },

    async update(id: string, patch: unknown): Promise<PublicSmsAccount> {
      const current = await mustFind(id);
      const p = parseWith(accountPatchSchema, patch, 'sms_account_invalid');
      if (p.name !== undefined) await assertNameFree(p.name, id);
      const d = registry.get(current.provider);
      const settings = p.settings ? validateSettings(d, mergeSettings(d, current.settings, p.settings)) : current.settings;
      // Secrets follow the destination: pointing an account elsewhere needs them typed again, or they would be sent there.
      const moved = destinationChanges(d, current.settings, settings);
      const missing = moved.length > 0 && p.settings ? secretsNotGiven(d, p.settings, settings) : [];
      if (missing.length > 0) {
        throw invalid(`settings.${missing[0]}`, `enter the secret again: ${moved.join(', ')} changed, and stored secrets are only sent where they were entered for`);
      }
      const changed = credentialsChanged(d, current.settings, settings);
      await repo.update({
        ...current,
        name: p.name ?? current.name,
        note: p.note === undefined ? current.note : p.note,
        homeCountry: p.homeCountry === undefined ? current.homeCountry : p.homeCountry,
        settings,
        verification: changed && !d.development ? UNVERIFIED : current.verification,
      });
      if (p.isDefault === true) await repo.setDefault(id);
      if (p.isDefault === false && current.isDefault) await repo.setDefault(null);
      return service.get(id);
    },

    /** Deletes an account; messages and templates that named it then fail with sms_account_not_found. */
    async remove(id: string): Promise<void> {
      await mustFind(id);
      await repo.remove(id);
      await onRemoved?.(id);
    },

    /** Checks the credentials with the provider (Twilio: fetches the account resource) and records the outcome. */
    async verify(id: string): Promise<PublicSmsAccount> {
      const account = await mustFind(id);
      const result = await providers.forAccount(account).verify();
      await repo.setVerification(id, { status: result.ok ? 'valid' : 'invalid', reason: result.reason, checkedAt: now() });
      return service.get(id);
    },

    /** Records that the provider refused the credentials while sending (e.g. Twilio 20003). */
    async markInvalid(id: string, reason: string): Promise<void> {
      if (id !== BUILTIN_DEV_ID) await repo.setVerification(id, { status: 'invalid', reason, checkedAt: now() });
    },

    /** Every account with its secrets (the selection pipeline reads them fresh, so a revoked grant applies at once). */
    listFull: (): Promise<SmsAccount[]> => repo.list(),
    findDefault: () => repo.findDefault(),
    /** Drops the cached copy after a change made outside this service (account access). */

    /** The account with its secrets, for the worker and callbacks. The built-in inbox exists only outside production. */
    async load(id: string): Promise<SmsAccount | undefined> {
      if (id === BUILTIN_DEV_ID) return production ? undefined : builtinDev;
      return repo.find(id);
    },

    /**
     * Picks the account for a message: the one named, else the default, else the only one, else (outside production)
     * the built-in development inbox. Unverified accounts count as not configured unless `allowUnverified` (test sends).
     */
    async forSending(id?: string, opts: { allowUnverified?: boolean } = {}): Promise<SmsAccount> {
      let account: SmsAccount | undefined;
      if (id) account = id === BUILTIN_DEV_ID && !production ? builtinDev : await mustFind(id);
      else {
        account = await repo.findDefault();
        if (!account) {
          const all = await repo.list();
          account = all.length === 1 ? all[0] : all.length === 0 && !production ? builtinDev : undefined;
        }
      }
      if (!account) throw new AppError('sms_not_configured', 503, { message: 'no SMS account is configured (or none is marked as the default)' });
      if (registry.find(account.provider)?.development && production) throw new AppError('sms_dev_refused', 503, { message: 'the development inbox cannot send when NODE_ENV=production' });
      if (account.verification.status !== 'valid' && !opts.allowUnverified) {
        throw new AppError('sms_not_configured', 503, { message: `SMS account ${JSON.stringify(account.name)} is not verified (${account.verification.status})` });
      }
      return account;
    },

    /** Whether features that need SMS can use it (a verified default or only account, or the dev inbox outside production). */
    async isConfigured(): Promise<boolean> {
      try {
        await service.forSending();
        return true;
      } catch (err) {
        if (err instanceof AppError) return false;
        throw err;
      }
    },
  };
  return service;
}

export type AccountsService = ReturnType<typeof createAccountsService>;
