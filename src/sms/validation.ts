// Form helpers shared by the SMS services (parsing goes through parseWith in errors.ts).

/** Empty strings from forms mean "not set". */
export const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
