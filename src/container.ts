// Composition root: builds storage, services, the provider and the routers once, handing each only what it needs.
import type Router from '@koa/router';
import type Koa from 'koa';
import type Provider from 'oidc-provider';
import { createAdminApi } from './admin/api/index.ts';
import { createDashboard } from './admin/console/dashboard.ts';
import { consoleRoutes } from './admin/console/routes.ts';
import { consoleSession } from './admin/console/session.ts';
import { tryAppGate } from './admin/console/try-app.ts';
import { CONSOLE_CLIENT_ID } from './admin/constants.ts';
import { type AdminServices, createAdminServices } from './admin/services/index.ts';
import { createAuth0Api } from './api/auth0/index.ts';
import { createApp } from './app.ts';
import { seedFirstStart } from './boot/index.ts';
import { brandingRoutes } from './branding/routes.ts';
import { type Branding, createBranding } from './branding/service.ts';
import { brandedSender } from './branding/sms.ts';
import { type CodeEngine, codeStillUnused, createCodeEngine, createCodeStats, type FailureSettings } from './codes/index.ts';
import type { Config } from './config/index.ts';
import { type CounterStore, createRedisCounters, createSqlCounters, type RedisCounterStore } from './counters/index.ts';
import { createAuditRepo } from './db/audit.ts';
import { createBrandingRepo } from './db/branding.ts';
import { type ClientsRepo, createClientsRepo } from './db/clients.ts';
import { createKnex, type Knex, migrateLatest } from './db/knex.ts';
import { createSettingsCache } from './db/recent.ts';
import { createPasswordRemindersRepo } from './db/password-reminders.ts';
import { createPoliciesRepo, createSmsFactorRepo, type PoliciesRepo, type SmsFactorRepo } from './db/policies.ts';
import { createSignInEvents } from './db/sign-in-events.ts';
import { createUserStats } from './db/user-stats.ts';
import { createUsersRepo, type UsersRepo } from './db/users.ts';
import { demoRoutes } from './dev/demo.ts';
import { createSignInDecider, type SignInDecider } from './flows/decision/decider.ts';
import { createInteractionSignIn } from './flows/interaction/signin.ts';
import { loginRoutes } from './flows/login/routes.ts';
import { loginStepRoutes } from './flows/login/steps.ts';
import { createMfaStep, mfaRoutes } from './flows/mfa/routes.ts';
import { createMfaService } from './flows/mfa/service.ts';
import { passwordlessRoutes } from './flows/passwordless/routes.ts';
import { createPasswordlessService } from './flows/passwordless/service.ts';
import { resetRoutes } from './flows/reset/routes.ts';
import { createResetService } from './flows/reset/service.ts';
import { createServerFlows, type ServerFlows } from './flows/state/server.ts';
import { type CountryOfIp, openCountryOfIp } from './geoip/country.ts';
import { createMaintenanceJob } from './jobs/maintenance.ts';
import { createPasswordReminderJob, type PasswordReminderJob, type ReminderJobOptions } from './jobs/password-reminders.ts';
import { createReencryptTask } from './jobs/reencrypt.ts';
import { createLogger, type Logger } from './logger.ts';
import { createPasswordMethod, type PasswordMethod, type PasswordOutcome } from './methods/password/index.ts';
import { createSmsCodeMethod } from './methods/sms-code/index.ts';
import { createMetrics, type Metrics } from './metrics/index.ts';
import { metricsRoutes } from './metrics/routes.ts';
import { observeMessages } from './metrics/sms.ts';
import { accountRevoker, createAdapter, payloadIdHash, purgeExpired } from './oidc/adapter.ts';
import { createInteractionMemory } from './oidc/interaction-memory.ts';
import { createKeyReloader, type KeyReloader } from './oidc/key-reload.ts';
import { loadKeyMaterial } from './oidc/keys.ts';
import { clientValidator, createProvider } from './oidc/provider.ts';
import { landingRoutes } from './pages/landing.ts';
import { createWayBack } from './pages/way-back.ts';
import { proofsFromAmr } from './policies/signin.ts';
import { createCsrf } from './security/csrf.ts';
import { createLoginThrottle, type ThrottleSettings } from './security/login-throttle.ts';
import { hashPassword } from './security/passwords.ts';
import { createSecretBox, type SecretBox, withStableHmacKeys } from './security/secrets.ts';
import { createSmsConnectionStore, type SmsConnectionStore } from './settings/sms-connection.ts';
import { createSms, type Sms, type SmsOptions } from './sms/index.ts';
import { createSendLimits } from './sms/limits/index.ts';
import { createEgress } from './sms/providers/egress.ts';
import { countryOf, createSpend, type Spend } from './sms/spend/index.ts';
import { codeLifetimeMinutes } from './sms/templates/lifetimes.ts';
import type { Purpose } from './sms/types.ts';
import { createScreens } from './views.ts';

