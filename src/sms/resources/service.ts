// Signatures, provider templates and app grants: validated edits, approved text fetched from the provider, and the one account-selection pipeline.
import { AppError, parseWith } from '../../errors.ts';
import { countryOfE164, regionOf } from '../../phone.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { SmsAccount } from '../accounts/types.ts';
import type { ProviderFactory } from '../providers/index.ts';
import { ProviderError } from '../providers/types.ts';
import { CODE_PURPOSES, PURPOSES, type Purpose, type Region } from '../purposes.ts';
import { route } from '../routing/rules.ts';
import type { Route } from '../routing/types.ts';
import type { ResourcesRepo } from './repo.ts';
import { accessInput, previewInput, signatureInput, signaturePatch, templateInput, templatePatch } from './schema.ts';
import { type Resolution, resolveTemplates } from './resolution.ts';
import { fillParams, paramsOf, renderApproved } from './text.ts';
import type { ProviderTemplate, Signature, TextStatus } from './types.ts';

export interface ResourcesDeps {
  repo: ResourcesRepo;
  accounts: Pick<AccountsService, 'get' | 'load' | 'listFull' | 'forSending'>;
  providers: ProviderFactory;
  /** Installation default home country (SMS_HOME_COUNTRY). */
  homeCountry?: string;
  production: boolean;
  /** Whether an app (OIDC client) exists; grants to unknown apps are refused. */
  clientExists?: (clientId: string) => Promise<boolean>;
  /** The routing rules, in evaluation order (step 2). */
  routes?: () => Promise<Route[]>;
}

/** The outcome of the pipeline for one message. */
export interface Selection {
  account: SmsAccount;
  /** The routing rule that chose the account, if one did. */
  rule?: Route;
  /** The rule's fallback account (verified and usable by the app): a failed message goes out once more through it. */
  fallbackAccountId?: string | null;
  region?: Region;
  signature?: Signature;
  /** The first of `templates` (app-owned first); the sender picks among them by language. */
  template?: ProviderTemplate;
  /** Every usable template for the purpose and region. */
  templates?: ProviderTemplate[];
}

export interface SelectQuery {
  /** The app the message is for; null/undefined: no app (reminders), general resources only. */
  clientId?: string | null;
  /** The SMS connection's or SMS factor's chosen account. */
  accountId?: string;
  purpose: Purpose;
  /** E.164 recipient; without it (availability checks) any region with a signature and template will do. */
  to?: string;
  /** Test sends: exactly the named account, verified or not, whatever the grants. */
  direct?: boolean;
  /** Failover: exactly the named account, which must be verified and usable by the app; no rules. */
  pinned?: boolean;
}

const notConfigured = (message: string) => new AppError('sms_not_configured', 503, { message, expose: true });
const notFound = (what: 'signature' | 'provider_template', id: string) =>
  new AppError(what === 'signature' ? 'sms_signature_not_found' : 'sms_provider_template_not_found', 404, { message: `SMS ${what.replace('_', ' ')} ${JSON.stringify(id)} does not exist` });

/** Usable by this app: general, or granted to it (a send with no app uses general ones only). */
const usable = (r: { general: boolean; clientIds: readonly string[] }, clientId: string | null | undefined) => r.general || (clientId ? r.clientIds.includes(clientId) : false);
/** App-owned resources win over general ones. */
const ownedFirst = <T extends { general: boolean; clientIds: readonly string[] }>(list: T[], clientId: string | null | undefined): T[] =>
  [...list].sort((a, b) => Number(Boolean(clientId && b.clientIds.includes(clientId))) - Number(Boolean(clientId && a.clientIds.includes(clientId))));

