// A local stand-in for Alibaba Cloud SMS (dysmsapi 2017-05-25, RPC style) that checks ACS3-HMAC-SHA256 signatures and pushes SmsReport.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAlibabaSms {
  bizId: string;
  outId: string | null;
  phone: string;
  signName: string;
  templateCode: string;
  params: Record<string, string>;
  /** China Standard Time, yyyyMMdd. */
  sendDate: string;
  /** 1 waiting, 2 failed, 3 delivered (QuerySendDetails' SendStatus). */
  sendStatus: 1 | 2 | 3;
  errCode: string;
}

/** One scripted answer to the next SendSms: an error code, or a late answer (`record` keeps the message). */
export interface AlibabaScripted {
  code?: string;
  httpStatus?: number;
  delayMs?: number;
  record?: boolean;
}

export interface FakeAlibaba {
  url: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** Approved templates the fake knows: code → text (QuerySmsTemplate). */
  templates: Map<string, string>;
  /** TemplateType of a code (0 verification code, the default; 3 international / HK, Macao, Taiwan). */
  templateTypes: Map<string, number>;
  /** Codes whose QuerySmsTemplate fails (HTTP 500, isp.SYSTEM_ERROR): the text cannot be fetched. */
  unavailableTemplates: Set<string>;
  /** Codes still in review (TemplateStatus 0). */
  pendingTemplates: Set<string>;
  messages: FakeAlibabaSms[];
  /** Every SendSms received (accepted or not). */
  sendCalls: number;
  /** Every request whose signature did not verify. */
  badSignatures: number;
  /** Actions received, in order. */
  actions: string[];
  script(...answers: AlibabaScripted[]): void;
  /** Pushes an SmsReport batch to `url` as Alibaba does; resolves with our status and answer. */
  pushReports(url: string, reports: { bizId?: string; outId?: string | null; phone?: string; success: boolean; errCode?: string }[]): Promise<{ status: number; body: string }>;
  /** Marks a message as delivered (3) or failed (2) for QuerySendDetails. */
  settle(bizId: string, ok: boolean, errCode?: string): void;
  close(): Promise<void>;
}

const VERSION = '2017-05-25';
const ALGORITHM = 'ACS3-HMAC-SHA256';

/** RFC 3986 percent-encoding, as Alibaba's canonical query string requires (space %20, `*` %2A, `~` kept). */
const pct = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const chinaDate = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
const chinaTime = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

/**
 * Verifies an ACS3-HMAC-SHA256 request from Alibaba Cloud's published V3 signing rules:
 * CanonicalRequest = method \n uri \n sorted-encoded-query \n canonical-headers \n signed-headers \n hex(sha256(body));
 * StringToSign = "ACS3-HMAC-SHA256" \n hex(sha256(CanonicalRequest)); Signature = hex(HMAC-SHA256(secret, StringToSign)).
 */
export function verifyAcs3(
  req: { method: string; path: string; query: string; headers: IncomingMessage['headers']; body: Buffer },
  secretFor: (accessKeyId: string) => string | undefined,
): { ok: true; accessKeyId: string } | { ok: false; code: string; status: number } {
  const auth = String(req.headers.authorization ?? '');
  const m = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return { ok: false, code: 'IncompleteSignature', status: 400 };
  const [, accessKeyId, signedList, signature] = m as unknown as [string, string, string, string];
  const secret = secretFor(accessKeyId);
  if (!secret) return { ok: false, code: 'InvalidAccessKeyId.NotFound', status: 404 };
  const signed = signedList.split(';');
  // Host and every x-acs-* header must be covered, and the list sorted, or headers could be changed unseen.
  const mustSign = Object.keys(req.headers).filter((h) => h === 'host' || h === 'content-type' || (h.startsWith('x-acs-') && h !== 'x-acs-signature'));
  if (mustSign.some((h) => !signed.includes(h)) || [...signed].sort().join(';') !== signedList) return { ok: false, code: 'IncompleteSignature', status: 400 };
  if (req.headers['x-acs-content-sha256'] !== sha256(req.body)) return { ok: false, code: 'SignatureDoesNotMatch', status: 400 };

  const pairs = req.query
    ? req.query.split('&').map((kv) => {
        const i = kv.indexOf('=');
        const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, '%20'));
        return i < 0 ? [dec(kv), ''] : [dec(kv.slice(0, i)), dec(kv.slice(i + 1))];
      })
    : [];
  const canonicalQuery = pairs
    .map(([k, v]) => [pct(k!), pct(v!)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signed.map((h) => `${h}:${String(req.headers[h] ?? '').trim()}\n`).join('');
  const canonicalRequest = [req.method, req.path || '/', canonicalQuery, canonicalHeaders, signedList, sha256(req.body)].join('\n');
  const stringToSign = `${ALGORITHM}\n${sha256(canonicalRequest)}`;
  const expected = createHmac('sha256', secret).update(stringToSign).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, code: 'SignatureDoesNotMatch', status: 400 };
  return { ok: true, accessKeyId };
}

