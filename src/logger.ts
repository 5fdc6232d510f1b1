// The process logger (pino); secrets and codes are never passed to it, and known secret fields are redacted.
import { pino, type Logger } from 'pino';

export type { Logger };

/** Error serializer without the raw request bytes Node's HTTP parser attaches (they carry cookies and tokens). */
function serializeError(err: unknown) {
  const out = pino.stdSerializers.err(err as Error) as Record<string, unknown>;
  delete out.rawPacket;
  return out;
}

export function createLogger(level: string): Logger {
  return pino({
    level,
    serializers: { err: serializeError },
    redact: {
      paths: ['*.password', '*.client_secret', '*.secret', '*.code', 'req.headers.cookie', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  });
}

/**
 * A request the HTTP parser refused (bad chunking, bad header): the client's fault, logged at warn with what
 * went wrong and never the raw bytes. Anything else escaping the app is an error.
 */
export function logAppError(logger: Logger) {
  return (err: unknown): void => {
    const e = err as { code?: unknown; reason?: unknown; bytesParsed?: unknown; rawPacket?: unknown; message?: unknown };
    const code = typeof e?.code === 'string' ? e.code : '';
    if (code.startsWith('HPE_') || e?.rawPacket !== undefined) {
      logger.warn({ parser: { code, reason: typeof e.reason === 'string' ? e.reason : String(e.message ?? '') } }, 'malformed HTTP request');
      return;
    }
    logger.error({ err }, 'unhandled error');
  };
}
