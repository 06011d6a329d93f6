import pino from 'pino';
import type { Logger } from '../core/ports/logger.port.ts';

/**
 * The product's logger: pino, JSON lines. Field names that could carry personal data are
 * redacted as a second line of defence; the first is never logging them.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger & { readonly pino: pino.Logger } {
  const logger = pino(
    {
      level,
      base: { app: 'passerelle' },
      redact: {
        paths: ['text', 'phone', 'firstName', 'name', 'address', 'from', 'to', 'token', '*.text', '*.phone', '*.firstName', '*.token'],
        censor: '[redacted]',
      },
    },
    destination,
  );
  const wrap =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (fields: Record<string, unknown>, message: string): void =>
      logger[method](fields, message);
  return { pino: logger, debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}
