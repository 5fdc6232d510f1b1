// Colours derived from the primary colour so text on it and links in it stay readable (WCAG contrast 4.5:1).

const channel = (hex: string, i: number): number => {
  const c = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};

export const luminance = (hex: string): number => 0.2126 * channel(hex, 0) + 0.7152 * channel(hex, 1) + 0.0722 * channel(hex, 2);

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const DARK = '#111827';
const BLACK = '#000000';
const WHITE = '#ffffff';

/** The custom properties the screens' stylesheet reads: the colour, the text on it, and links/name on the white card. */
export function colorVariables(primary: string): Record<string, string> {
  const readableOnWhite = contrast(primary, WHITE) >= 4.5;
  return {
    '--brand-primary': primary,
    // White or black, whichever contrasts more: one of them always reaches 4.5:1.
    '--brand-on-primary': contrast(primary, WHITE) >= contrast(primary, BLACK) ? WHITE : BLACK,
    '--brand-text': readableOnWhite ? primary : DARK,
  };
}
