// Alerts to the operator's webhook, signed with HMAC-SHA256 and sent only through the provider-host egress rule.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Logger } from '../../logger.ts';
import type { Egress } from '../providers/egress.ts';

export interface Alert {
  event: 'sms.spend_stopped' | 'sms.pumping_blocked';
  [field: string]: unknown;
}

/** `X-Codeword-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`. */
export function signature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export interface AlertSenderDeps {
  egress: Egress;
  logger: Logger;
  now: () => number;
  target: () => Promise<{ url: string | null; secret: string | null }>;
  timeoutMs?: number;
}

export function createAlertSender({ egress, logger, now, target, timeoutMs = 5000 }: AlertSenderDeps) {
  const inFlight = new Set<Promise<void>>();

  async function post(alert: Alert): Promise<void> {
    const { url, secret } = await target();
    if (!url) return;
    if (!egress.allows(url)) {
      logger.warn({ event: alert.event }, 'SMS alert not sent: the webhook host is not in SMS_PROVIDER_HOSTS');
      return;
    }
    const body = JSON.stringify({ ...alert, at: new Date(now()).toISOString() });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    if (secret) headers['x-codeword-signature'] = signature(secret, body, Math.floor(now() / 1000));
    const u = new URL(url);
    const lib = u.protocol === 'https:' ? https : http;
    const agent = u.protocol === 'https:' ? egress.httpsAgent : egress.httpAgent;
    await new Promise<void>((resolve) => {
      const req = lib.request(u, { method: 'POST', headers, agent, timeout: timeoutMs }, (res) => {
        res.resume();
        if ((res.statusCode ?? 0) >= 300) logger.warn({ event: alert.event, status: res.statusCode }, 'SMS alert webhook answered an error');
        res.on('end', resolve);
      });
      req.on('timeout', () => req.destroy(new Error('alert webhook timed out')));
      req.on('error', (err) => {
        logger.warn({ event: alert.event, err: err.message }, 'SMS alert webhook failed');
        resolve();
      });
      req.end(body);
    });
  }

  return {
    /** Sends in the background: a send decision never waits for the webhook. */
    fire(alert: Alert): void {
      const p = post(alert).catch((err) => logger.warn({ err }, 'SMS alert failed'));
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    },
    /** Resolves when every alert fired so far is done (shutdown, tests). */
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

export type AlertSender = ReturnType<typeof createAlertSender>;
