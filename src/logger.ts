// The process logger (pino); secrets and codes are never passed to it, and known secret fields are redacted.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['*.password', '*.client_secret', '*.secret', '*.code', 'req.headers.cookie', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  });
}
