// The guessing-resistance floor: a code's attempts ÷ 10^length may not exceed 1 in 10 000, whatever an admin sets.

/** Highest chance allowed of guessing one code within its attempts. */
export const MAX_GUESS_CHANCE = 1e-4;

/** Most attempts a code of `length` digits may allow under the floor (at least 1). */
export const maxAttemptsFor = (length: number): number => Math.max(1, Math.floor(10 ** length * MAX_GUESS_CHANCE + 1e-9));

/** Why these settings are too easy to guess, in words for an admin; undefined when they are within the floor. */
export function guessingProblem(length: number, attempts: number): string | undefined {
  if (attempts / 10 ** length <= MAX_GUESS_CHANCE) return undefined;
  const odds = Math.round(10 ** length / attempts);
  return `${attempts} attempts on a ${length}-digit code give a 1 in ${odds} chance of guessing it; at most 1 in 10000 is allowed: allow at most ${maxAttemptsFor(length)} attempts for ${length} digits, or use longer codes`;
}