export function createResourcesService(deps: ResourcesDeps) {
  const { repo, providers } = deps;
  const { registry } = providers;

  const templateCodes = (a: SmsAccount) => registry.find(a.provider)?.templateCodes === true;

  async function templateAccount(id: string): Promise<SmsAccount> {
    await deps.accounts.get(id);
    const account = (await deps.accounts.load(id))!;
    if (!templateCodes(account)) {
      throw new AppError('sms_resource_invalid', 400, { message: `accountId: the ${account.provider} provider sends free text; signatures and provider templates belong to template-code accounts (e.g. alibaba)` });
    }
    return account;
  }

  async function checkClients(ids: readonly string[]): Promise<void> {
    if (!deps.clientExists) return;
    for (const id of ids) if (!(await deps.clientExists(id))) throw new AppError('sms_resource_invalid', 400, { message: `clientIds: there is no app ${JSON.stringify(id)}`, params: { field: 'clientIds' } });
  }

  /** The provider's approved text (or why it is not known). */
  async function fetchText(account: SmsAccount, code: string): Promise<{ text: string | null; textStatus: TextStatus; providerRegion?: Region }> {
    const provider = providers.forAccount(account);
    if (!provider.templateText) return { text: null, textStatus: 'unavailable' };
    try {
      const t = await provider.templateText(code);
      return { text: t.text, textStatus: t.approved ? 'approved' : 'pending', ...(t.region ? { providerRegion: t.region } : {}) };
    } catch (err) {
      if (err instanceof ProviderError && err.reason === 'configuration' && !err.badCredentials && err.code.startsWith('isv.')) {
        throw new AppError('sms_provider_template_invalid', 400, { message: `code: the provider does not know template ${JSON.stringify(code)} (${err.code})`, params: { field: 'code' } });
      }
      return { text: null, textStatus: 'unavailable' };
    }
  }

  /** A template approved for one region cannot serve the other (the provider would refuse every message). */
  function checkRegion(code: string, region: Region, providerRegion: Region | undefined): void {
    if (!providerRegion || providerRegion === region) return;
    throw new AppError('sms_provider_template_invalid', 400, {
      message: `region: the provider approved template ${code} for ${providerRegion} messages; it cannot serve ${region} numbers (set the region to ${providerRegion}, or use a ${region} template)`,
      params: { field: 'region' },
    });
  }

  /** Every parameter the approved text uses must be mapped; a code purpose must map one to the code, and use it. */
  function checkMapping(purpose: Purpose, params: Record<string, string>, text: string | null): void {
    const fail = (message: string, field = 'params') => new AppError('sms_provider_template_invalid', 400, { message, params: { field } });
    if (text !== null) {
      const missing = paramsOf(text).filter((p) => !(p in params));
      if (missing.length) throw fail(`params.${missing[0]}: the provider template needs \${${missing[0]}}; map it to one of our variables (e.g. {"${missing[0]}": "code"})`, `params.${missing[0]}`);
    }
    if (CODE_PURPOSES.has(purpose)) {
      const codeParams = Object.entries(params).filter(([, v]) => v === 'code').map(([k]) => k);
      if (codeParams.length === 0) throw fail(`params: a ${purpose} template must map a parameter to the code (e.g. {"code": "code"})`);
      if (text !== null && !codeParams.some((p) => text.includes(`\${${p}}`))) throw fail(`params.${codeParams[0]}: the provider template's text does not contain the code parameter \${${codeParams[0]}}`, `params.${codeParams[0]}`);
    }
  }

  async function mustSignature(id: string): Promise<Signature> {
    const s = typeof id === 'string' && id.length <= 36 ? await repo.signature(id) : undefined;
    if (!s) throw notFound('signature', id);
    return s;
  }
  async function mustTemplate(id: string): Promise<ProviderTemplate> {
    const t = typeof id === 'string' && id.length <= 36 ? await repo.template(id) : undefined;
    if (!t) throw notFound('provider_template', id);
    return t;
  }

  /**
   * Step 1 and 2: verified accounts the app may use; the first routing rule matching the number whose account is among
   * them; else the chosen one (the connection's or factor's) if among them, else the default, else the only one.
   */
  async function pickAccount(q: SelectQuery): Promise<{ account: SmsAccount; rule?: Route; fallbackAccountId?: string | null }> {
    const all = await deps.accounts.listFull();
    if (all.length === 0) {
      const dev = await deps.accounts.load('builtin-dev-inbox');
      if (!dev) throw notConfigured('no SMS account is configured');
      return { account: dev };
    }
    const grants = await repo.allAccountGrants();
    const candidates = all.filter((a) => a.verification.status === 'valid' && usable({ general: a.general, clientIds: grants.get(a.id) ?? [] }, q.clientId));
    if (q.pinned) {
      const pinned = candidates.find((a) => a.id === q.accountId);
      if (!pinned) throw notConfigured(`SMS account ${JSON.stringify(q.accountId)} is not verified or may not be used${q.clientId ? ` by app ${JSON.stringify(q.clientId)}` : ''}`);
      return { account: pinned };
    }
    if (q.to && deps.routes) {
      const rules = await deps.routes();
      const hit = rules.length ? route(rules, { to: q.to, country: countryOfE164(q.to) ?? null, clientId: q.clientId }, (id) => candidates.some((a) => a.id === id)) : undefined;
      if (hit) return { account: candidates.find((a) => a.id === hit.accountId)!, rule: hit.rule, fallbackAccountId: hit.fallbackAccountId };
    }
    const chosen = candidates.find((a) => a.id === q.accountId) ?? candidates.find((a) => a.isDefault) ?? (candidates.length === 1 ? candidates[0] : undefined);
    if (!chosen) {
      // A chosen account that was deleted is a 404, as when it is named anywhere else.
      if (q.accountId && !all.some((a) => a.id === q.accountId)) await deps.accounts.get(q.accountId);
      const named = all.find((a) => a.id === q.accountId) ?? all.find((a) => a.isDefault) ?? (all.length === 1 ? all[0] : undefined);
      if (named && named.verification.status !== 'valid') throw notConfigured(`SMS account ${JSON.stringify(named.name)} is not verified (${named.verification.status})`);
      throw notConfigured(q.clientId ? `no verified SMS account may be used by app ${JSON.stringify(q.clientId)} (grant one, or mark one general)` : 'no verified general SMS account is configured (or none is marked as the default)');
    }
    return { account: chosen };
  }

  /** Step 3: the signature and provider template for the number's region (code purposes fall back from signup to login). */
  async function pickTemplate(account: SmsAccount, q: SelectQuery): Promise<Omit<Selection, 'account'>> {
    const home = account.homeCountry ?? deps.homeCountry ?? null;
    const region = q.to ? regionOf(q.to, home) ?? 'international' : undefined;
    const sigs = (await repo.signatures({ accountId: account.id })).filter((s) => usable(s, q.clientId));
    const tpls = (await repo.templates({ accountId: account.id })).filter((t) => usable(t, q.clientId));
    const purposes: Purpose[] = q.purpose === 'signup' ? ['signup', 'login'] : [q.purpose];
    for (const purpose of purposes) {
      for (const r of region ? [region] : (['domestic', 'international'] as const)) {
        const templates = ownedFirst(tpls.filter((t) => t.purpose === purpose && t.region === r), q.clientId);
        const signature = ownedFirst(sigs.filter((s) => s.region === r), q.clientId)[0];
        if (templates[0] && signature) return { region: r, template: templates[0], templates, signature };
      }
    }
    const where = region ? `${region} ` : '';
    throw notConfigured(`SMS account ${JSON.stringify(account.name)} has no ${where}signature and ${where}provider template for ${q.purpose}${q.clientId ? ` that app ${JSON.stringify(q.clientId)} may use` : ''}`);
  }

  const service = {
    /** The one account-selection pipeline every send goes through (see README, "Which account sends"). */
    async select(q: SelectQuery): Promise<Selection> {
      const picked = q.direct ? { account: await deps.accounts.forSending(q.accountId, { allowUnverified: true }) } : await pickAccount(q);
      if (!templateCodes(picked.account)) return picked;
      return { ...picked, ...(await pickTemplate(picked.account, q)) };
    },

    /** Whether a send for this app and purpose would find an account (and its signature and template). */
    async available(q: Omit<SelectQuery, 'to'>): Promise<boolean> {
      try {
        await service.select(q);
        return true;
      } catch (err) {
        if (err instanceof AppError) return false;
        throw err;
      }
    },

    /** The signature and template one message named, at send time (either deleted since: a clear configuration failure). */
    async forMessage(signatureId: string, templateId: string): Promise<{ signature?: Signature; template?: ProviderTemplate }> {
      const [signature, template] = await Promise.all([repo.signature(signatureId), repo.template(templateId)]);
      return { signature, template };
    },

    fillParams,

    /** Configuration problems of a template-code account, shown in the console and the API before anything is sent. */
    async problems(accountId: string): Promise<string[]> {
      const account = await templateAccount(accountId);
      const sigs = await repo.signatures({ accountId });
      const tpls = await repo.templates({ accountId });
      const out: string[] = [];
      for (const t of tpls) {
        if (!sigs.some((s) => s.region === t.region)) out.push(`template ${t.code} (${t.purpose}, ${t.region}) has no ${t.region} signature on this account`);
        if (t.textStatus !== 'approved') out.push(`template ${t.code}: the approved text ${t.textStatus === 'pending' ? 'is not approved yet' : 'could not be fetched from the provider'}`);
        // A refresh keeps the provider's newer text even when the mapping no longer covers it: said here, before a send fails.
        try {
          checkMapping(t.purpose, t.params, t.text);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          out.push(`template ${t.code} (${t.purpose}, ${t.region}): ${err.message}`);
        }
      }
      // Every purpose Codeword may send needs a template (signup falls back to login); one region short is a region error.
      const home = account.homeCountry ?? deps.homeCountry ?? 'the home country';
      for (const p of PURPOSES) {
        const mine = tpls.filter((t) => t.purpose === p || (p === 'signup' && t.purpose === 'login'));
        if (mine.length === 0) {
          out.push(`no provider template for ${p}: those messages cannot be sent through ${account.name}`);
          continue;
        }
        for (const r of ['domestic', 'international'] as const) {
          if (!mine.some((t) => t.region === r)) out.push(`no ${r} provider template for ${p}: numbers ${r === 'domestic' ? 'in' : 'outside'} ${home} cannot get those messages`);
        }
      }
      return out;
    },

    /** For each purpose × region, which provider template a message in each language gets (the console's Templates page). */
    async resolution(accountId: string): Promise<Resolution[]> {
      await templateAccount(accountId);
      const [tpls, sigs] = await Promise.all([repo.templates({ accountId }), repo.signatures({ accountId })]);
      return resolveTemplates(tpls, sigs);
    },

    signatures: {
      list: (filter: { accountId?: string } = {}) => repo.signatures(filter),
      get: mustSignature,
      async create(input: unknown): Promise<Signature> {
        const s = parseWith(signatureInput, input, 'sms_resource_invalid');
        await templateAccount(s.accountId);
        await checkClients(s.clientIds);
        if (await repo.findSignature(s.accountId, s.signName, s.region)) throw new AppError('sms_resource_taken', 409, { message: `signName: this account already has the ${s.region} signature ${JSON.stringify(s.signName)}` });
        const id = await repo.saveSignature({ accountId: s.accountId, signName: s.signName, region: s.region, note: s.note ?? null, general: s.general, clientIds: s.clientIds });
        return mustSignature(id);
      },
      async update(id: string, patch: unknown): Promise<Signature> {
        const current = await mustSignature(id);
        const p = parseWith(signaturePatch, patch, 'sms_resource_invalid');
        if (p.clientIds) await checkClients(p.clientIds);
        const next = { ...current, ...Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)), note: p.note === undefined ? current.note : (p.note ?? null) };
        const other = await repo.findSignature(current.accountId, next.signName, next.region);
        if (other && other.id !== id) throw new AppError('sms_resource_taken', 409, { message: `signName: this account already has the ${next.region} signature ${JSON.stringify(next.signName)}` });
        await repo.saveSignature({ ...next, id });
        return mustSignature(id);
      },
      /** Deletes a signature and its grants; queued messages that named it fail with a configuration reason. */
      async remove(id: string): Promise<Signature> {
        const s = await mustSignature(id);
        await repo.remove('signature', id);
        return s;
      },
    },

    templates: {
      list: (filter: { accountId?: string } = {}) => repo.templates(filter),
      get: mustTemplate,
      async create(input: unknown): Promise<ProviderTemplate> {
        const t = parseWith(templateInput, input, 'sms_resource_invalid');
        const account = await templateAccount(t.accountId);
        await checkClients(t.clientIds);
        if (await repo.findTemplate(t.accountId, t.code, t.purpose, t.region)) throw new AppError('sms_resource_taken', 409, { message: `code: template ${t.code} is already set up for ${t.purpose} (${t.region}) on this account` });
        const { providerRegion, ...fetched } = await fetchText(account, t.code);
        checkRegion(t.code, t.region, providerRegion);
        checkMapping(t.purpose, t.params, fetched.text);
        const id = await repo.saveTemplate({ accountId: t.accountId, code: t.code, purpose: t.purpose, region: t.region, language: t.language ?? null, params: t.params, ...fetched, general: t.general, clientIds: t.clientIds });
        return mustTemplate(id);
      },
      async update(id: string, patch: unknown): Promise<ProviderTemplate> {
        const current = await mustTemplate(id);
        const p = parseWith(templatePatch, patch, 'sms_resource_invalid');
        if (p.clientIds) await checkClients(p.clientIds);
        const next = { ...current, ...Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) } as ProviderTemplate;
        // A new region is checked against what the provider approved the code for.
        if (next.region !== current.region) checkRegion(current.code, next.region, (await fetchText(await templateAccount(current.accountId), current.code)).providerRegion);
        checkMapping(next.purpose, next.params, next.text);
        const other = await repo.findTemplate(current.accountId, current.code, next.purpose, next.region);
        if (other && other.id !== id) throw new AppError('sms_resource_taken', 409, { message: `code: template ${current.code} is already set up for ${next.purpose} (${next.region}) on this account` });
        await repo.saveTemplate({ ...next, id });
        return mustTemplate(id);
      },
      /** Fetches the approved text again (after the provider's review). */
      async refresh(id: string): Promise<ProviderTemplate> {
        const current = await mustTemplate(id);
        const account = await templateAccount(current.accountId);
        const { providerRegion, ...fetched } = await fetchText(account, current.code);
        checkRegion(current.code, current.region, providerRegion);
        await repo.saveTemplate({ ...current, ...fetched, id });
        return mustTemplate(id);
      },
      async remove(id: string): Promise<ProviderTemplate> {
        const t = await mustTemplate(id);
        await repo.remove('template', id);
        return t;
      },
      /** The text a recipient would see, with sample or given values, and its encoding and segments (【SignName】 included). */
      async preview(id: string, input: unknown = {}) {
        const t = await mustTemplate(id);
        const p = parseWith(previewInput, input, 'sms_resource_invalid');
        const sigs = (await repo.signatures({ accountId: t.accountId })).filter((s) => s.region === t.region);
        const signature = p.signatureId ? sigs.find((s) => s.id === p.signatureId) : sigs[0];
        if (t.text === null) return { textStatus: t.textStatus, text: null, encoding: null, characters: null, segments: null, signName: signature?.signName ?? null };
        const sample: Record<string, string> = { code: '123456', application_name: 'Codeword', expires_in_minutes: '10', user_name: 'Alex Example', user_login: 'alex', phone_number: '+8613800138000', support_contact: 'support@example.com', request_language: 'zh-CN', ...p.values };
        const out = renderApproved(t.text, fillParams(t.params, sample), signature?.signName ?? '', t.region);
        return { textStatus: t.textStatus, signName: signature?.signName ?? null, ...out };
      },
    },

    access: {
      async get(accountId: string): Promise<{ general: boolean; clientIds: string[] }> {
        const a = await deps.accounts.get(accountId);
        return { general: a.general, clientIds: await repo.accountGrants(accountId) };
      },
      async set(accountId: string, input: unknown): Promise<{ general: boolean; clientIds: string[] }> {
        await deps.accounts.get(accountId);
        const p = parseWith(accessInput, input, 'sms_resource_invalid');
        await checkClients(p.clientIds);
        await repo.setAccountAccess(accountId, p.general, p.clientIds);
        return service.access.get(accountId);
      },
    },
  };
  return service;
}

export type ResourcesService = ReturnType<typeof createResourcesService>;
