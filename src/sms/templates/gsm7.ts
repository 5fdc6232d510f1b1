// "GSM-7 friendly" rendering: characters outside GSM-7 replaced by their nearest GSM-7 equivalents, like Twilio's Smart Encoding.
import { isGsm7 } from './segments.ts';

/** Typographic characters that phones and word processors insert, and what Smart Encoding sends instead. */
const REPLACEMENTS: Record<string, string> = {
  '«': '"', '»': '"', '“': '"', '”': '"', '„': '"', '‟': '"', 'ʺ': '"', 'ˮ': '"', '❝': '"', '❞': '"', '〝': '"', '〞': '"', '＂': '"',
  '‘': "'", '’': "'", '‚': "'", '‛': "'", 'ʻ': "'", 'ʼ': "'", 'ʽ': "'", 'ʹ': "'", 'ˈ': "'", '´': "'", 'ˊ': "'", '`': "'", 'ˋ': "'", '❛': "'", '❜': "'", '＇': "'",
  '‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '―': '-', '−': '-', '﹣': '-', '－': '-',
  '…': '...', '•': '-', '·': '.', '‹': '<', '›': '>', '⁄': '/', '∕': '/', '％': '%', '＆': '&', '＋': '+', '，': ',', '．': '.', '：': ':', '；': ';', '？': '?', '！': '!',
  '\u00a0': ' ', '\u2000': ' ', '\u2001': ' ', '\u2002': ' ', '\u2003': ' ', '\u2004': ' ', '\u2005': ' ', '\u2006': ' ', '\u2007': ' ', '\u2008': ' ', '\u2009': ' ', '\u200a': ' ', '\u202f': ' ', '\u205f': ' ', '\u3000': ' ',
  '\u200b': '', '\u200c': '', '\u200d': '', '\u2060': '', '\ufeff': '',
  'ç': 'Ç', 'œ': 'oe', 'Œ': 'OE', 'ð': 'd', 'Ð': 'D', 'þ': 'th', 'Þ': 'TH', 'ł': 'l', 'Ł': 'L', 'đ': 'd', 'Đ': 'D', 'ı': 'i',
};

/** One character's GSM-7 stand-in: itself when already GSM-7, a table entry, or the letter without its accent (ó → o). */
function nearest(c: string): string {
  if (isGsm7(c)) return c;
  const mapped = REPLACEMENTS[c];
  if (mapped !== undefined) return mapped;
  const bare = c.normalize('NFD').replace(/\p{M}+/gu, '');
  return bare && isGsm7(bare) ? bare : c;
}

/** The text with every replaceable character replaced; characters with no GSM-7 equivalent (CJK, emoji) are kept, so the text stays UCS-2. */
export function toGsm7Friendly(text: string): string {
  return [...text].map(nearest).join('');
}
