// A test server with a fake Twilio behind a verified SMS account, a movable clock, and SMS sign-in enabled for the RP.
import { startFakeTwilio, type FakeTwilio } from '../fakes/fake-twilio.ts';
import { registerClient } from './rp.ts';
import { startServer, type StartOptions, type TestServer } from './server.ts';

export interface SmsTestEnv {
  server: TestServer;
  fake: FakeTwilio;
  rp: Awaited<ReturnType<typeof registerClient>>;
  accountId: string;
  clock: { now(): number; advance(ms: number): void };
  /** Sends what the outbox holds, so the fake has received it. */
  deliver(): Promise<void>;
  close(): Promise<void>;
}

export async function startSmsEnv(opts: StartOptions & { connection?: Record<string, unknown> } = {}): Promise<SmsTestEnv> {
  let t = Date.now();
  const clock = {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
  const server = await startServer({ now: clock.now, smsWorker: false, ...opts });
  const fake = await startFakeTwilio({ now: clock.now });
  const sms = server.container.sms;
  const account = await sms.accounts.create({
    name: 'Twilio',
    provider: 'twilio',
    isDefault: true,
    settings: { accountSid: fake.accountSid, authToken: fake.authToken, from: fake.fromNumber, apiBaseUrl: fake.url, statusCallbacks: true },
  });
  const verified = await sms.accounts.verify(account.id);
  if (verified.verification.status !== 'valid') throw new Error(`fake Twilio account not verified: ${verified.verification.reason}`);
  const rp = await registerClient(server);
  await server.container.smsConnection.update({ enabled: true, accountId: account.id, clientIds: [rp.meta.client_id], ...opts.connection });
  return {
    server,
    fake,
    rp,
    accountId: account.id,
    clock,
    async deliver() {
      await sms.worker.runOnce();
    },
    async close() {
      await fake.close();
      await server.close();
    },
  };
}