export async function startFakeAlibaba(opts: { callbackRewrite?: (url: string) => string } = {}): Promise<FakeAlibaba> {
  const accessKeyId = `LTAI5t${randomBytes(9).toString('hex')}`;
  const accessKeySecret = randomBytes(20).toString('base64url');
  const templates = new Map<string, string>();
  const templateTypes = new Map<string, number>();
  const unavailableTemplates = new Set<string>();
  const pendingTemplates = new Set<string>();
  const messages: FakeAlibabaSms[] = [];
  const scripted: AlibabaScripted[] = [];
  const nonces = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const state = { sendCalls: 0, badSignatures: 0 };
  const actions: string[] = [];

  const json = (res: ServerResponse, status: number, body: Record<string, unknown>) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
    res.end(JSON.stringify({ RequestId: randomUUID().toUpperCase(), ...body }));
  };

  const read = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  function sendSms(p: URLSearchParams, res: ServerResponse) {
    state.sendCalls++;
    const phone = p.get('PhoneNumbers') ?? '';
    const templateCode = p.get('TemplateCode') ?? '';
    let params: Record<string, string> = {};
    try {
      params = JSON.parse(p.get('TemplateParam') ?? '{}') as Record<string, string>;
    } catch {
      return json(res, 200, { Code: 'isv.INVALID_JSON_PARAM', Message: 'JSON参数不合法' });
    }
    if (!/^\d{5,20}$/.test(phone)) return json(res, 200, { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号' });
    if (!p.get('SignName')) return json(res, 200, { Code: 'isv.SMS_SIGNATURE_ILLEGAL', Message: '签名不合法' });
    const text = templates.get(templateCode);
    if (text === undefined) return json(res, 200, { Code: 'isv.SMS_TEMPLATE_ILLEGAL', Message: '模板不合法' });
    const missing = [...text.matchAll(/\$\{(\w+)\}/g)].map((x) => x[1]!).filter((k) => params[k] === undefined);
    if (missing.length) return json(res, 200, { Code: 'isv.TEMPLATE_MISSING_PARAMETERS', Message: `模板缺少变量 ${missing.join(',')}` });
    const make = () => {
      const m: FakeAlibabaSms = {
        bizId: `${Date.now()}${randomBytes(4).readUInt32BE() % 100000}^0`,
        outId: p.get('OutId'),
        phone,
        signName: p.get('SignName') ?? '',
        templateCode,
        params,
        sendDate: chinaDate(Date.now()),
        sendStatus: 1,
        errCode: '',
      };
      messages.push(m);
      return m;
    };
    const next = scripted.shift();
    if (!next) {
      const m = make();
      return json(res, 200, { Code: 'OK', Message: 'OK', BizId: m.bizId });
    }
    const m = next.record || !next.code ? make() : undefined;
    const answer = () =>
      next.code
        ? json(res, next.httpStatus ?? 200, { Code: next.code, Message: next.code === 'isv.BUSINESS_LIMIT_CONTROL' ? '触发分钟级流控Permits:1' : next.code })
        : json(res, 200, { Code: 'OK', Message: 'OK', BizId: m!.bizId });
    if (next.delayMs) {
      const t = setTimeout(() => {
        timers.delete(t);
        answer();
      }, next.delayMs);
      timers.add(t);
    } else answer();
  }

  function querySendDetails(p: URLSearchParams, res: ServerResponse) {
    const phone = p.get('PhoneNumber');
    const date = p.get('SendDate');
    if (!phone || !date || !/^\d{8}$/.test(date)) return json(res, 200, { Code: 'isv.INVALID_PARAMETERS', Message: 'PhoneNumber and SendDate are required' });
    const size = Math.min(50, Number(p.get('PageSize') ?? 10));
    const biz = p.get('BizId');
    const hits = messages.filter((m) => m.phone === phone && m.sendDate === date && (!biz || m.bizId === biz));
    json(res, 200, {
      Code: 'OK',
      Message: 'OK',
      TotalCount: String(hits.length),
      SmsSendDetailDTOs: {
        SmsSendDetailDTO: hits.slice(0, size).map((m) => ({
          PhoneNum: m.phone,
          SendStatus: m.sendStatus,
          ErrCode: m.errCode,
          TemplateCode: m.templateCode,
          Content: `【${m.signName}】${(templates.get(m.templateCode) ?? '').replace(/\$\{(\w+)\}/g, (_x, k: string) => m.params[k] ?? '')}`,
          SendDate: chinaTime(Date.now()),
          ReceiveDate: m.sendStatus === 1 ? '' : chinaTime(Date.now()),
          OutId: m.outId ?? '',
        })),
      },
    });
  }

  const server = createServer(async (req, res) => {
    const body = await read(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const action = String(req.headers['x-acs-action'] ?? '');
    actions.push(action);
    if (req.method !== 'POST' || url.pathname !== '/' || req.headers['x-acs-version'] !== VERSION) return json(res, 404, { Code: 'InvalidAction.NotFound', Message: 'Specified api is not found' });
    const date = Date.parse(String(req.headers['x-acs-date'] ?? ''));
    if (!Number.isFinite(date) || Math.abs(Date.now() - date) > 15 * 60_000) return json(res, 400, { Code: 'InvalidTimeStamp.Expired', Message: 'Specified time stamp or date value is expired.' });
    const nonce = String(req.headers['x-acs-signature-nonce'] ?? '');
    if (!nonce || nonces.has(nonce)) return json(res, 400, { Code: 'SignatureNonceUsed', Message: 'Specified signature nonce was used already.' });
    nonces.add(nonce);
    const check = verifyAcs3({ method: req.method, path: url.pathname, query: (req.url ?? '').split('?')[1] ?? '', headers: req.headers, body }, (id) =>
      id === accessKeyId ? accessKeySecret : undefined,
    );
    if (!check.ok) {
      state.badSignatures++;
      return json(res, check.status, { Code: check.code, Message: check.code === 'SignatureDoesNotMatch' ? 'Specified signature does not match our calculation.' : check.code });
    }
    // RPC parameters travel in the query (the SDK's way) or a form body.
    const params = new URLSearchParams(url.search);
    if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
    switch (action) {
      case 'SendSms':
        return sendSms(params, res);
      case 'QuerySendDetails':
        return querySendDetails(params, res);
      case 'QuerySmsSignList':
        return json(res, 200, { Code: 'OK', Message: 'OK', SmsSignList: [{ SignName: 'Codeword', AuditStatus: 'AUDIT_STATE_PASS' }] });
      case 'QuerySmsTemplate': {
        const code = params.get('TemplateCode') ?? '';
        if (unavailableTemplates.has(code)) return json(res, 500, { Code: 'isp.SYSTEM_ERROR', Message: 'The request processing has failed due to some unknown error.' });
        const text = templates.get(code);
        if (text === undefined) return json(res, 200, { Code: 'isv.SMS_TEMPLATE_ILLEGAL', Message: '模板不存在' });
        return json(res, 200, { Code: 'OK', Message: 'OK', TemplateCode: code, TemplateContent: text, TemplateStatus: pendingTemplates.has(code) ? 0 : 1, TemplateType: templateTypes.get(code) ?? 0 });
      }
      default:
        return json(res, 404, { Code: 'InvalidAction.NotFound', Message: 'Specified api is not found' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    accessKeyId,
    accessKeySecret,
    templates,
    templateTypes,
    unavailableTemplates,
    pendingTemplates,
    messages,
    get sendCalls() {
      return state.sendCalls;
    },
    get badSignatures() {
      return state.badSignatures;
    },
    actions,
    script: (...answers) => scripted.push(...answers),
    settle(bizId, ok, errCode) {
      const m = messages.find((x) => x.bizId === bizId);
      if (m) Object.assign(m, { sendStatus: ok ? 3 : 2, errCode: ok ? 'DELIVERED' : (errCode ?? 'MK:0001') });
    },
    async pushReports(target, reports) {
      const now = Date.now();
      const payload = reports.map((r) => {
        const m = messages.find((x) => (r.bizId && x.bizId === r.bizId) || (r.outId && x.outId === r.outId));
        return {
          phone_number: r.phone ?? m?.phone ?? '',
          send_time: chinaTime(now - 2000),
          report_time: chinaTime(now),
          success: r.success,
          err_code: r.success ? 'DELIVERED' : (r.errCode ?? 'MK:0001'),
          err_msg: r.success ? '用户接收成功' : '用户接收失败',
          sms_size: '1',
          biz_id: r.bizId ?? m?.bizId ?? '',
          out_id: r.outId ?? m?.outId ?? '',
        };
      });
      const res = await fetch(opts.callbackRewrite ? opts.callbackRewrite(target) : target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      return { status: res.status, body: await res.text() };
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
