// Wrong codes per number and requester, counted before the code is compared, turned into growing delays until a success.
import { backoffGate, type CounterAdd, type CounterStore, counterKey, type GateResult } from '../counters/index.ts';

export interface FailureSettings {
  /** Wrong codes allowed per number and requester before delays start. */
  freeFailures: number;
  /** Longest delay between two verifications, in seconds (delays double from 1 s up to this). */
  maxDelaySeconds: number;
  /** The count starts again after this many seconds without a wrong code. */
  windowSeconds: number;
}

export const defaultFailureSettings: Readonly<FailureSettings> = Object.freeze({
  freeFailures: 5,
  maxDelaySeconds: 15 * 60,
  windowSeconds: 24 * 60 * 60,
});

export interface CodeFailures {
  /**
   * Counts a verification as a failure before anything is compared (a success clears it), so parallel submissions
   * cannot all read "no delay yet"; refused while this requester's delay for the number runs.
   */
  attempt(phone: string, requester: string): Promise<GateResult>;
  /** Seconds before this requester may verify a code for this number again, or 0. */
  waitSeconds(phone: string, requester: string): Promise<number>;
  /**
   * Forgets every counted verification of this requester for the number (a success leaves none counted, its own
   * included), in one write with `alsoAdd` (counts a success adds elsewhere, e.g. the conversion figures).
   */
  clear(phone: string, requester: string, alsoAdd?: readonly CounterAdd[]): Promise<void>;
}

export function createCodeFailures(counters: CounterStore, settings: FailureSettings = defaultFailureSettings): CodeFailures {
  const gate = backoffGate({ free: settings.freeFailures, maxSeconds: settings.maxDelaySeconds, forgetSeconds: settings.windowSeconds });
  const key = (phone: string, requester: string) => counterKey('code_fail', phone, requester);
  return {
    attempt: (phone, requester) => counters.pass(key(phone, requester), gate),
    async waitSeconds(phone, requester) {
      const [wait = 0] = await counters.peek([{ key: key(phone, requester), gate: true }]);
      return wait;
    },
    async clear(phone, requester, alsoAdd = []) {
      if (alsoAdd.length === 0) await counters.reset(key(phone, requester));
      else await counters.addAll(alsoAdd, { reset: [key(phone, requester)] });
    },
  };
}
