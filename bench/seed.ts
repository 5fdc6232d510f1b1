// Prepares a fresh Codeword database for a run, through the container's own services: the fake Twilio account
// (verified), SMS sign-in and the SMS factor on, send caps raised, the relying party and the users of each scenario.
// Run as its own process before the server starts; reads BENCH_SEED (input JSON path), writes BENCH_SEED_OUT.
import { readFileSync, writeFileSync } from 'node:fs';
import { pino } from 'pino';
import { loadConfig } from '../src/config/index.ts';
import { buildContainer } from '../src/container.ts';
import { hashPassword } from '../src/security/passwords.ts';
import { type Seed, type SeedInput, mobile, REDIRECT_URI, RP_CLIENT_ID, USER_PASSWORD } from './lib/seed-types.ts';

const input = JSON.parse(readFileSync(process.env.BENCH_SEED!, 'utf8')) as SeedInput;
const config = loadConfig(process.env);
const started = performance.now();
const c = await buildContainer(config, {
  logger: pino({ level: 'warn' }),
  maintenanceIntervalMs: 0,
  smsWorker: false,
  reminders: { start: false },
});

try {
  const account = await c.sms.accounts.create({
    name: 'Fake Twilio (benchmark)',
    provider: 'twilio',
    isDefault: true,
    settings: { accountSid: input.twilio.accountSid, authToken: input.twilio.authToken, from: input.twilio.fromNumber, apiBaseUrl: input.twilio.url },
  });
  const verified = await c.sms.accounts.verify(account.id);
  if (verified.verification.status !== 'valid') throw new Error(`the fake Twilio account did not verify: ${verified.verification.reason}`);

  const rp = await c.clients.upsert(
    {
      client_id: RP_CLIENT_ID,
      client_name: 'Benchmark RP',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    { firstParty: true },
  );

  // Passwordless sign-in for the RP; caps raised so the send limits do not throttle the load (numbers are distinct anyway).
  await c.smsConnection.update({
    enabled: true,
    accountId: account.id,
    clientIds: [RP_CLIENT_ID],
    resendCooldownSeconds: 0,
    perPhonePerHour: 1000,
    perIpPerHour: 100_000,
  });
  await c.smsFactor.save({ active: true, accountId: account.id, phoneField: { source: 'phone_number' }, defaultCountry: null });
  // Spend caps and budgets raised too: a run sends thousands of codes to one country within minutes, which the
  // defaults (1,000 an hour per country, 100 a day) would rightly stop.
  await c.spend.settings.update({ countryHourly: 10_000_000, countryDaily: 100_000_000, dailyBudget: 10_000_000, monthlyBudget: 10_000_000 });
  const policy = await c.policies.getDefault();
  await c.policies.update(policy.id, { mfa: { factors: ['sms'] }, passwordUpdate: { methods: ['sms'] } });

  // One argon2id hash shared by every user (hashing thousands at setup would take minutes).
  const passwordHash = await hashPassword(USER_PASSWORD);
  const seed: Seed = {
    rp: { clientId: RP_CLIENT_ID, clientSecret: rp.client_secret!, redirectUri: REDIRECT_URI },
    admin: { clientId: config.admin.clientId!, clientSecret: config.admin.clientSecret! },
    password: USER_PASSWORD,
    smsPhones: [],
    resetUsers: [],
    loginUsers: [],
  };
  const jobs: Array<() => Promise<unknown>> = [];
  for (let i = 0; i < input.smsUsers; i++) {
    const phone = mobile(1, i);
    seed.smsPhones.push(phone);
    jobs.push(() => c.users.create({ username: `sms${i}`, name: `SMS user ${i}`, phoneNumber: phone, phoneNumberVerified: true }));
  }
  for (let i = 0; i < input.resetUsers; i++) {
    const username = `reset${i}`;
    seed.resetUsers.push({ username, phone: mobile(2, i) });
    jobs.push(() => c.users.create({ username, email: `${username}@bench.example`, name: `Reset user ${i}`, passwordHash, phoneNumber: mobile(2, i), phoneNumberVerified: true }));
  }
  for (let i = 0; i < input.loginUsers; i++) {
    const username = `user${i}`;
    seed.loginUsers.push(username);
    jobs.push(() => c.users.create({ username, email: `${username}@bench.example`, name: `Login user ${i}`, passwordHash, phoneNumber: mobile(3, i), phoneNumberVerified: true }));
  }
  // A few at a time: MariaDB commits them in groups; SQLite has one connection anyway.
  const lanes = config.database.client === 'mysql2' ? 8 : 1;
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
  writeFileSync(process.env.BENCH_SEED_OUT!, JSON.stringify(seed));
  process.stderr.write(`seeded ${jobs.length} users in ${Math.round(performance.now() - started)} ms\n`);
} finally {
  await c.close();
}