export interface Container {
  config: Readonly<Config>;
  db: Knex;
  box: SecretBox;
  /** The counter store every limit uses: the database, or Redis with REDIS_URL. */
  counters: CounterStore;
  users: UsersRepo;
  clients: ClientsRepo;
  provider: Provider;
  app: Koa;
  logger: Logger;
  sms: Sms;
  codes: CodeEngine;
  /** Server-side flow state for flows without a browser (native-app APIs). */
  flows: ServerFlows;
  /** The one sign-in decision: every flow, the hosted screens and the native-app APIs, finishes a sign-in by asking it. */
  signInDecider: SignInDecider;
  smsConnection: SmsConnectionStore;
  policies: PoliciesRepo;
  smsFactor: SmsFactorRepo;
  /** Admin service layer (rules, validation, audit) shared by the admin API and the console. */
  admin: AdminServices;
  /** Password expiry reminder job (started unless `reminders.start` is false). */
  reminders: PasswordReminderJob;
  /** Spend limits, the pumping defence and their alerts. */
  spend: Spend;
  metrics: Metrics;
  /** What each app's hosted screens and texts show. */
  branding: Branding;
  /** Re-reads signing and cookie keys from the database (the maintenance job does so every interval). */
  keys: KeyReloader;
  close(): Promise<void>;
}

/** Build options override what the configuration says (tests); `npm start` passes none. */
export interface BuildOptions {
  logger?: Logger;
  now?: () => number;
  throttle?: ThrottleSettings;
  /** Wrong-code delays per phone number. */
  failures?: FailureSettings;
  /** Run migrations before building (default true). */
  migrate?: boolean;
  /** Periodic cleanup of expired rows, in ms (default MAINTENANCE_INTERVAL_MS; 0 disables). */
  maintenanceIntervalMs?: number;
  /** Start the SMS outbox worker loop (default true; tests may drive it with runOnce instead). */
  smsWorker?: boolean;
  sms?: SmsOptions;
  /** Password expiry reminder job: timing, and whether to start its timer (default true; tests call runOnce). */
  reminders?: Partial<ReminderJobOptions> & { start?: boolean };
  /** Least time of a start on the passwordless API, in ms (default 250; tests lower it). */
  passwordlessApiFloorMs?: number;
}

