// Composition root: builds storage, services, the provider and the routers once, handing each only what it needs.
import type Router from '@koa/router';
import type Koa from 'koa';
import type Provider from 'oidc-provider';
import { createApp } from './app.ts';
import { createAuth0Api } from './api/auth0/index.ts';
import { createAdminApi } from './admin/api/index.ts';
import { type AdminServices, createAdminServices } from './admin/services/index.ts';
import { hashPassword } from './security/passwords.ts';
import { ensureAdminMachineClient, ensureConsoleClient, ensureFirstAdmin } from './admin/bootstrap.ts';
import { createDashboard } from './admin/console/dashboard.ts';
import { consoleRoutes } from './admin/console/routes.ts';
import { consoleSession } from './admin/console/session.ts';
import { ensureTryClient, offerSmsToTryApp } from './admin/console/try-app.ts';
import type { Config } from './config/index.ts';
import { type ClientsRepo, createClientsRepo } from './db/clients.ts';
import { createKnex, type Knex, migrateLatest } from './db/knex.ts';
import { createUsersRepo, type UsersRepo } from './db/users.ts';
import { ensureDemoUser } from './dev/bootstrap.ts';
import { demoRoutes, ensureDemoClient } from './dev/demo.ts';
import { type CodeEngine, createCodeEngine, createCodeStats, createSendLimits } from './codes/index.ts';
import { createPoliciesRepo, createSmsFactorRepo, type PoliciesRepo, type SmsFactorRepo } from './db/policies.ts';
import { createPasswordRemindersRepo } from './db/password-reminders.ts';
import { createPasswordReminderJob, type PasswordReminderJob, type ReminderJobOptions } from './jobs/password-reminders.ts';
import { createAuditRepo } from './db/audit.ts';
import { loginRoutes } from './flows/login/routes.ts';
import { resetRoutes } from './flows/reset/routes.ts';
import { createResetService } from './flows/reset/service.ts';
import { createMfaGate, mfaRoutes } from './flows/mfa/routes.ts';
import { createMfaService } from './flows/mfa/service.ts';
import { passwordlessRoutes } from './flows/passwordless/routes.ts';
import { createPasswordlessService } from './flows/passwordless/service.ts';
import { createServerFlows, type ServerFlows } from './flows/state/server.ts';
import { createSmsCodeMethod } from './methods/sms-code/index.ts';
import { createSmsConnectionStore, type SmsConnectionStore } from './settings/sms-connection.ts';
import { createSms, type Sms, type SmsOptions } from './sms/index.ts';
import { createLogger, type Logger } from './logger.ts';
import { createPasswordMethod } from './methods/password/index.ts';
import { createAdapter, purgeExpired, revokeAccount } from './oidc/adapter.ts';
import { loadKeyMaterial } from './oidc/keys.ts';
import { createProvider } from './oidc/provider.ts';
import { createCsrf } from './security/csrf.ts';
import { createLimiterFactory, purgeExpiredLimits } from './security/limiter.ts';
import { createLoginThrottle, defaultThrottleSettings, type ThrottleSettings } from './security/login-throttle.ts';
import { createSecretBox, type SecretBox } from './security/secrets.ts';
import { createScreens } from './views.ts';

export interface Container {
  config: Readonly<Config>;
  db: Knex;
  box: SecretBox;
  users: UsersRepo;
  clients: ClientsRepo;
  provider: Provider;
  app: Koa;
  logger: Logger;
  sms: Sms;
  codes: CodeEngine;
  /** Server-side flow state for flows without a browser (native-app APIs). */
  flows: ServerFlows;
  smsConnection: SmsConnectionStore;
  policies: PoliciesRepo;
  smsFactor: SmsFactorRepo;
  /** Admin service layer (rules, validation, audit) shared by the admin API and the console. */
  admin: AdminServices;
  /** Password expiry reminder job (started unless `reminders.start` is false). */
  reminders: PasswordReminderJob;
  close(): Promise<void>;
}

export interface BuildOptions {
  logger?: Logger;
  now?: () => number;
  throttle?: ThrottleSettings;
  /** Run migrations before building (default true). */
  migrate?: boolean;
  /** Periodic cleanup of expired rows, in ms (default 10 minutes; 0 disables). */
  maintenanceIntervalMs?: number;
  /** Start the SMS outbox worker loop (default true; tests may drive it with runOnce instead). */
  smsWorker?: boolean;
  sms?: SmsOptions;
  /** Password expiry reminder job: timing, and whether to start its timer (default true; tests call runOnce). */
  reminders?: Partial<ReminderJobOptions> & { start?: boolean };
}

