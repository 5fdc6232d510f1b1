// Durations on screens said in words, in the screen language ("in 55 minutes", "dentro de 2 horas"), never as raw seconds.

/** The unit a wait is said in: seconds under a minute, minutes under 90 minutes, hours under 36 hours, then days. */
function unitOf(seconds: number): [number, Intl.RelativeTimeFormatUnit] {
  if (seconds < 60) return [Math.max(1, Math.ceil(seconds)), 'second'];
  if (seconds < 90 * 60) return [Math.ceil(seconds / 60), 'minute'];
  if (seconds < 36 * 3600) return [Math.ceil(seconds / 3600), 'hour'];
  return [Math.ceil(seconds / 86_400), 'day'];
}

/** When a wait of `seconds` ends, relative to now: "in 56 minutes" (en), "56分钟后" (zh-CN). Rounded up: never sooner than true. */
export function formatWait(lang: string, seconds: number): string {
  const [value, unit] = unitOf(Number.isFinite(seconds) ? Math.max(0, seconds) : 0);
  return new Intl.RelativeTimeFormat(lang, { numeric: 'always' }).format(value, unit);
}
