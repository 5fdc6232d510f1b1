// A test server whose app mounts the reset screens, with a fake Twilio behind the SMS factor, a movable clock and flow helpers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createApp } from '../../src/app.ts';
import { createSqlCounters } from '../../src/counters/index.ts';
import { createSendLimits } from '../../src/sms/limits/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { Config } from '../../src/config/index.ts';
import { buildContainer, type Container } from '../../src/container.ts';
import { type AuditRepo, createAuditRepo } from '../../src/db/audit.ts';
import type { NewUser, User } from '../../src/db/users.ts';
import { loginRoutes } from '../../src/flows/login/routes.ts';
import { resetRoutes } from '../../src/flows/reset/routes.ts';
import { createSignInDecider } from '../../src/flows/decision/decider.ts';
import { createInteractionSignIn } from '../../src/flows/interaction/signin.ts';
import { createResetService } from '../../src/flows/reset/service.ts';
import { createPasswordMethod } from '../../src/methods/password/index.ts';
import { createSmsCodeMethod } from '../../src/methods/sms-code/index.ts';
import { revokeAccount } from '../../src/oidc/adapter.ts';
import type { PhoneField, PolicyPatch } from '../../src/policies/index.ts';
import { createCsrf } from '../../src/security/csrf.ts';
import { createLoginThrottle, defaultThrottleSettings } from '../../src/security/login-throttle.ts';
import { hashPassword } from '../../src/security/passwords.ts';
import { createScreens } from '../../src/views.ts';
import { type FakeTwilio, startFakeTwilio } from '../fakes/fake-twilio.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { authorizationRequest, registerClient } from '../helpers/rp.ts';
import type { TestServer } from '../helpers/server.ts';
import { formAction, inputValue, type Page, UserAgent } from '../helpers/user-agent.ts';

export const SUPPORT = 'help@example.test';
const SECRET = 'reset-test-secret-key-that-is-long-enough-012345';

export interface Clock {
  now(): number;
  advance(ms: number): void;
}

export interface ResetEnv {
  url: string;
  /** What the shared helpers (registerClient, …) expect. */
  server: TestServer;
  container: Container;
  fake: FakeTwilio;
  clock: Clock;
  rp: Awaited<ReturnType<typeof registerClient>>;
  audit: AuditRepo;
  accountId: string;
  /** Creates an enabled user with a password ("old password 1234") and, unless given, the next unused mobile number. */
  user(username: string, extra?: Partial<NewUser>): Promise<User & { phone: string | null }>;
  /** Sends what the outbox holds to the fake Twilio. */
  deliver(): Promise<void>;
  /** Messages queued so far (any purpose, any provider). */
  outbox(): Promise<{ purpose: string; to: string }[]>;
  /** Changes the default policy. */
  policy(patch: PolicyPatch): Promise<void>;
  close(): Promise<void>;
}

export interface ResetEnvOptions {
  phoneField?: PhoneField;
  defaultCountry?: string | null;
  supportContact?: string;
  sendFloorMs?: number;
  /** Identifiers one address may look up per 15 minutes (default: high enough not to matter). */
  identifyPerIpPer15Min?: number;
}

export const OLD_PASSWORD = 'old password 1234';

let numbers = 0;
/** Fictional Australian mobile numbers (0491 57x xxx is reserved for drama), one per call. */
export function nextMobile(): string {
  numbers += 1;
  return `+61491570${String(100 + (numbers % 900)).padStart(3, '0')}`;
}

