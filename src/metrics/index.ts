// Prometheus metrics of one instance (prom-client, a registry of its own): SMS, spend, blocks, sign-ins, HTTP, outbox, pool.
import type { Middleware } from 'koa';
import type { Knex } from 'knex';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsDeps {
  db: Knex;
  now: () => number;
}

export function createMetrics({ db, now }: MetricsDeps) {
  const registry = new Registry();
  const registers = [registry];
  const sms = ['provider', 'country', 'purpose'] as const;
  const m = {
    smsSent: new Counter({ name: 'codeword_sms_sent_total', help: 'SMS messages handed to the outbox for sending (decoys never count)', labelNames: sms, registers }),
    smsAccepted: new Counter({ name: 'codeword_sms_accepted_total', help: 'SMS messages the provider accepted', labelNames: sms, registers }),
    smsFailed: new Counter({ name: 'codeword_sms_failed_total', help: 'SMS messages that failed (refused by the provider, or reported undelivered)', labelNames: sms, registers }),
    smsDelivered: new Counter({ name: 'codeword_sms_delivered_total', help: 'SMS messages reported delivered', labelNames: sms, registers }),
    smsVerified: new Counter({ name: 'codeword_sms_verified_total', help: 'SMS codes typed correctly', labelNames: ['country', 'purpose'] as const, registers }),
    spend: new Counter({ name: 'codeword_sms_spend_total', help: 'Money counted against the SMS budgets, in the configured currency', labelNames: ['provider', 'country', 'currency'] as const, registers }),
    spendStops: new Counter({ name: 'codeword_sms_spend_stops_total', help: 'Spend caps or budgets reached', labelNames: ['limit', 'scope'] as const, registers }),
    blocks: new Counter({ name: 'codeword_sms_pumping_blocks_total', help: 'Prefixes, IP ranges or countries blocked for low send-to-verify conversion', labelNames: ['scope'] as const, registers }),
    refusals: new Counter({ name: 'codeword_sms_refused_total', help: 'Sends refused by spend limits or the pumping defence', labelNames: ['reason'] as const, registers }),
    signIns: new Counter({ name: 'codeword_sign_in_total', help: 'Sign-in steps by method and outcome', labelNames: ['method', 'outcome'] as const, registers }),
    http: new Histogram({
      name: 'codeword_http_request_duration_seconds',
      help: 'HTTP request latency by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
  };

  new Gauge({
    name: 'codeword_outbox_depth',
    help: 'SMS messages waiting in the outbox',
    registers,
    async collect() {
      const row = (await db('sms_messages').where({ status: 'pending' }).count({ n: '*' }).first()) as { n?: number | string } | undefined;
      this.set(Number(row?.n ?? 0));
    },
  });
  new Gauge({
    name: 'codeword_outbox_oldest_age_seconds',
    help: 'Age of the oldest message waiting in the outbox (0 when empty)',
    registers,
    async collect() {
      const row = (await db('sms_messages').where({ status: 'pending' }).min({ at: 'created_at' }).first()) as { at?: number | string | null } | undefined;
      this.set(row?.at == null ? 0 : Math.max(0, (now() - Number(row.at)) / 1000));
    },
  });
  const pool = () => (db.client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number; max?: number } }).pool;
  new Gauge({
    name: 'codeword_db_pool_connections',
    help: 'Database pool connections by state (used, free, pending acquires)',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const p = pool();
      if (!p) return;
      this.set({ state: 'used' }, p.numUsed());
      this.set({ state: 'free' }, p.numFree());
      this.set({ state: 'pending' }, p.numPendingAcquires());
    },
  });

  /** One request's latency; the route label is a bounded name (a route pattern, `oidc`, `other`). */
  const observeHttp = (method: string, route: string, status: number, startedMs: number) =>
    m.http.observe({ method, route, status: String(status) }, (performance.now() - startedMs) / 1000);

  /** Times a request answered outside Koa (the provider's endpoints): call the result once it is answered. */
  const timeRequest = () => {
    const startedMs = performance.now();
    return (method: string, route: string, status: number) => observeHttp(method, route, status, startedMs);
  };

  /** Times every request; the route label is the matched route pattern (bounded), `oidc` for the provider, else `other`. */
  const httpTimer: Middleware = async (ctx, next) => {
    const startedMs = performance.now();
    try {
      await next();
    } finally {
      const state = ctx as unknown as { _matchedRoute?: string | RegExp; respond?: boolean };
      const route = typeof state._matchedRoute === 'string' ? state._matchedRoute : state.respond === false ? 'oidc' : 'other';
      observeHttp(ctx.method, route, state.respond === false ? ctx.res.statusCode : ctx.status, startedMs);
    }
  };

  return { registry, ...m, httpTimer, timeRequest };
}

export type Metrics = ReturnType<typeof createMetrics>;
