// Logo and favicon uploads: data URLs of small raster or SVG images, checked by their bytes (not only by what they claim).
import { createHash } from 'node:crypto';

export interface BrandImage {
  /** The media type, as sent when the image is served. */
  type: string;
  data: Buffer;
  /** SHA-256 of the bytes, hex: the image's URL carries its first characters, so a changed image gets a new URL. */
  sha256: string;
}

export const LOGO_MAX_BYTES = 100 * 1024;
export const FAVICON_MAX_BYTES = 32 * 1024;

/** What each media type's bytes start with (SVG: XML text with an <svg> element). */
const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) && b.subarray(12, 16).toString('latin1') === 'IHDR',
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => b.subarray(0, 4).toString('latin1') === 'GIF8',
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  'image/x-icon': (b) => b.subarray(0, 4).equals(Buffer.from([0, 0, 1, 0])),
  'image/svg+xml': (b) => /^(?:\uFEFF)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?<svg[\s>]/i.test(b.toString('utf8')),
};

export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml'] as const;
export const FAVICON_TYPES = ['image/png', 'image/x-icon', 'image/svg+xml', 'image/gif'] as const;

const ALIASES: Record<string, string> = { 'image/jpg': 'image/jpeg', 'image/vnd.microsoft.icon': 'image/x-icon' };

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** `data:image/png;base64,…` → the image, or a sentence saying what is wrong with it. */
export function parseImage(value: string, types: readonly string[], maxBytes: number): BrandImage | string {
  const m = /^data:([a-z0-9.+/-]+);base64,([A-Za-z0-9+/=\s]*)$/i.exec(value);
  if (!m) return 'must be an image as a data URL: data:image/png;base64,…';
  const type = ALIASES[m[1]!.toLowerCase()] ?? m[1]!.toLowerCase();
  if (!types.includes(type)) return `must be one of ${types.join(', ')} (got ${type})`;
  const data = Buffer.from(m[2]!.replace(/\s/g, ''), 'base64');
  if (data.length === 0) return 'is empty';
  if (data.length > maxBytes) return `is ${Math.ceil(data.length / 1024)} KB; at most ${maxBytes / 1024} KB are allowed`;
  if (!SIGNATURES[type]!(data)) return `is not an image of type ${type} (its bytes say otherwise)`;
  return { type, data, sha256: sha256(data) };
}

/** The image as a data URL again (what the console's form keeps while another field is wrong). */
export const dataUrl = (image: Pick<BrandImage, 'type' | 'data'>): string => `data:${image.type};base64,${image.data.toString('base64')}`;