export async function startResetEnv(opts: ResetEnvOptions = {}): Promise<ResetEnv> {
  let t = Date.now();
  const clock: Clock = {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
  const http: Server = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const database = await createTestDatabase();
  const base = loadConfig({ NODE_ENV: 'test', SECRET_KEY: SECRET, ISSUER: url, PORT: String(port), DEMO_CLIENT: 'false', SUPPORT_CONTACT: opts.supportContact ?? SUPPORT });
  const config: Readonly<Config> = Object.freeze({ ...base, database: database.database });
  const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const container = await buildContainer(config, { logger, maintenanceIntervalMs: 0, now: clock.now, smsWorker: false, sms: { providerHosts: ['127.0.0.1'] } });
  const { db, box, provider, users, sms } = container;

  const fake = await startFakeTwilio({ now: clock.now });
  const account = await sms.accounts.create({
    name: 'Twilio',
    provider: 'twilio',
    isDefault: true,
    settings: { accountSid: fake.accountSid, authToken: fake.authToken, from: fake.fromNumber, apiBaseUrl: fake.url },
  });
  if ((await sms.accounts.verify(account.id)).verification.status !== 'valid') throw new Error('the fake Twilio account did not verify');
  await container.smsFactor.save({ active: true, accountId: account.id, phoneField: opts.phoneField ?? { source: 'phone_number' }, defaultCountry: opts.defaultCountry ?? null });
  const defaultPolicy = await container.policies.getDefault();
  const policy = async (patch: PolicyPatch) => {
    await container.policies.update(defaultPolicy.id, patch);
  };
  await policy({ mfa: { factors: ['sms'] }, passwordUpdate: { methods: ['sms'] } });

  // The reset flow composed the way the composition root is asked to compose it.
  const counters = createSqlCounters(db, clock.now);
  const screens = createScreens(config);
  const csrf = createCsrf(box);
  const audit = createAuditRepo(db, clock.now);
  const smsCode = createSmsCodeMethod({ codes: container.codes, limits: createSendLimits({ counters }), sender: sms.sender });
  const reset = createResetService({
    users,
    policies: container.policies,
    smsFactor: container.smsFactor,
    resources: sms.resources,
    smsCode,
    sender: sms.sender,
    revokeAccount: (id) => revokeAccount(db, id),
    audit,
    counters,
    box,
    logger,
    now: clock.now,
    sendFloorMs: opts.sendFloorMs ?? 0,
    identifyPerIpPer15Min: opts.identifyPerIpPer15Min ?? 10_000,
  });
  const password = createPasswordMethod({ users, throttle: createLoginThrottle(counters, defaultThrottleSettings) });
  const decider = createSignInDecider({
    users,
    policies: container.policies,
    smsFactor: container.smsFactor,
    box,
    now: clock.now,
    app: async () => ({ defaultAcrValues: [], adminConsole: false }),
  });
  const secondFactor = async (): Promise<string> => {
    throw new Error('no second factor in the reset harness');
  };
  const signIn = createInteractionSignIn({ provider, screens, decider, steps: { secondFactor } });
  const app = createApp({
    config,
    db,
    provider,
    screens,
    logger,
    cookieKeys: [SECRET],
    routers: [loginRoutes({ provider, screens, csrf, password, signIn }), resetRoutes({ provider, screens, csrf, reset })],
  });
  http.on('request', app.callback());

  const server: TestServer = { url, container, database, close: async () => undefined };
  const rp = await registerClient(server);
  const passwordHash = await hashPassword(OLD_PASSWORD);

  return {
    url,
    server,
    container,
    fake,
    clock,
    rp,
    audit,
    accountId: account.id,
    async user(username, extra = {}) {
      const phone = 'phoneNumber' in extra ? (extra.phoneNumber ?? null) : nextMobile();
      const created = await users.create({ username, email: `${username}@example.test`, passwordHash, name: username, ...extra, phoneNumber: phone });
      return { ...created, phone };
    },
    async deliver() {
      await sms.worker.runOnce();
    },
    async outbox() {
      return (await sms.sender.log({ limit: 500 })).map((m) => ({ purpose: m.purpose, to: m.to }));
    },
    policy,
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await fake.close();
      await container.close();
      await database.drop();
    },
  };
}

/** A browser at the sign-in screen of a fresh authorization request, and the reset URLs of its interaction. */
export async function atSignIn(env: ResetEnv, ua = new UserAgent(), params: Record<string, string> = {}) {
  const page = await ua.follow((await authorizationRequest(env.rp.config, params)).url.href);
  const uid = new URL(page.url).pathname.split('/')[2]!;
  return { ua, page, uid, signIn: `${env.url}/interaction/${uid}`, base: `${env.url}/interaction/${uid}/reset` };
}

/** Submits the (first) form of `page` with its CSRF token plus `fields`; no redirect is followed. */
export function submit(ua: UserAgent, page: Page, fields: Record<string, string>, formIndex = 0): Promise<Page> {
  const action = formAction(page.html, formIndex);
  if (!action) throw new Error(`no form on ${page.url}: ${page.status} ${page.html.slice(0, 300)}`);
  return ua.request(new URL(action, page.url).href, { form: { csrf: inputValue(page.html, 'csrf') ?? '', ...fields } });
}

/** Follows one redirect of a response (303 from a form). */
export function next(ua: UserAgent, page: Page): Promise<Page> {
  const location = page.headers.get('location');
  if (!location) throw new Error(`expected a redirect from ${page.url}, got ${page.status}: ${page.html.slice(0, 300)}`);
  return ua.request(new URL(location, page.url).href);
}

/** From the sign-in screen to the code screen: username or email, then "Text a code". */
export async function requestCode(env: ResetEnv, login: string, ua = new UserAgent()) {
  const at = await atSignIn(env, ua);
  const start = await ua.request(at.base);
  const method = await next(ua, await submit(ua, start, { login }));
  const sent = await submit(ua, method, { method: 'sms' });
  const code = sent.status === 303 ? await next(ua, sent) : sent;
  return { ...at, start, method, sent, code };
}

/** The code texted to `phone` last, after the outbox has run. */
export async function textedCode(env: ResetEnv, phone: string): Promise<string> {
  await env.deliver();
  const code = env.fake.lastCode(phone);
  if (!code) throw new Error(`no code was texted to ${phone}`);
  return code;
}
