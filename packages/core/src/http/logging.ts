import { Writable } from 'node:stream';
import pino, { type Logger, type DestinationStream } from 'pino';
import { redactTwelveDigits } from '../text/my-number.ts';

/**
 * Logs never carry a My Number (ARCHITECTURE.md §3.1). Two layers: known fields are redacted by
 * path, and every line is scrubbed of any free-standing run of 12 digits (half- or full-width),
 * whatever field or message it hides in.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["consent-assertion"]',
  'myNumber',
  '*.myNumber',
  '*.*.myNumber',
  'body',
  '*.body',
  'client_assertion',
  '*.client_assertion',
];

/** 12 digits, half- or full-width, in any grouping (text/my-number.ts), check digit or not. */
export function scrubMyNumbers(line: string): string {
  return redactTwelveDigits(line, '[REDACTED]');
}

/** Wraps a destination so every line passes through `scrubMyNumbers`. */
export function scrubbingDestination(dest: { write(s: string): unknown }): DestinationStream {
  return {
    write(s: string) {
      dest.write(scrubMyNumbers(s));
    },
  };
}

export interface LogOptions {
  level?: string;
  /** Where lines go (default stdout); tests pass a capture. */
  destination?: { write(s: string): unknown };
  service: string;
}

export function createLogger(opts: LogOptions): Logger {
  const dest = opts.destination ?? process.stdout;
  return pino(
    {
      level: opts.level ?? process.env.PMH_LOG_LEVEL ?? 'info',
      base: { service: opts.service },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    scrubbingDestination(dest),
  );
}

/** A destination that keeps every line in memory: for tests that search the logs. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void) {
    this.lines.push(String(chunk));
    cb();
  }
  override write(chunk: unknown, ...rest: any[]): boolean {
    this.lines.push(String(chunk));
    const cb = rest.find((a) => typeof a === 'function');
    if (cb) cb();
    return true;
  }
  text(): string {
    return this.lines.join('');
  }
}