export async function buildContainer(config: Readonly<Config>, opts: BuildOptions = {}): Promise<Container> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const now = opts.now ?? Date.now;
  const db = createKnex(config.database);
  if (opts.migrate !== false) await migrateLatest(db);

  const box = createSecretBox(config.secretKey, config.previousSecretKeys);
  const users = createUsersRepo(db, now);
  const clients = createClientsRepo(db, box, now);
  const keys = await loadKeyMaterial(db, box, now);
  const screens = createScreens(config);
  const csrf = createCsrf(box);
  const limiter = createLimiterFactory(db);
  const throttle = createLoginThrottle(limiter, opts.throttle ?? defaultThrottleSettings);
  const password = createPasswordMethod({ users, throttle });

  const adapter = createAdapter({ db, clients, now });
  const provider = createProvider({ config, adapter, keys, users, screens, logger });

  const sms = createSms({ db, box, config, logger, now, screens, options: opts.sms });
  const accountReady = (id: string) =>
    sms.accounts.get(id).then(
      (a) => a.verification.status === 'valid',
      () => false, // a deleted account is simply not ready
    );
  const codes = createCodeEngine({ db, box, now });
  const limits = createSendLimits({ db, limiter, now });
  const smsCode = createSmsCodeMethod({ codes, limits, sender: sms.sender });
  const smsConnection = createSmsConnectionStore(db, now);
  const policies = createPoliciesRepo(db, now);
  const smsFactor = createSmsFactorRepo(db, { isAccountVerified: accountReady }, now);
  const phoneField = async () => {
    const { phoneField: f } = await smsFactor.get();
    return f.source === 'phone_number' ? 'phone_number' : f.attribute;
  };
  const flows = createServerFlows({ db, now });
  const passwordlessDeps = { connection: smsConnection, accountReady, smsCode, users, phoneField };
  const passwordless = createPasswordlessService(passwordlessDeps);
  // The console's built-in test app ("Try" on the SMS connection) is offered SMS sign-in whenever the connection is on.
  const smsAvailableFor = offerSmsToTryApp(passwordless.availableFor, { connection: smsConnection, accountReady });
  const mfa = createMfaService({ users, policies, smsFactor, smsCode });
  const audit = createAuditRepo(db, now);
  const reset = createResetService({
    users,
    policies,
    smsFactor,
    smsCode,
    sender: sms.sender,
    revokeAccount: (accountId) => revokeAccount(db, accountId),
    audit,
    limiter,
    box,
    logger,
    now,
  });

  await ensureFirstAdmin(users, config, logger);
  await ensureAdminMachineClient(clients, config);

  const routers: Router[] = [
    loginRoutes({ provider, screens, csrf, password, smsAvailableFor, secondFactor: createMfaGate({ provider, mfa }) }),
    passwordlessRoutes({ provider, screens, csrf, passwordless: { ...passwordless, availableFor: smsAvailableFor } }),
    mfaRoutes({ provider, screens, csrf, mfa }),
    resetRoutes({ provider, screens, csrf, reset }),
    sms.routers.statusCallbacks,
  ];
  if (sms.routers.devInbox) routers.push(sms.routers.devInbox);
  // Auth0's passwordless API for native apps (its own routes, the OTP grant, and Auth0's paths before the provider).
  const auth0 = createAuth0Api({ provider, issuer: config.issuer, logger, now, passwordless: passwordlessDeps, flows, clients, policies, defaultLanguage: config.defaultLocale });
  routers.push(auth0.router);

  // Admin service layer and REST API (/admin/api/v1, bearer tokens from the client credentials grant).
  const admin = createAdminServices({
    users,
    clients,
    policies,
    smsFactor,
    smsConnection,
    sms,
    audit,
    validateClient: (metadata) => provider.Client.validate(metadata as Parameters<Provider['Client']['validate']>[0]),
    hashPassword,
    revokeSessions: async (userId) => {
      await revokeAccount(db, userId);
    },
  });
  routers.push(createAdminApi({ services: admin, provider, clients, issuer: config.issuer, logger }));

  // Admin console: admins sign in through Codeword itself, as a first-party client.
  await ensureConsoleClient(clients, config.issuer);
  await ensureTryClient(clients, config.issuer);
  const adminSession = consoleSession({ config, clients, users, csrf, now });
  routers.push(
    adminSession.router,
    consoleRoutes({
      screens,
      csrf,
      requireAdmin: adminSession.requireAdmin,
      dashboard: createDashboard(db, createCodeStats(db), now),
      services: admin,
      issuer: config.issuer,
    }),
  );
  if (config.demoClient) {
    await ensureDemoClient(clients, config.issuer);
    await ensureDemoUser(users, logger);
    routers.push(demoRoutes({ config, clients, screens }));
  }
  const app = createApp({ config, db, provider, screens, logger, cookieKeys: keys.cookieKeys, routers, beforeProvider: [auth0.beforeProvider] });

  const interval = opts.maintenanceIntervalMs ?? 10 * 60 * 1000;
  const timer = interval
    ? setInterval(() => {
        Promise.all([purgeExpired(db, now()), purgeExpiredLimits(db, now()), codes.purgeExpired(), limits.purgeExpired(), flows.purgeExpired()]).catch((err) =>
          logger.warn({ err }, 'cleanup failed'),
        );
      }, interval)
    : undefined;
  timer?.unref();
  if (opts.smsWorker !== false) sms.worker.start();

  // Password expiry reminders: a scheduled job, safe with several instances (claims in password_reminders).
  const { start: startReminders = true, ...reminderOptions } = opts.reminders ?? {};
  const reminders = createPasswordReminderJob({
    repo: createPasswordRemindersRepo(db, now),
    users,
    policies,
    smsFactor,
    sender: sms.sender,
    logger,
    now,
    options: reminderOptions,
  });
  if (startReminders) reminders.start();

  return {
    config,
    db,
    box,
    users,
    clients,
    provider,
    app,
    logger,
    sms,
    codes,
    flows,
    smsConnection,
    policies,
    smsFactor,
    admin,
    reminders,
    async close() {
      if (timer) clearInterval(timer);
      await reminders.stop();
      await sms.worker.stop();
      await db.destroy();
    },
  };
}
