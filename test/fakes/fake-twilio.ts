// A local stand-in for Twilio's REST API (Messages, Accounts) speaking its wire format, for the real SDK to talk to in tests.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

const hex = (n: number) => randomBytes(n / 2).toString('hex');
export const twilioSid = (prefix: string) => `${prefix}${hex(32)}`;
const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

export interface FakeMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  status: string;
  statusCallback: string | null;
  /** Which credential sent it. */
  auth: 'auth_token' | 'api_key';
  dateCreated: Date;
}

/** One scripted answer to the next message POST: an error, or a slow success (`record` keeps the message). */
export interface Scripted {
  status: number;
  code?: number;
  message?: string;
  delayMs?: number;
  /** Keep the message although the answer is an error or arrives late (a response lost on the way back). */
  record?: boolean;
}

export interface FakeTwilioOptions {
  /** Rewrites a StatusCallback URL before posting to it (the public issuer → the local server, like a reverse proxy). */
  callbackRewrite?: (url: string) => string;
  /** Twilio's clock (date_created), so tests that move time keep both sides in step. */
  now?: () => number;
}

export interface FakeTwilio {
  url: string;
  accountSid: string;
  authToken: string;
  apiKey: { sid: string; secret: string };
  messagingServiceSid: string;
  /** Twilio's magic valid `From` for test credentials. */
  fromNumber: string;
  /** Messages accepted, oldest first. */
  messages: FakeMessage[];
  /** Every message POST received (accepted or not). */
  messagePosts: number;
  /** Queues scripted answers for the next message POSTs. */
  script(...answers: Scripted[]): void;
  /** Makes every message to `to` fail with a Twilio error code. */
  failFor(to: string, code: number, status?: number): void;
  messagesTo(to: string): FakeMessage[];
  /** The last code sent to a number (first run of 4–8 digits in the last message). */
  lastCode(to: string): string | undefined;
  /**
   * Posts a status callback for a message, signed with the Auth Token as Twilio does (or badly / not at all).
   * Resolves with the HTTP status our endpoint answered.
   */
  postStatus(sid: string, status: string, opts?: { errorCode?: number; signature?: 'valid' | 'bad' | 'missing'; extra?: Record<string, string> }): Promise<number>;
  close(): Promise<void>;
}

const MAGIC_TO: Record<string, number> = {
  '+15005550001': 21211,
  '+15005550002': 21612,
  '+15005550003': 21408,
  '+15005550004': 21610,
  '+15005550009': 21614,
};

const ERROR_TEXT: Record<number, string> = {
  20003: 'Authenticate',
  20404: 'The requested resource was not found',
  20429: 'Too Many Requests',
  21211: "The 'To' number is not a valid phone number.",
  21408: 'Permission to send an SMS has not been enabled for the region indicated by the To number.',
  21602: 'Message body is required.',
  21603: "A 'From' or 'MessagingServiceSid' parameter is required to send a message.",
  21604: "A 'To' phone number is required.",
  21606: "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination/account.",
  21610: 'Attempt to send to unsubscribed recipient',
  21612: "The 'To' phone number is not currently reachable via SMS.",
  21614: "'To' number is not a valid mobile number",
  21617: 'The concatenated message body exceeds the 1600 character limit.',
  21701: 'The Messaging Service Sid is invalid.',
};

