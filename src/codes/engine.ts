// The one-time-code engine for every purpose: issue a code bound to a flow and phone, verify it once, count failures.
import type { Knex } from 'knex';
import type { z } from 'zod';
import { type CounterStore, createSqlCounters } from '../counters/index.ts';
import { parseWith } from '../errors.ts';
import type { SecretBox } from '../security/secrets.ts';
import { createCodeFailures, defaultFailureSettings, type FailureSettings } from './failures.ts';
import { codeHmac, codeMatches, cryptoRandomInt, generateCode, normalizeSubmittedCode, type RandomInt, unmatchableHmac } from './secret.ts';
import { type CodeRow, createCodeStore } from './store.ts';
import {
  type CodeTarget,
  codeSettingsSchema,
  codeTargetSchema,
  type IssuedCode,
  type IssueParams,
  type VerifyFailureReason,
  type VerifyParams,
  type VerifyResult,
} from './types.ts';

export interface CodeEngineDeps {
  db: Knex;
  box: SecretBox;
  /** Epoch milliseconds; injectable so tests can move time. */
  now?: () => number;
  failures?: FailureSettings;
  /** Where wrong codes are counted; the shared database unless given. */
  counters?: CounterStore;
  /** Source of code digits; crypto.randomInt unless a test replaces it. */
  random?: RandomInt;
}

export interface CodeEngine {
  /** Issues a code (replacing the flow's earlier one for this purpose) and returns its plaintext, once. */
  issue(params: IssueParams): Promise<IssuedCode>;
  /**
   * Stores a code nobody knows, for a number that gets no SMS (e.g. unknown when sign-ups are off):
   * verify() then runs the same work and returns the same reasons as for a real code, and never succeeds.
   */
  issueDecoy(params: IssueParams): Promise<Pick<IssuedCode, 'expiresAt'>>;
  /**
   * Checks a submitted code. With no code issued for the flow the same work is done and the answer is `invalid`.
   * Callers showing one message for every failure reason reveal nothing about the number.
   */
  verify(params: VerifyParams): Promise<VerifyResult>;
  /** Seconds before this requester (as given to verify) may verify for this number again after wrong codes, or 0. */
  waitSeconds(phone: string, requester: string): Promise<number>;
  /** Deletes codes expired over an hour ago; for the periodic maintenance job (counts expire in the counter store). */
  purgeExpired(): Promise<number>;
}

const parse = <T>(schema: z.ZodType<T>, value: unknown): T => parseWith(schema, value, 'code_request_invalid');

const parseIssue = (p: IssueParams) => ({ ...parse(codeTargetSchema, p), ...parse(codeSettingsSchema, p) });

function failureReason(row: CodeRow | undefined, matched: boolean, at: number): VerifyFailureReason {
  if (!row) return 'invalid';
  if (matched && row.used_at !== null) return 'used';
  if (row.attempts > row.max_attempts) return 'too_many_attempts';
  if (row.expires_at <= at) return 'expired';
  return matched ? 'used' : 'invalid';
}

/** Expired codes are kept this long so a late submission still hears "expired" rather than "invalid". */
const PURGE_GRACE_MS = 60 * 60 * 1000;

const usable = (row: CodeRow, at: number) => row.used_at === null && row.expires_at > at && row.attempts <= row.max_attempts;

export function createCodeEngine(deps: CodeEngineDeps): CodeEngine {
  const { box } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? cryptoRandomInt;
  const store = createCodeStore(deps.db);
  const failures = createCodeFailures(deps.counters ?? createSqlCounters(deps.db, now), deps.failures ?? defaultFailureSettings);

  const save = async (target: CodeTarget, settings: IssueParams, hmac: string) => {
    const createdAt = now();
    const expiresAt = createdAt + settings.lifetimeSeconds * 1000;
    await store.replace({ ...target, codeHmac: hmac, expiresAt, maxAttempts: settings.maxAttempts, createdAt });
    return expiresAt;
  };

  return {
    async issue(params) {
      const p = parseIssue(params);
      const code = generateCode(p.length, random);
      const expiresAt = await save(p, p, codeHmac(box, p, code));
      return { code, expiresAt };
    },

    async issueDecoy(params) {
      const p = parseIssue(params);
      // Same work as issue(): a code is drawn and hashed, but what is stored is unrelated to it.
      codeHmac(box, p, generateCode(p.length, random));
      return { expiresAt: await save(p, p, unmatchableHmac()) };
    },

    async verify(params) {
      const target = parse(codeTargetSchema, params);
      // Counted before anything is read or compared; a success clears it. Keyed per requester, so nobody else's
      // wrong codes delay this one.
      const requester = typeof params.requester === 'string' && params.requester ? params.requester : `flow:${target.flowId}`;
      const gate = await failures.attempt(target.phone, requester);
      if (!gate.passed) return { ok: false, reason: 'throttled', retryAfterSeconds: gate.waitSeconds };

      const submitted = normalizeSubmittedCode(String(params.code ?? ''));
      const at = now();
      const found = await store.find(target.purpose, target.flowId);
      const matched = codeMatches(box, target, submitted, found?.code_hmac ?? unmatchableHmac());
      const counted = found && { ...found, attempts: found.attempts + 1 };
      // Every attempt is counted in the database, a right one in the same conditional statement that consumes it
      // (one statement either way); a code replaced meanwhile counts as no code.
      if (counted && matched && usable(counted, at) && (await store.countAndConsume(found, at))) {
        // One counter write: this requester's counted verifications (this one too) forgotten, the success counted.
        await failures.clear(target.phone, requester, (await params.countOnSuccess?.()) ?? []);
        return { ok: true };
      }
      const row = found && (await store.countAttempt(found)) ? counted : undefined;
      // A right code that could not be consumed lost a race: read what happened, for the reason.
      let seen = row;
      if (row && matched) {
        const again = await store.find(target.purpose, target.flowId);
        // Replaced meanwhile: the submitted code is no longer any code of this flow.
        seen = again?.code_hmac === row.code_hmac ? again : undefined;
      }
      return { ok: false, reason: failureReason(seen, matched, at) };
    },

    waitSeconds(phone, requester) {
      return failures.waitSeconds(phone, requester);
    },

    purgeExpired() {
      return store.purgeExpired(now() - PURGE_GRACE_MS);
    },
  };
}
