// Typed application errors: a code (also the i18n key), an HTTP status, and whether the message is safe to show.
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly expose: boolean;
  readonly params: Record<string, string | number>;
  /** Structured detail for API clients (e.g. every failed field); safe to show when the error is. */
  readonly details: unknown;

  constructor(
    code: string,
    status = 400,
    options: { message?: string; expose?: boolean; params?: Record<string, string | number>; details?: unknown } = {},
  ) {
    super(options.message ?? code);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.expose = options.expose ?? status < 500;
    this.params = options.params ?? {};
    this.details = options.details;
  }
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;
