// Brings saved code settings within the guessing-resistance floor (attempts ÷ 10^length ≤ 1e-4) by lowering attempts.
import type { Knex } from 'knex';

const most = (length: number) => Math.max(1, Math.floor(10 ** length * 1e-4 + 1e-9));
const parse = (v: unknown): Record<string, unknown> => (typeof v === 'string' ? JSON.parse(v) : (v as Record<string, unknown>)) ?? {};

/** Lowers `attempts` of one code-settings object in place; true when it changed. */
function clamp(o: Record<string, unknown> | undefined, lengthKey: string, attemptsKey: string, defaults: { length: number; attempts: number }): boolean {
  if (!o) return false;
  const length = typeof o[lengthKey] === 'number' ? (o[lengthKey] as number) : defaults.length;
  const attempts = typeof o[attemptsKey] === 'number' ? (o[attemptsKey] as number) : defaults.attempts;
  if (attempts <= most(length)) return false;
  o[attemptsKey] = most(length);
  return true;
}

export async function up(knex: Knex): Promise<void> {
  const defaults = { length: 6, attempts: 5 };
  for (const row of await knex('sms_connection').select('id', 'settings')) {
    const s = parse(row.settings);
    if (clamp(s, 'codeLength', 'maxAttempts', defaults)) await knex('sms_connection').where({ id: row.id }).update({ settings: JSON.stringify(s) });
  }
  const factor = await knex('settings').where({ key: 'sms_factor' }).first('value');
  if (factor) {
    const s = parse(factor.value);
    const changed = [clamp(s.mfaCode as Record<string, unknown>, 'length', 'maxAttempts', defaults), clamp(s.resetCode as Record<string, unknown>, 'length', 'maxAttempts', defaults)];
    if (changed.some(Boolean)) await knex('settings').where({ key: 'sms_factor' }).update({ value: JSON.stringify(s) });
  }
}

export async function down(): Promise<void> {
  // Nothing to undo: lower attempts are valid settings before and after.
}
