// Key commands: re-encrypt secrets under the current SECRET_KEY, rotate signing and cookie keys in stages, show their stages.
import type { Knex } from 'knex';
import { reencryptSecrets } from '../jobs/reencrypt.ts';
import { COOKIE_DEFAULTS, type KeyStatus, keyStatus, type RotationTiming, rotateCookieKeys, rotateSigningKeys, SIGNING_DEFAULTS } from '../oidc/key-rotation.ts';
import { loadStoredKeys } from '../oidc/keys.ts';
import type { SecretBox } from '../security/secrets.ts';

export const keysUsage = `  npm run cli -- keys:reencrypt
  npm run cli -- keys:rotate [--signing] [--cookies] [--delay SECONDS] [--retain SECONDS]
  npm run cli -- keys:status`;

export interface KeyCommandOptions {
  signing?: boolean;
  cookies?: boolean;
  delay?: string;
  retain?: string;
}

const when = (ms: number | undefined) => (ms === undefined ? '-' : ms === 0 ? 'always' : new Date(ms).toISOString());

export function formatStatus(keys: KeyStatus[]): string {
  return keys.map((k) => `${k.kind}\t${k.id}\t${k.alg ?? ''}\t${k.state}\tsigns from ${when(k.signsFrom)}\tremoved ${when(k.removeAt)}`).join('\n');
}

function seconds(value: string | undefined, fallbackMs: number, name: string): number {
  if (value === undefined) return fallbackMs;
  if (!/^\d{1,9}$/.test(value)) throw new Error(`--${name} must be a whole number of seconds`);
  return Number(value) * 1000;
}

/** Runs one key command; returns the process exit code (1 when some secrets could not be re-encrypted). */
export async function runKeyCommand(
  command: string,
  opts: KeyCommandOptions,
  deps: { db: Knex; box: SecretBox; now?: () => number; print?: (line: string) => void },
): Promise<number> {
  const now = deps.now ?? Date.now;
  const print = deps.print ?? console.log;
  if (command === 'keys:reencrypt') {
    await loadStoredKeys(deps.db, deps.box, now);
    const { reencrypted, failed } = await reencryptSecrets(deps.db, deps.box);
    print(`Re-encrypted ${reencrypted} value(s) under key id ${deps.box.currentKeyId}.`);
    for (const f of failed) print(`Cannot decrypt ${f.what}${f.keyId ? ` (key id ${f.keyId})` : ''}: add that key to PREVIOUS_SECRET_KEYS, or enter it again.`);
    if (!failed.length) print('Nothing is left under a previous key: former keys may now be removed from PREVIOUS_SECRET_KEYS.');
    return failed.length ? 1 : 0;
  }
  if (command === 'keys:rotate') {
    const both = !opts.signing && !opts.cookies;
    const timing = (d: RotationTiming): RotationTiming => ({ delayMs: seconds(opts.delay, d.delayMs, 'delay'), retainMs: seconds(opts.retain, d.retainMs, 'retain') });
    await loadStoredKeys(deps.db, deps.box, now);
    if (both || opts.signing) print(formatStatus(await rotateSigningKeys(deps.db, deps.box, now(), timing(SIGNING_DEFAULTS))));
    if (both || opts.cookies) print(formatStatus(await rotateCookieKeys(deps.db, deps.box, now(), timing(COOKIE_DEFAULTS))));
    print('New keys are published now and sign once every instance has reloaded (after --delay).');
    return 0;
  }
  if (command === 'keys:status') {
    print(formatStatus(await keyStatus(deps.db, deps.box, now())));
    return 0;
  }
  throw new Error(`unknown key command ${command}`);
}
