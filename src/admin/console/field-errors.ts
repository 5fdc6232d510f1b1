// Every error of a console form, each beside its field: the issues of one AppError as aria attributes and messages, in the admin's language.
import { type AppError, errorKey, type Issue, isErrorCode } from '../../errors.ts';
import { detailsOf } from '../../http/errors.ts';
import type { Translate } from '../../i18n/index.ts';

/** What a form shows for an error an admin can fix: the code's sentence on top, every issue by its field. */
export type FormErrorLocals = {
  error: string;
  /** The first failed field (kept for forms that mark one field only). */
  errorField: string;
  fieldErrors: Issue[];
};

const issuesOf = (err: AppError): Issue[] => {
  const details = detailsOf(err) as { issues?: unknown } | undefined;
  return Array.isArray(details?.issues) ? (details.issues as Issue[]).filter((i) => typeof i?.path === 'string') : [];
};

/** The sentence for an error (translated when the code has one), and its issues. */
export function formErrorLocals(err: AppError, t: Translate): FormErrorLocals {
  const key = errorKey(err.code);
  const sentence = t(key);
  return {
    error: sentence === key ? err.message : sentence,
    errorField: typeof err.params.field === 'string' ? err.params.field : '',
    fieldErrors: issuesOf(err),
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `settings.accountSid` → `error-settings-accountSid`: the id of the message shown beside that field. */
export const fieldErrorId = (path: string) => `error-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** The helpers a console view calls per field: `invalid(path, hint)` in the tag, `fieldError(path)` right after it. */
export function fieldHelpers(locals: Record<string, unknown>, t: Translate) {
  const issues = Array.isArray(locals.fieldErrors) ? (locals.fieldErrors as Issue[]) : [];
  const errorField = typeof locals.errorField === 'string' ? locals.errorField : '';
  const under = (paths: string | string[], p: string) => [paths].flat().some((path) => p === path || p.startsWith(`${path}.`));
  const at = (paths: string | string[]) => issues.filter((i) => under(paths, i.path));
  const first = (paths: string | string[]) => [paths].flat()[0] ?? '';
  /** An input's aria attributes: its hint, plus the messages about this field (e.g. settings.accountSid). */
  const invalid = (path: string | string[], hint?: string) => {
    const own = at(path).length > 0;
    const bad = own || (Boolean(errorField) && under(path, errorField));
    const ids = [bad ? 'form-error' : '', own ? fieldErrorId(first(path)) : '', hint ?? ''].filter(Boolean).join(' ');
    return `${bad ? ' aria-invalid="true"' : ''}${ids ? ` aria-describedby="${ids}"` : ''}`;
  };
  /** The messages about one field, beside it (nothing when it is fine). A rule's issue reads as its code's sentence. */
  const fieldError = (path: string | string[]) => {
    const mine = at(path);
    if (mine.length === 0) return '';
    const text = mine.map((i) => (i.code && isErrorCode(i.code) ? t(errorKey(i.code)) : i.message)).join(' ');
    return `<p class="error field-error" id="${fieldErrorId(first(path))}">${escapeHtml(text)}</p>`;
  };
  return { invalid, fieldError };
}
