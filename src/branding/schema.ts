// Branding as admins set it: name, primary colour, support contact, logo, favicon and a stylesheet, each optional.
import { z } from 'zod';
import { type BrandImage, FAVICON_MAX_BYTES, FAVICON_TYPES, LOGO_MAX_BYTES, LOGO_TYPES, parseImage } from './images.ts';

export const CSS_MAX_CHARS = 32 * 1024;

/** `#rrggbb`, kept in lower case. */
export const colorSchema = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb, for example #0a7d5a')
  .transform((c) => c.toLowerCase());

const image = (types: readonly string[], maxBytes: number, what: string) =>
  z
    .string()
    .max(Math.ceil((maxBytes * 4) / 3) + 200, `is larger than ${maxBytes / 1024} KB`)
    .transform((v, ctx): BrandImage => {
      const parsed = parseImage(v, types, maxBytes);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      return parsed;
    })
    .describe(`${what} as a data URL (data:<type>;base64,…): ${types.join(', ')}, at most ${maxBytes / 1024} KB. Served from this server, so the Content-Security-Policy stays 'self'.`);

const text = (max: number) => z.string().trim().min(1, 'must not be empty (send null to clear it)').max(max, `must be at most ${max} characters`);

/** Every field: left out keeps the stored value, null clears it (an app then shows the installation's value). */
export const brandingPatchInput = z
  .object({
    name: text(100).nullable().optional().describe('Shown at the top of every hosted screen and in their titles; SMS texts use it as application.name.'),
    primaryColor: colorSchema.nullable().optional().describe('Buttons, links and the name, as #rrggbb.'),
    supportContact: text(200).nullable().optional().describe('Who users contact for help (shown on the screens; SMS templates know it as support_contact).'),
    logo: image(LOGO_TYPES, LOGO_MAX_BYTES, 'The logo').nullable().optional(),
    favicon: image(FAVICON_TYPES, FAVICON_MAX_BYTES, 'The favicon').nullable().optional(),
    css: z
      .string()
      .max(CSS_MAX_CHARS, `must be at most ${CSS_MAX_CHARS / 1024} KB`)
      .refine((c) => !c.includes('\0'), 'must not contain NUL characters')
      .nullable()
      .optional()
      .describe('A stylesheet added after the built-in one, served from this server at a URL carrying its hash (no inline styles).'),
  })
  .strict()
  .describe('Fields left out keep their value; null clears one.');

export type BrandingPatch = z.output<typeof brandingPatchInput>;

const imageView = z
  .object({ type: z.string(), bytes: z.number().int(), sha256: z.string(), url: z.string().describe('Where this server serves it.') })
  .nullable();

export const brandingView = z
  .object({
    clientId: z.string().nullable().describe("The app's id; null for the installation's branding."),
    name: z.string().nullable(),
    primaryColor: z.string().nullable(),
    supportContact: z.string().nullable(),
    logo: imageView,
    favicon: imageView,
    css: z.string().nullable(),
    updatedAt: z.number().int().nullable().describe('Milliseconds since the epoch; null when never set.'),
  })
  .describe('Branding as stored: an app shows its own values and the installation’s for the fields it leaves empty.');

export const brandingList = z.object({ items: z.array(brandingView) }).describe('The apps that have branding of their own.');
