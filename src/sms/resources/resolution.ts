// Which provider template each purpose × region × language of a template-code account resolves to, as the sender picks it.
import { PURPOSES, type Purpose, type Region } from '../purposes.ts';
import type { ProviderTemplate, Signature } from './types.ts';

export interface ResolvedTemplate {
  id: string;
  code: string;
  /** The language of its approved text; null: any language. */
  language: string | null;
  params: Record<string, string>;
  textStatus: ProviderTemplate['textStatus'];
  general: boolean;
  clientIds: string[];
}

export interface Resolution {
  purpose: Purpose;
  region: Region;
  /** The purpose whose templates are used: signup without templates of its own uses login's. */
  via: Purpose;
  /** One per language with a template of its own (then the one for any language). */
  languages: ResolvedTemplate[];
  /** What a message in any other language gets: the template for any language, else the first mapped one (a fallback). */
  otherLanguages: (ResolvedTemplate & { fallback: boolean }) | null;
  /** The region's signature names (app-owned ones come first for the apps they are granted to). */
  signNames: string[];
}

const view = (t: ProviderTemplate): ResolvedTemplate => ({ id: t.id, code: t.code, language: t.language, params: t.params, textStatus: t.textStatus, general: t.general, clientIds: t.clientIds });

/** Mirrors the sender: the template in the message's language, else the one for any language, else the first one. */
export function resolveTemplates(templates: readonly ProviderTemplate[], signatures: readonly Signature[]): Resolution[] {
  const out: Resolution[] = [];
  for (const purpose of PURPOSES) {
    for (const region of ['domestic', 'international'] as const) {
      const own = templates.filter((t) => t.purpose === purpose && t.region === region);
      const via: Purpose = own.length === 0 && purpose === 'signup' ? 'login' : purpose;
      const list = via === purpose ? own : templates.filter((t) => t.purpose === via && t.region === region);
      const sorted = [...list].sort((a, b) => (a.language === null ? 1 : 0) - (b.language === null ? 1 : 0) || (a.language ?? '').localeCompare(b.language ?? ''));
      const any = list.find((t) => t.language === null);
      const first = list[0];
      out.push({
        purpose,
        region,
        via,
        languages: sorted.map(view),
        otherLanguages: any ? { ...view(any), fallback: false } : first ? { ...view(first), fallback: true } : null,
        signNames: signatures.filter((s) => s.region === region).map((s) => s.signName),
      });
    }
  }
  return out;
}
