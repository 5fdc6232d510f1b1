// Screen text with a part that must not wrap (a masked phone number): escaped HTML with that part in a nowrap span.

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `text` escaped, with each occurrence of `part` kept on one line (CSS `.nowrap`); use with `<%-` in a view. */
export function keepTogether(text: string, part: string): string {
  if (!part) return escapeHtml(text);
  return text
    .split(part)
    .map(escapeHtml)
    .join(`<span class="nowrap">${escapeHtml(part)}</span>`);
}