export async function buildContainer(config: Readonly<Config>, opts: BuildOptions = {}): Promise<Container> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const now = opts.now ?? Date.now;
  // GEOIP_DB is opened before anything else, so a bad file stops start-up with nothing to close.
  const countryOfIp: CountryOfIp | undefined = config.geoipDb ? await openCountryOfIp(config.geoipDb) : undefined;
  const db = createKnex(config.database);
  if (opts.migrate !== false) await migrateLatest(db);

  const box = createSecretBox(config.secretKey, config.previousSecretKeys);
  // REDIS_URL moves the counters to Redis (failing closed while it is unreachable); otherwise they stay in the database.
  const redis: RedisCounterStore | undefined = config.redis
    ? createRedisCounters({
        ...config.redis,
        now,
        onStateChange: (reachable, err) => (reachable ? logger.info('Redis reachable again') : logger.warn({ err }, 'Redis unreachable: limited actions answer 503')),
      })
    : undefined;
  if (redis && !(await redis.ready(3000))) logger.warn('Redis not reachable at start-up: limited actions answer 503 until it is');
  const counters: CounterStore = redis ?? createSqlCounters(db, now);
  // Read-mostly settings, cached in this process; a change anywhere is seen here within SETTINGS_CHECK_MS.
  const settingsCache = createSettingsCache(counters);
  const users = createUsersRepo(db, now);
  const clients = createClientsRepo(db, box, now, settingsCache);
  const keys = await loadKeyMaterial(db, box, now);
  // Branding of the hosted screens and SMS texts: the installation's, and each app's over it.
  const brandingRepo = createBrandingRepo(db, now);
  const branding = createBranding({ repo: brandingRepo, settings: settingsCache });
  const screens = createScreens(config, { wayBack: (ctx) => wayBack(ctx), branding: (clientId) => branding.forClient(clientId) });
  const csrf = createCsrf(box);
  const metrics = createMetrics({ db, now });
  const throttle = createLoginThrottle(counters, opts.throttle ?? config.throttle);
  const audit = createAuditRepo(db, now);
  const signIns = createSignInEvents({ audit, db, now, retentionDays: config.signInRetentionDays, phoneOf: async (id) => (await users.findById(id))?.phoneNumber, countryOfIp });
  const passwordPlain = createPasswordMethod({ users, throttle, signIns });
  const counted = <A extends unknown[]>(f: (...a: A) => Promise<PasswordOutcome>) => async (...a: A) => {
    const outcome = await f(...a);
    metrics.signIns.inc({ method: 'password', outcome: outcome.ok ? 'success' : outcome.reason });
    return outcome;
  };
  const password: PasswordMethod = { authenticate: counted(passwordPlain.authenticate), authenticateAccount: counted(passwordPlain.authenticateAccount) };
  const interactions = createInteractionMemory({ now, secure: new URL(config.issuer).protocol === 'https:' });
  const revokeAccount = accountRevoker(db, interactions);

  const adapter = createAdapter({ db, clients, hashId: payloadIdHash(box), now, interactions });
  // The sign-in decision runs as a login check on every /auth; it is built below, once its repositories exist.
  const provider = createProvider({ config, adapter, keys, users, screens, logger, sessionComplete: (s) => decider.sessionComplete(s) });
  const wayBack = createWayBack(provider);

  // Previews say the real code lifetimes (the stores below are read only when a preview is asked for).
  const lifetimes = (p: Purpose) => codeLifetimeMinutes({ connection: smsConnection, smsFactor, policies })(p);
  const smsOptions: SmsOptions = { codeLifetimeMinutes: lifetimes, ...config.sms, ...opts.sms };
  const spend = createSpend({
    db,
    box,
    counters,
    egress: createEgress(smsOptions.providerHosts),
    logger,
    audit,
    caches: settingsCache,
    now,
    observer: {
      stopped: (limit, scope) => metrics.spendStops.inc({ limit, scope }),
      blocked: (scope) => metrics.blocks.inc({ scope }),
      counted: (r) => metrics.spend.inc({ provider: r.provider, country: r.country, currency: r.currency }, r.money),
    },
  });
  const sms = createSms({
    db,
    box,
    config,
    logger,
    now,
    screens,
    options: smsOptions,
    settings: settingsCache,
    clientExists: async (id) => (await clients.find(id)) !== undefined,
    hooks: {
      messages: (repo) => observeMessages(repo, metrics),
      beforeStore: async (m) => {
        await spend.limits.reserve(m).catch((err) => {
          metrics.refusals.inc({ reason: 'spend' });
          throw err;
        });
        const labels = { provider: m.provider, country: countryOf(m.to), purpose: m.purpose };
        metrics.smsSent.inc(labels);
      },
      followup: {
        delay: async (purpose) => {
          const f = (await spend.settings.get()).followup;
          return f.afterMinutes !== null && (f.purposes as string[]).includes(purpose) ? f.afterMinutes * 60_000 : null;
        },
        codeUnused: async (row) => row.flowId !== null && (await codeStillUnused(db, { flowId: row.flowId, sentAt: row.createdAt })),
        appName: async (id) => {
          const c = await clients.find(id);
          return typeof c?.metadata.client_name === 'string' ? c.metadata.client_name : undefined;
        },
      },
    },
  });
  // Every text a flow sends for an app carries its branded name and support contact.
  const sender = brandedSender(sms.sender, branding);
  const codes = createCodeEngine({ db, box, now, counters, failures: opts.failures ?? config.codeFailures });
  const limits = createSendLimits({ counters });
  const smsCode = createSmsCodeMethod({
    codes,
    limits,
    sender,
    now,
    watch: {
      check: (phone, ip) =>
        spend.conversion.check(phone, ip).catch((err) => {
          metrics.refusals.inc({ reason: 'pumping' });
          throw err;
        }),
      checkDecoy: async (phone, ip, purpose) => {
        await spend.conversion.check(phone, ip);
        await spend.limits.check({ to: phone, provider: '', purpose, segments: 1 });
      },
      verifiedCounts: (phone, ip) => spend.conversion.verifiedAdds(phone, ip),
      verified: (phone, _ip, purpose) => {
        metrics.smsVerified.inc({ country: countryOf(phone), purpose });
      },
      outcome: async (o, checked) => {
        metrics.signIns.inc({ method: 'sms', outcome: o.ok ? 'success' : o.reason });
        // A wrong or throttled code at sign-in or MFA is a failed sign-in (a success is recorded when the sign-in finishes).
        if (o.ok || checked.purpose === 'reset_password') return;
        const userId = checked.userId !== undefined ? checked.userId : ((await users.findByPhone(checked.phone).catch(() => undefined))?.id ?? null);
        await signIns.record({ outcome: 'failure', method: checked.purpose === 'mfa' ? 'mfa' : 'sms', userId, clientId: checked.clientId ?? null, ip: checked.ip, phone: checked.phone, reason: o.reason });
      },
    },
  });
  const smsConnection = createSmsConnectionStore(db, now, settingsCache);
  const policies = createPoliciesRepo(db, now, settingsCache);
  const smsFactor = createSmsFactorRepo(db, { isAccountVerified: sms.accounts.isReady }, now, settingsCache);
  const flows = createServerFlows({ db, now });
  const passwordlessDeps = { connection: smsConnection, accountReady: sms.accounts.isReady, smsCode, users, phoneField: smsFactor.phoneFieldName };
  const passwordless = createPasswordlessService(passwordlessDeps);
  // Reset decoys keep their digits across key rotations; the reset phone's hash is checked with the same box.
  const resetBox = withStableHmacKeys(box, keys.stableHmacKeys);
  const mfa = createMfaService({ users, smsFactor, smsCode, audit });
  const decider = createSignInDecider({
    users,
    policies,
    smsFactor,
    box: resetBox,
    now,
    app: async (clientId) => ({
      defaultAcrValues: [(await clients.find(clientId))?.metadata.default_acr_values ?? []].flat().filter((v): v is string => typeof v === 'string'),
      adminConsole: clientId === CONSOLE_CLIENT_ID,
    }),
  });
  const signIn = createInteractionSignIn({ provider, screens, decider, steps: { secondFactor: createMfaStep({ provider, mfa }), enrolPhone: (_ctx, details) => `/interaction/${details.uid}/mfa/enrol` }, appAllowed: tryAppGate(now) });
  const reset = createResetService({ users, policies, smsFactor, resources: sms.resources, smsCode, sender, revokeAccount, audit, counters, box: resetBox, logger, now });

  await seedFirstStart({ config, users, clients, logger, devSms: { smsConnection, smsFactor, policies } });

  // Admin service layer (rules, validation, audit) shared by the REST API and the console.
  const admin = createAdminServices({
    users,
    clients,
    policies,
    smsFactor,
    smsConnection,
    sms,
    audit,
    validateClient: clientValidator(provider),
    hashPassword,
    revokeSessions: async (userId) => void (await revokeAccount(userId)),
    spend,
    unblockLogin: (login) => throttle.release(login),
    userStats: createUserStats(db),
    keyStore: { db, box, now },
    branding: { repo: brandingRepo, service: branding },
  });
  const adminSession = consoleSession({
    config,
    clients,
    users,
    csrf,
    store: new adapter('ConsoleSession'),
    signInComplete: async (accountId, amr, authTime) =>
      (await decider.decide(accountId, proofsFromAmr(amr, authTime), { clientId: CONSOLE_CLIENT_ID, acrValues: [] })).decision.outcome === 'complete',
  });

  // Auth0's passwordless API for native apps: its routes, the OTP grant, and its edge on Auth0's paths and /token.
  const auth0 = createAuth0Api({
    provider,
    issuer: config.issuer,
    logger,
    now,
    passwordless: passwordlessDeps,
    flows,
    clients,
    signInComplete: async (userId, clientId) => (await decider.decide(userId, proofsFromAmr(['sms', 'otp'], now()), { clientId, acrValues: [] })).decision.outcome === 'complete',
    defaultLanguage: config.defaultLocale,
    sendFloorMs: opts.passwordlessApiFloorMs,
  });
  const routers: Router[] = [
    loginRoutes({
      provider,
      screens,
      csrf,
      password,
      smsAvailableFor: passwordless.availableFor,
      smsPhoneExample: passwordless.exampleNumber,
      signIn,
    }),
    loginStepRoutes({ provider, screens, csrf, password, signIn, users, policies, now }),
    passwordlessRoutes({ provider, screens, csrf, passwordless, signIn }),
    mfaRoutes({ provider, screens, csrf, mfa, signIn }),
    resetRoutes({ provider, screens, csrf, reset }),
    sms.routers.statusCallbacks,
    brandingRoutes({ branding }),
    ...(sms.routers.devInbox ? [sms.routers.devInbox] : []),
    auth0.router,
    createAdminApi({ services: admin, provider, clients, issuer: config.urlBase, logger }),
    adminSession.router,
    consoleRoutes({
      screens,
      csrf,
      requireAdmin: adminSession.requireAdmin,
      dashboard: createDashboard(db, { verifiedPerDay: spend.conversion.verifiedPerDay, earlier: createCodeStats(db) }, now),
      services: admin,
      issuer: config.urlBase,
    }),
    ...(config.demoClient ? [demoRoutes({ config, clients, screens })] : []),
    landingRoutes({ config, screens }),
  ];
  const app = createApp({
    config,
    db,
    provider,
    screens,
    logger,
    cookieKeys: keys.cookieKeys,
    routers,
    providerEdges: [auth0.edge],
    requestScope: interactions.within,
    metrics: { router: metricsRoutes({ metrics, db, token: config.metricsToken, ...(redis ? { redis: () => redis.ping() } : {}) }), httpTimer: metrics.httpTimer, timeRequest: metrics.timeRequest },
  });
  app.context.signIns = signIns;

  const keyReloader = createKeyReloader({ db, box, provider, apps: [app], now, initial: keys });
  const maintenance = createMaintenanceJob({
    tasks: [() => purgeExpired(db, now()), counters.purgeExpired, codes.purgeExpired, flows.purgeExpired, keyReloader.reload, createReencryptTask({ db, box, logger }), signIns.purgeExpired],
    logger,
    intervalMs: opts.maintenanceIntervalMs ?? config.maintenanceIntervalMs,
  });
  maintenance.start();
  if (opts.smsWorker !== false) sms.worker.start();

  // Password expiry reminders: a scheduled job, safe with several instances (claims in password_reminders).
  const { start: startReminders = true, ...reminderOptions } = opts.reminders ?? {};
  const reminders = createPasswordReminderJob({
    repo: createPasswordRemindersRepo(db, now),
    users,
    policies,
    smsFactor,
    sender,
    logger,
    now,
    options: reminderOptions,
  });
  if (startReminders) reminders.start();

  return {
    config,
    db,
    box,
    counters,
    users,
    clients,
    provider,
    app,
    logger,
    sms,
    codes,
    flows,
    signInDecider: decider,
    smsConnection,
    policies,
    smsFactor,
    admin,
    reminders,
    spend,
    metrics,
    keys: keyReloader,
    branding,
    async close() {
      maintenance.stop();
      await reminders.stop();
      await sms.worker.stop();
      await spend.alerts.idle();
      await redis?.close();
      await db.destroy();
    },
  };
}

