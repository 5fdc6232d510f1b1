// Typed application errors: a code (also the i18n key), an HTTP status, and whether the message is safe to show.
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly expose: boolean;
  readonly params: Record<string, string | number>;

  constructor(code: string, status = 400, options: { message?: string; expose?: boolean; params?: Record<string, string | number> } = {}) {
    super(options.message ?? code);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.expose = options.expose ?? status < 500;
    this.params = options.params ?? {};
  }
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;
