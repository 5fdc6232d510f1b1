// Signatures, provider templates and account access as admins submit and read them (the SMS layer validates them again).
import { z } from 'zod';
import { PURPOSES } from '../../../sms/purposes.ts';
import { accessInput, signatureInput, signaturePatch, templateInput, templatePatch } from '../../../sms/resources/schema.ts';
import { TEMPLATE_VARIABLES } from '../../../sms/resources/types.ts';
import { pageFields } from '../page.ts';

const region = z.enum(['domestic', 'international']);
const grants = {
  general: z.boolean().describe('Any app may use it; otherwise only the apps in clientIds ("Authorize app").'),
  clientIds: z.array(z.string()).describe('Apps (OIDC client ids) granted it.'),
};

export const smsSignatureCreateInput = signatureInput.describe('A signature (sign name) approved at the provider, for one region of one template-code account.');
export const smsSignaturePatchInput = signaturePatch;
export const smsTemplateCreateInput = templateInput.describe(
  `A provider template code for one purpose and region. params maps each of the provider template's parameters to one of our variables (${TEMPLATE_VARIABLES.join(', ')}); the approved text is fetched from the provider when saved.`,
);
export const smsTemplatePatchInput = templatePatch;
export const smsAccessInput = accessInput;

export const smsResourceListQuery = z.object({ accountId: z.string().max(36).optional().describe('Only this account’s.'), ...pageFields }).strict();

export const smsSignatureView = z.object({
  id: z.string(),
  accountId: z.string(),
  signName: z.string(),
  region,
  note: z.string().nullable(),
  ...grants,
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});

export const smsTemplateView = z.object({
  id: z.string(),
  accountId: z.string(),
  code: z.string(),
  purpose: z.enum(PURPOSES),
  region,
  language: z.string().nullable().describe('Language of the approved text; null: any.'),
  params: z.record(z.string(), z.string()),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the provider's own parameter syntax
  text: z.string().nullable().describe('The approved text fetched from the provider, with its parameters as ${name} placeholders.'),
  textStatus: z.enum(['approved', 'pending', 'unavailable']).describe('pending: in review or rejected; unavailable: could not be fetched.'),
  ...grants,
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});

export const smsTemplatePreviewInput = z
  .object({
    values: z.partialRecord(z.enum(TEMPLATE_VARIABLES), z.string().max(200)).optional().describe('Values instead of the samples.'),
    signatureId: z.string().max(36).optional(),
  })
  .strict();

export const smsTemplatePreviewView = z.object({
  textStatus: z.enum(['approved', 'pending', 'unavailable']),
  signName: z.string().nullable(),
  text: z.string().nullable().describe('What the recipient sees; domestic messages start with 【SignName】.'),
  encoding: z.string().nullable(),
  characters: z.number().int().nullable(),
  segments: z.number().int().nullable(),
});

export const smsAccessView = z.object({ ...grants });
export const smsProblemsView = z.object({ problems: z.array(z.string()).describe('Configuration errors found before anything is sent.'), reportUrl: z.string().nullable() });

const resolvedTemplate = z.object({
  id: z.string(),
  code: z.string(),
  language: z.string().nullable().describe('Language of the approved text; null: any.'),
  params: z.record(z.string(), z.string()),
  textStatus: z.enum(['approved', 'pending', 'unavailable']),
  ...grants,
});

export const smsResolutionView = z.object({
  items: z
    .array(
      z.object({
        purpose: z.enum(PURPOSES),
        region,
        via: z.enum(PURPOSES).describe('The purpose whose templates are used (signup without its own uses login).'),
        languages: z.array(resolvedTemplate).describe('The templates of this purpose and region, one per language.'),
        otherLanguages: resolvedTemplate
          .extend({ fallback: z.boolean().describe('true: no template for any language, so another language’s is used (the message log records it).') })
          .nullable()
          .describe('What a message in a language without its own template gets; null: nothing (a configuration error).'),
        signNames: z.array(z.string()),
      }),
    )
    .describe('Each purpose × region of the account, with the provider template each language resolves to.'),
});
