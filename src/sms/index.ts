// The SMS layer's one factory: accounts, templates, the sending service and its outbox worker, and the routers to mount.
import type Router from '@koa/router';
import type { Knex } from 'knex';
import type { Config } from '../config/index.ts';
import { localSettingsCache, type SettingsCache } from '../db/recent.ts';
import type { Logger } from '../logger.ts';
import type { SecretBox } from '../security/secrets.ts';
import type { ScreenRenderer } from '../views.ts';
import { createAccountsRepo } from './accounts/repo.ts';
import { type AccountsService, createAccountsService } from './accounts/service.ts';
import { addBatchReportRoutes, reportUrl } from './batch-reports.ts';
import { createDevInbox, type DevInbox, devInboxRoutes } from './dev-inbox.ts';
import { createMessagesRepo, type MessagesRepo } from './outbox/repo.ts';
import { createOutboxWorker, type OutboxWorker } from './outbox/worker.ts';
import { createEgress } from './providers/egress.ts';
import { createProviderFactory } from './providers/index.ts';
import { createProviderRegistry, type ProviderRegistry } from './providers/registry.ts';
import { createResourcesRepo } from './resources/repo.ts';
import { createResourcesService, type ResourcesService } from './resources/service.ts';
import { createFollowups } from './followup.ts';
import type { MessageRow } from './outbox/repo.ts';
import { createFailover } from './routing/failover.ts';
import { createRoutesRepo } from './routing/repo.ts';
import { createRoutingService, type RoutingService } from './routing/service.ts';
import { createSender, type FollowupDelay, type SendHook, type SmsSender } from './sender.ts';
import { statusCallbackRoutes, statusCallbackUrl, wantsCallbacks } from './status-callbacks.ts';
import { createRenderer } from './templates/render.ts';
import { createTemplatesRepo } from './templates/repo.ts';
import { createTemplatesService, type TemplatesService } from './templates/service.ts';
import { defaultWorkerOptions, type SmsOptions } from './types.ts';

export interface SmsDeps {
  db: Knex;
  box: SecretBox;
  config: Pick<Config, 'env' | 'issuer' | 'defaultLocale' | 'supportContact'>;
  logger: Logger;
  now?: () => number;
  /** Renders the development inbox page; without it the inbox answers JSON. */
  screens?: Pick<ScreenRenderer, 'render'>;
  options?: SmsOptions;
  /** The settings cache shared with the rest of the process (accounts, grants, templates and routes are kept in it). */
  settings?: SettingsCache;
  /** Spend limits, counted before a message is stored for sending; metrics around the outbox's outcomes. */
  hooks?: {
    beforeStore?: SendHook;
    messages?: (repo: MessagesRepo) => MessagesRepo;
    /** Support follow-ups: the delay per purpose (null: off), whether a message's code is unused, the app's name. */
    followup?: { delay: FollowupDelay; codeUnused(row: MessageRow): Promise<boolean>; appName?(clientId: string): Promise<string | undefined> };
  };
  /** Whether an app exists (grants to unknown apps are refused). */
  clientExists?: (clientId: string) => Promise<boolean>;
}

/** Account administration; every function returns masked views. */
export type SmsAccounts = Omit<AccountsService, 'load' | 'forSending' | 'markInvalid' | 'listFull' | 'findDefault' | 'forget'> & {
  /**
   * Whether a send would find an account through the selection pipeline: with a clientId, for that app (its grants plus
   * the general resources); without one, the account itself must be verified.
   */
  isReady(accountId: string, clientId?: string | null): Promise<boolean>;
  /** The URL of an account's pushed delivery reports (providers with batch reports), token included. */
  reportUrl(accountId: string): string;
};

export interface Sms {
  accounts: SmsAccounts;
  /** The providers of this instance (built-in plus SmsOptions.providers): schemas, forms and masking read it. */
  providers: ProviderRegistry;
  templates: TemplatesService;
  /** Signatures, provider templates, app grants and the account-selection pipeline. */
  resources: ResourcesService;
  /** Routing rules (step 2 of the pipeline) and their fallback accounts. */
  routing: RoutingService;
  sender: SmsSender;
  worker: OutboxWorker;
  /** Support reads of the message log (filters, recipient by its hashes under every key), and a message's history. */
  log: Pick<MessagesRepo, 'list' | 'attempts' | 'reports'>;
  /** The recipient's hashes as `to_hash` may hold them: under the current key and every older one still configured. */
  recipientHashes(e164: string): string[];
  /** Development inbox (dev provider messages, opened); undefined in production. */
  devInbox?: DevInbox;
  routers: {
    /** POST /sms/status/:id — Twilio StatusCallback. */
    statusCallbacks: Router;
    /** GET /dev/sms — development inbox page; undefined in production. */
    devInbox?: Router;
  };
}

