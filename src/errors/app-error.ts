// AppError: a listed code (also the i18n key), an HTTP status from the list, and whether it is safe to show.
import { type ErrorCode, errorSpec, type StatusOf } from './codes.ts';


export interface AppErrorOptions {
  message?: string;
  expose?: boolean;
  params?: Record<string, string | number>;
  /** Structured detail for API clients (e.g. every failed field as `{ issues }`); safe to show when the error is. */
  details?: unknown;
}

export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly status: number;
  readonly expose: boolean;
  readonly params: Record<string, string | number>;
  readonly details: unknown;

  /** `status` defaults to the code's; only the statuses the list allows for the code type-check. */
  constructor(code: C, status?: StatusOf<C>, options: AppErrorOptions = {}) {
    const spec = errorSpec(code);
    super(options.message ?? code);
    this.name = 'AppError';
    this.code = code;
    this.status = status ?? spec.status;
    this.expose = options.expose ?? (spec.expose && this.status < 500);
    this.params = options.params ?? {};
    this.details = options.details;
  }
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;
