import { Writable } from 'node:stream';
import pino, { type Logger, type DestinationStream } from 'pino';
import { IDENTIFIER_SHAPES } from '../crypto/ids.ts';

/**
 * Logs never carry a My Number, a PMH-ID or a pseudonym (docs/privacy.md#invariant-1). Known fields are
 * redacted by path; request lines name the route, never the URL (request-log.ts); and every line is
 * scrubbed of anything shaped like one of them, in any encoding, whatever field or message it hides in.
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

/** What may stand between the digit groups of a number written by hand: spaces, hyphens and dashes, dots, underscores, `+` (form encoding). */
const SEP = '[ .\\-_+\u2010-\u2015\u2212\u30fb]';
/**
 * A My Number in the decoded text of a line: a free-standing run of 12 digits; three groups of
 * four digits with one separator between them (as printed on the card); or 12 digits with at most
 * one separator between any two, that is not part of a longer such run.
 */
const MY_NUMBER_SHAPES = [
  /(?<!\d)\d{12}(?!\d)/g,
  new RegExp(`(?<!\\d)\\d{4}${SEP}\\d{4}${SEP}\\d{4}(?!\\d)`, 'g'),
  new RegExp(`(?<!\\d${SEP}?)\\d(?:${SEP}?\\d){11}(?!${SEP}?\\d)`, 'g'),
];
/** The federation's identifiers (PMH-ID, 仮名識別子, PMH仮名識別子, 紐付番号) and card serials, each standing alone. */
const IDENTIFIERS = [...IDENTIFIER_SHAPES, /[0-9A-F]{16}/].map((re) => new RegExp(`(?<![A-Za-z0-9])(?:${re.source})(?![A-Za-z0-9])`, 'g'));
const SHAPES = [...MY_NUMBER_SHAPES, ...IDENTIFIERS];

/**
 * The text as a reader would understand it, with where each of its characters came from: percent
 * escapes decoded (repeatedly, for double encoding), then NFKC (full-width digits and letters
 * become ASCII, the ideographic space a space). `from[i]`/`to[i]` is the span in the line.
 */
interface Decoded {
  text: string;
  from: number[];
  to: number[];
}

const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/y;
const utf8 = new TextDecoder('utf-8');

function decodeOnce(d: Decoded): Decoded {
  const out: Decoded = { text: '', from: [], to: [] };
  const emit = (s: string, from: number, to: number) => {
    for (const cp of s) {
      const n = cp.normalize('NFKC');
      out.text += n;
      for (let k = 0; k < n.length; k++) {
        out.from.push(from);
        out.to.push(to);
      }
    }
  };
  const t = d.text;
  for (let i = 0; i < t.length; ) {
    PERCENT_RUN.lastIndex = i;
    const run = t[i] === '%' ? PERCENT_RUN.exec(t) : null;
    if (run) {
      const bytes = Uint8Array.from(run[0].slice(1).split('%'), (h) => parseInt(h, 16));
      emit(utf8.decode(bytes), d.from[i]!, d.to[i + run[0].length - 1]!);
      i += run[0].length;
    } else {
      const cp = String.fromCodePoint(t.codePointAt(i)!);
      emit(cp, d.from[i]!, d.to[i + cp.length - 1]!);
      i += cp.length;
    }
  }
  return out;
}

function decoded(line: string): Decoded {
  // Indexed by UTF-16 unit, as the regular expressions' match indexes are.
  let d: Decoded = { text: line, from: [], to: [] };
  for (let i = 0; i < line.length; i++) {
    d.from.push(i);
    d.to.push(i + 1);
  }
  for (let pass = 0; pass < 3; pass++) {
    const next = decodeOnce(d);
    if (next.text === d.text) break;
    d = next;
  }
  return d;
}

/** Nothing to decode: printable ASCII without a percent escape. */
const PLAIN = /^[\x20-\x24\x26-\x7e\n]*$/;

/**
 * Replaces every My Number and every federation identifier in a line with `[REDACTED]`, however it
 * is written: half- or full-width, grouped with spaces, hyphens or dots, percent-encoded (also
 * twice, also as encoded full-width digits). The redacted span is the written form, whole.
 */
export function scrubMyNumbers(line: string): string {
  const d = PLAIN.test(line) ? null : decoded(line);
  const text = d ? d.text : line;
  const spans: Array<[number, number]> = [];
  for (const re of SHAPES) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const end = m.index + m[0].length - 1;
      spans.push(d ? [d.from[m.index]!, d.to[end]!] : [m.index, end + 1]);
    }
  }
  if (spans.length === 0) return line;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [from, to] of spans) {
    if (to <= at) continue;
    out += line.slice(at, Math.max(at, from)) + (from >= at ? '[REDACTED]' : '');
    at = to;
  }
  return out + line.slice(at);
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
