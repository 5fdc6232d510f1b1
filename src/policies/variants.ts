// Obvious variants of a password (case, decoration with digits/symbols, leetspeak, separators, reversal) for list checks.

/** Undoes the usual letter-for-symbol swaps: p@ssw0rd → password. */
const LEET: Readonly<Record<string, string>> = { '@': 'a', '4': 'a', '8': 'b', '3': 'e', '6': 'g', '1': 'i', '!': 'i', '0': 'o', $: 's', '5': 's', '7': 't', '+': 't' };

export function unleet(s: string): string {
  return s.replace(/[@48361!0$57+]/g, (c) => LEET[c] ?? c);
}

/** Drops word separators: "alice.smith" → "alicesmith". */
export function unseparate(s: string): string {
  return s.replace(/[\s._-]+/g, '');
}

export function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

/**
 * The forms a password is compared in: lower-cased as typed; without up to six trailing digits/symbols ("Summer2024!");
 * without up to four leading ones too ("!!summer"); each also without separators and with leetspeak undone.
 */
export function passwordForms(password: string): string[] {
  const lower = fold(password);
  const trimmedEnd = lower.replace(/[^\p{L}]{1,6}$/u, '');
  const core = trimmedEnd.replace(/^[^\p{L}]{1,4}/u, '');
  const forms = [lower, trimmedEnd, core].flatMap((f) => [f, unleet(f), unseparate(f), unleet(unseparate(f))]);
  return [...new Set(forms.filter((f) => f.length > 0))];
}

/** The same forms read backwards ("drowssap"). */
export function reversedForms(forms: readonly string[]): string[] {
  return forms.map((f) => [...f].reverse().join(''));
}