export async function startFakeTwilio(opts: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const accountSid = twilioSid('AC');
  const authToken = hex(32);
  const apiKey = { sid: twilioSid('SK'), secret: randomBytes(24).toString('base64url') };
  const messagingServiceSid = twilioSid('MG');
  const fromNumber = '+15005550006';
  const messages: FakeMessage[] = [];
  const scripted: Scripted[] = [];
  const failures = new Map<string, { code: number; status: number }>();
  const timers = new Set<NodeJS.Timeout>();
  let messagePosts = 0;
  const clock = opts.now ?? Date.now;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, code: number, message = ERROR_TEXT[code] ?? 'Error') =>
    json(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

  const readBody = (req: IncomingMessage) =>
    new Promise<URLSearchParams>((resolve, reject) => {
      let data = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        data += c;
      });
      req.on('end', () => resolve(new URLSearchParams(data)));
      req.on('error', reject);
    });

  /** Basic auth: Account SID + Auth Token, or API Key SID + secret (for this account). */
  const authOf = (req: IncomingMessage, sid: string): FakeMessage['auth'] | undefined => {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Basic ')) return undefined;
    const [user, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    const pass = rest.join(':');
    if (sid !== accountSid) return undefined;
    if (user === accountSid && pass === authToken) return 'auth_token';
    if (user === apiKey.sid && pass === apiKey.secret) return 'api_key';
    return undefined;
  };

  const view = (m: FakeMessage) => ({
    account_sid: m.accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: rfc2822(m.dateCreated),
    date_sent: null,
    date_updated: rfc2822(m.dateCreated),
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: '0',
    // Approximate: the fake does not implement encodings; Codeword computes its own count.
    num_segments: String(Math.max(1, Math.ceil(m.body.length / 153))),
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}/Media.json` },
    to: m.to,
    uri: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`,
  });

  async function createMessage(req: IncomingMessage, res: ServerResponse, sid: string, auth: FakeMessage['auth']) {
    messagePosts++;
    const form = await readBody(req);
    const to = form.get('To');
    const from = form.get('From');
    const service = form.get('MessagingServiceSid');
    const body = form.get('Body');
    const make = (): FakeMessage => {
      const m: FakeMessage = {
        sid: twilioSid('SM'),
        accountSid: sid,
        to: to ?? '',
        from: service ? null : from,
        messagingServiceSid: service,
        body: body ?? '',
        status: service ? 'accepted' : 'queued',
        statusCallback: form.get('StatusCallback'),
        auth,
        dateCreated: new Date(clock()),
      };
      messages.push(m);
      return m;
    };

    const next = scripted.shift();
    if (next) {
      // A kept message exists from now on, even if the answer is late or an error.
      const m = next.record || next.status === 201 ? make() : undefined;
      const answer = () => {
        if (next.status === 201 && m) json(res, 201, view(m));
        else error(res, next.status, next.code ?? (next.status === 429 ? 20429 : 20500), next.message ?? 'Internal Server Error');
      };
      if (next.delayMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          answer();
        }, next.delayMs);
        timers.add(t);
      } else answer();
      return;
    }

    if (!to) return error(res, 400, 21604);
    if (!from && !service) return error(res, 400, 21603);
    if (!body) return error(res, 400, 21602);
    if (body.length > 1600) return error(res, 400, 21617);
    if (service && service !== messagingServiceSid) return error(res, 400, 21701);
    if (!service && from !== fromNumber) return error(res, 400, 21606);
    if (!/^\+[1-9]\d{6,14}$/.test(to)) return error(res, 400, 21211);
    const magic = MAGIC_TO[to];
    if (magic) return error(res, 400, magic);
    const failure = failures.get(to);
    if (failure) return error(res, failure.status, failure.code);
    json(res, 201, view(make()));
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const account = /^\/2010-04-01\/Accounts\/([^/]+?)(\.json|\/.*)$/.exec(url.pathname);
    if (!account) return error(res, 404, 20404);
    const [, sid, rest] = account as unknown as [string, string, string];
    const auth = authOf(req, sid);
    if (!auth) return error(res, 401, 20003);

    if (rest === '.json' && req.method === 'GET') {
      return json(res, 200, {
        sid,
        friendly_name: 'Fake account',
        status: 'active',
        type: 'Full',
        owner_account_sid: sid,
        date_created: rfc2822(new Date(0)),
        date_updated: rfc2822(new Date(0)),
        uri: `/2010-04-01/Accounts/${sid}.json`,
      });
    }
    if (rest === '/Messages.json' && req.method === 'POST') {
      createMessage(req, res, sid, auth).catch(() => error(res, 500, 20500));
      return;
    }
    if (rest === '/Messages.json' && req.method === 'GET') {
      const to = url.searchParams.get('To');
      const size = Number(url.searchParams.get('PageSize') ?? 50);
      const list = messages
        .filter((m) => !to || m.to === to)
        .reverse()
        .slice(0, size);
      return json(res, 200, {
        messages: list.map(view),
        start: 0,
        end: Math.max(0, list.length - 1),
        page: 0,
        page_size: size,
        first_page_uri: `${url.pathname}${url.search}`,
        previous_page_uri: null,
        next_page_uri: null,
        uri: `${url.pathname}${url.search}`,
      });
    }
    const one = /^\/Messages\/(SM[0-9a-f]{32})\.json$/.exec(rest);
    if (one && req.method === 'GET') {
      const m = messages.find((x) => x.sid === one[1]);
      return m ? json(res, 200, view(m)) : error(res, 404, 20404);
    }
    return error(res, 404, 20404);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    apiKey,
    messagingServiceSid,
    fromNumber,
    messages,
    get messagePosts() {
      return messagePosts;
    },
    script(...answers) {
      scripted.push(...answers);
    },
    failFor(to, code, status = 400) {
      failures.set(to, { code, status });
    },
    messagesTo(to) {
      return messages.filter((m) => m.to === to);
    },
    lastCode(to) {
      const last = messages.filter((m) => m.to === to).at(-1);
      return last ? /\b(\d{4,8})\b/.exec(last.body)?.[1] : undefined;
    },
    async postStatus(sid, status, o = {}) {
      const m = messages.find((x) => x.sid === sid);
      if (!m?.statusCallback) throw new Error(`message ${sid} has no StatusCallback`);
      const params: Record<string, string> = {
        AccountSid: m.accountSid,
        ApiVersion: '2010-04-01',
        From: m.from ?? '+15005550006',
        MessageSid: m.sid,
        MessageStatus: status,
        SmsSid: m.sid,
        SmsStatus: status,
        To: m.to,
        ...(o.errorCode ? { ErrorCode: String(o.errorCode) } : {}),
        ...o.extra,
      };
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      const signature = o.signature ?? 'valid';
      if (signature !== 'missing') {
        // Signed over the URL Twilio was given (the public one), whatever network path the request takes.
        const token = signature === 'valid' ? authToken : hex(32);
        headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature(token, m.statusCallback, params);
      }
      const target = opts.callbackRewrite ? opts.callbackRewrite(m.statusCallback) : m.statusCallback;
      const res = await fetch(target, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
      await res.arrayBuffer();
      if (res.status < 300) m.status = status;
      return res.status;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