export function createSms({ db, box, config, logger, now = Date.now, screens, options = {}, clientExists, hooks = {}, settings = localSettingsCache() }: SmsDeps): Sms {
  const registry = createProviderRegistry(options.providers);
  const egress = createEgress(options.providerHosts);
  const providers = createProviderFactory({ registry, logger, timeoutMs: options.providerTimeoutMs ?? 10_000, egress });
  const templatesRepo = createTemplatesRepo(db, now, settings);
  const resourcesRepo = createResourcesRepo(db, now, settings);
  const routesRepo = createRoutesRepo(db, now, settings);
  // Deleting an account also drops the templates narrowed to it; its messages stay in the log.
  const accounts = createAccountsService({
    repo: createAccountsRepo(db, box, registry, now, settings),
    providers,
    egress,
    config,
    now,
    onRemoved: async (id) => {
      await templatesRepo.removeForAccount(id);
      await resourcesRepo.removeForAccount(id);
      await routesRepo.removeForAccount(id);
    },
  });
  const resources = createResourcesService({
    repo: resourcesRepo,
    accounts,
    providers,
    homeCountry: options.homeCountry,
    production: config.env === 'production',
    clientExists,
    routes: () => routesRepo.list(),
  });
  const routing = createRoutingService({
    repo: routesRepo,
    accountExists: async (id) => (id.length <= 36 ? (await accounts.load(id)) !== undefined : false),
    clientExists,
  });
  const templates = createTemplatesService({
    repo: templatesRepo,
    renderer: createRenderer(),
    logger,
    assertAccount: async (id) => ({ homeCountry: (await accounts.get(id)).homeCountry }),
    issuer: config.issuer,
    defaultLanguage: options.defaultLanguage ?? config.defaultLocale,
    homeCountry: options.homeCountry,
    applicationName: options.applicationName ?? 'Codeword',
    supportContact: config.supportContact,
    autofill: options.autofill ?? true,
    gsm7Friendly: options.gsm7Friendly ?? false,
    codeLifetimeMinutes: options.codeLifetimeMinutes,
  });
  const messages = (hooks.messages ?? ((r: MessagesRepo) => r))(createMessagesRepo(db, now));
  const workerOptions = { ...defaultWorkerOptions, ...options.worker };
  // The sender is built after the worker that stores and sends its messages; the failover reaches it once built.
  let sender: SmsSender | undefined;
  const failover = createFailover({ resend: (row) => sender!.resend(row), logger, now, maxAgeMs: workerOptions.maxAgeMs });
  const worker = createOutboxWorker({
    repo: messages,
    accounts,
    providers,
    box,
    logger,
    now,
    options: workerOptions,
    statusCallbackUrl: (account, id) => (wantsCallbacks(registry, account) ? statusCallbackUrl(config.issuer, id) : undefined),
    resources,
    failover,
    followups: hooks.followup
      ? createFollowups({ repo: messages, send: (row, name) => sender!.followup(row, name), codeUnused: hooks.followup.codeUnused, appName: hooks.followup.appName, logger })
      : undefined,
  });
  sender = createSender({ resources, templates, repo: messages, worker, box, beforeStore: hooks.beforeStore, followupDelay: hooks.followup?.delay });

  const production = config.env === 'production';
  const devInbox = production ? undefined : createDevInbox({ repo: messages, box });
  const { load: _load, forSending: _forSending, markInvalid: _markInvalid, listFull: _listFull, findDefault: _findDefault, ...admin } = accounts;
  const isReady = async (id: string, clientId?: string | null) => {
    const account = typeof id === 'string' && id.length <= 36 ? await accounts.load(id) : undefined;
    if (account?.verification.status !== 'valid') return false;
    // For an app: whatever the pipeline would pick for it. Without one: this account, with a general login template if it needs one.
    if (clientId !== undefined) return resources.available({ accountId: id, clientId, purpose: 'login' });
    return !registry.find(account.provider)?.templateCodes || resources.available({ accountId: id, purpose: 'login', direct: true });
  };
  const statusRouter = statusCallbackRoutes({ repo: messages, accounts, registry, issuer: config.issuer, logger, failover });
  addBatchReportRoutes(statusRouter, { repo: messages, accounts, registry, box, logger, failover });
  return {
    accounts: { ...admin, isReady, reportUrl: (id: string) => reportUrl(config.issuer, box, id) },
    providers: registry,
    templates,
    resources,
    routing,
    sender,
    worker,
    log: { list: (q) => messages.list(q), attempts: (id) => messages.attempts(id), reports: (id) => messages.reports(id) },
    recipientHashes: (e164) => box.hmacs('sms-recipient', e164),
    devInbox,
    routers: {
      statusCallbacks: statusRouter,
      devInbox: devInbox ? devInboxRoutes({ inbox: devInbox, screens }) : undefined,
    },
  };
}

export type { PublicSmsAccount, SmsAccount } from './accounts/types.ts';
export { DEFAULT_PROVIDER_HOSTS } from './providers/egress.ts';
export type { ProviderRegistry } from './providers/registry.ts';
export type { FormField, FormSpec, ProviderDescriptor } from './providers/types.ts';
export type { Enqueued, MessageView, SendRequest } from './sender.ts';
export { hintsFromRequest, type LanguageHints } from './templates/language.ts';
export { countSegments, type SegmentInfo } from './templates/segments.ts';
export { PURPOSES, type Purpose, type SmsOptions } from './types.ts';
