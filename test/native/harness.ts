// Test setup for the passwordless API: an SMS test server with first-party native clients allowed the OTP grant.
import { OTP_GRANT } from '../../src/api/auth0/index.ts';
import type { NewClient } from '../../src/db/clients.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import type { StartOptions } from '../helpers/server.ts';

export { OTP_GRANT };
export const WRONG = 'Wrong phone number or verification code.';
export const KNOWN = '+61491570156';
export const UNKNOWN = '+61491570157';

export interface NativeEnv extends SmsTestEnv {
  /** Registers a client and turns the SMS connection on for it. */
  addClient(clientId: string, meta?: Partial<NewClient>, opts?: { firstParty?: boolean; sms?: boolean }): Promise<{ client_id: string; client_secret?: string }>;
  post(path: string, body: unknown, opts?: { form?: boolean; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>;
  /** Starts a sign-in at `/passwordless/start` and delivers the SMS; returns the code the fake received (if any). */
  startAndDeliver(clientId: string, phone: string, extra?: Record<string, unknown>): Promise<string | undefined>;
  token(params: Record<string, string>, opts?: { json?: boolean; path?: string }): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>;
}

export async function startNativeEnv(opts: StartOptions & { connection?: Record<string, unknown> } = {}): Promise<NativeEnv> {
  const env = await startSmsEnv({ passwordlessApiFloorMs: 0, ...opts, connection: { resendCooldownSeconds: 0, ...opts.connection } });
  const { clients, smsConnection } = env.server.container;

  const post: NativeEnv['post'] = async (path, body, o = {}) => {
    const res = await fetch(`${env.server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': o.form ? 'application/x-www-form-urlencoded' : 'application/json', ...o.headers },
      body: o.form ? new URLSearchParams(body as Record<string, string>).toString() : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { text };
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };

  async function drain() {
    // Until the outbox is empty: a batch may not hold everything queued.
    for (let posts = -1; posts !== env.fake.messagePosts; ) {
      posts = env.fake.messagePosts;
      await env.deliver();
    }
  }

  return {
    ...env,
    post,
    deliver: drain,
    async addClient(clientId, meta = {}, o = {}) {
      const saved = await clients.upsert(
        {
          client_id: clientId,
          client_name: `App ${clientId}`,
          redirect_uris: [],
          grant_types: [OTP_GRANT, 'refresh_token'],
          response_types: [],
          token_endpoint_auth_method: 'none',
          ...meta,
        },
        { firstParty: o.firstParty ?? true },
      );
      if (o.sms !== false) {
        const c = await smsConnection.get();
        await smsConnection.update({ clientIds: [...new Set([...c.clientIds, clientId])] });
      }
      return saved;
    },
    async startAndDeliver(clientId, phone, extra = {}) {
      const before = env.fake.messagesTo(phone).length;
      const res = await post('/passwordless/start', { client_id: clientId, connection: 'sms', phone_number: phone, send: 'code', ...extra });
      if (res.status !== 200) throw new Error(`start failed: ${res.status} ${JSON.stringify(res.body)}`);
      await drain();
      return env.fake.messagesTo(phone).length > before ? env.fake.lastCode(phone) : undefined;
    },
    token(params, o = {}) {
      return post(o.path ?? '/oauth/token', { grant_type: OTP_GRANT, ...params }, { form: !o.json });
    },
  };
}
