// SMS length rules: GSM-7 (extension characters take two septets) or UCS-2, and how many segments a text costs.

/** GSM 03.38 default alphabet (one septet each). The escape character itself is not a text character. */
const GSM_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
/** GSM 03.38 extension table: escape + character, so two septets each. */
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

export type Encoding = 'GSM-7' | 'UCS-2';

export interface SegmentInfo {
  encoding: Encoding;
  /** Characters as a person counts them (Unicode code points). */
  characters: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text occupies. */
  units: number;
  segments: number;
}

const SINGLE = { 'GSM-7': 160, 'UCS-2': 70 } as const;
const MULTI = { 'GSM-7': 153, 'UCS-2': 67 } as const;

/** Packs units into segments without splitting a two-unit character (GSM escape pair, UTF-16 surrogate pair). */
function pack(costs: number[], perSegment: number): number {
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > perSegment) {
      segments++;
      used = 0;
    }
    used += cost;
  }
  return segments;
}

/** Whether every character of the text is in the GSM-7 alphabet (basic or extension table). */
export function isGsm7(text: string): boolean {
  return [...text].every((c) => GSM_BASIC.has(c) || GSM_EXTENSION.has(c));
}

export function countSegments(text: string): SegmentInfo {
  const chars = [...text];
  const gsm = isGsm7(text);
  const encoding: Encoding = gsm ? 'GSM-7' : 'UCS-2';
  const costs = chars.map((c) => (gsm ? (GSM_EXTENSION.has(c) ? 2 : 1) : c.length));
  const units = costs.reduce((a, b) => a + b, 0);
  const segments = units === 0 ? 0 : units <= SINGLE[encoding] ? 1 : pack(costs, MULTI[encoding]);
  return { encoding, characters: chars.length, units, segments };
}

export const MAX_SEGMENTS = 10;
