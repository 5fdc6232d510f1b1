// Country of a masked number (`+44•••••••12`) for metric labels: the main country of its calling code.
import { getCountries, getCountryCallingCode } from 'libphonenumber-js/max';

/** Calling codes several countries share, and the country that owns the numbering plan. */
const MAIN: Record<string, string> = { '1': 'US', '7': 'RU', '44': 'GB', '47': 'NO', '61': 'AU', '212': 'MA', '262': 'RE', '290': 'SH', '358': 'FI', '590': 'GP', '599': 'CW' };
const byCode = new Map<string, string>();
for (const c of getCountries()) {
  const code = getCountryCallingCode(c);
  if (!byCode.has(code)) byCode.set(code, MAIN[code] ?? c);
}

export function countryOfMasked(masked: string): string {
  const digits = /^\+(\d{1,3})/.exec(masked)?.[1] ?? '';
  for (let n = Math.min(3, digits.length); n >= 1; n--) {
    const c = byCode.get(digits.slice(0, n));
    if (c) return c;
  }
  return 'ZZ';
}
