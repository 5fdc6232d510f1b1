// An approved template's text as the recipient sees it: parameters filled, the 【SignName】 prefix mainland carriers add.
import type { Region } from '../purposes.ts';
import { countSegments, type SegmentInfo } from '../templates/segments.ts';

export const PARAM = /\$\{(\w+)\}/g;

/** The `${name}` parameters an approved text uses, in order of first use. */
export function paramsOf(text: string): string[] {
  return [...new Set([...text.matchAll(PARAM)].map((m) => m[1]!))];
}

/** The provider parameters filled from our variables through the template's mapping. */
export function fillParams(mapping: Readonly<Record<string, string>>, variables: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(mapping).map(([param, variable]) => [param, variables[variable] ?? '']));
}

/** Domestic messages carry `【SignName】` in front (counted in the length); international ones send the text as is. */
export function renderApproved(text: string, params: Readonly<Record<string, string>>, signName: string, region: Region): SegmentInfo & { text: string } {
  const body = text.replace(PARAM, (_m, k: string) => params[k] ?? '');
  const full = region === 'domestic' ? `【${signName}】${body}` : body;
  return { text: full, ...countSegments(full) };
}
