// One HTTP(S) request through the allow-list's pinned agents (fetch cannot take a lookup hook), with a timeout and no redirects.
import http from 'node:http';
import https from 'node:https';
import type { Egress } from '../egress.ts';

export interface HttpAnswer {
  status: number;
  text: string;
}

const MAX_ANSWER = 64 * 1024;

export function request(
  egress: Egress,
  url: string,
  opts: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number },
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    if (!egress.allows(url)) {
      const err: NodeJS.ErrnoException = new Error(`${target.hostname} is not an allowed SMS provider host (SMS_PROVIDER_HOSTS)`);
      err.code = 'EHOSTNOTALLOWED';
      return reject(err);
    }
    const secure = target.protocol === 'https:';
    const req = (secure ? https : http).request(
      target,
      {
        method: opts.method,
        headers: { ...opts.headers, ...(opts.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(opts.body)) }) },
        agent: secure ? egress.httpsAgent : egress.httpAgent,
        timeout: opts.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_ANSWER) chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => {
      const err: NodeJS.ErrnoException = new Error('timed out');
      err.code = 'ETIMEDOUT';
      req.destroy(err);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
