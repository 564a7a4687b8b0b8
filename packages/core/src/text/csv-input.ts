import iconv from 'iconv-lite';

/** The encodings a CSV file from a municipal system comes in. */
export type CsvEncoding = 'utf-8' | 'shift_jis';

/** How many bytes are looked at to tell UTF-8 from Shift_JIS when the sender did not say. */
const SNIFF_BYTES = 64 * 1024;

/** The charset names (Content-Type `charset=`, case-insensitive) read as Shift_JIS: in practice Windows-31J (CP932). */
const SHIFT_JIS_NAMES = new Set([
  'shift_jis',
  'shift-jis',
  'sjis',
  'x-sjis',
  'windows-31j',
  'cp932',
  'ms932',
  'ms_kanji',
  'csshiftjis',
  'csWindows31J'.toLowerCase(),
]);
const UTF8_NAMES = new Set(['utf-8', 'utf8']);

/** The encoding a `charset` names, or undefined when it names none we read. */
export function csvEncodingOf(charset: string | undefined): CsvEncoding | undefined {
  if (charset === undefined) return undefined;
  const c = charset.trim().toLowerCase().replace(/^"|"$/g, '');
  if (UTF8_NAMES.has(c)) return 'utf-8';
  if (SHIFT_JIS_NAMES.has(c)) return 'shift_jis';
  return undefined;
}

/** Every charset name `csvEncodingOf` reads (for a door that checks the Content-Type before reading the body). */
export const CSV_CHARSET_NAMES: readonly string[] = [...UTF8_NAMES, ...SHIFT_JIS_NAMES];

function looksUtf8(head: Buffer): boolean {
  try {
    // `stream: true`: a character cut at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * A byte stream as text, in the encoding declared or, when none is, the one the first 64 KiB show:
 * a UTF-8 byte-order mark or valid UTF-8 is UTF-8 (plain ASCII reads the same either way), anything
 * else Shift_JIS — Windows-31J (CP932), so the NEC and IBM extensions (①, 髙, 﨑) municipal systems
 * write are read. The BOM is dropped; line ends (CRLF, CR) become LF, so a line counts the same in
 * every file. Bytes that are not text in the encoding become U+FFFD, for the reader to report where
 * they are. `encoding` is known once the first chunk has been yielded.
 */
export class CsvText {
  encoding: CsvEncoding | undefined;

  constructor(
    private readonly source: AsyncIterable<Buffer | string>,
    declared?: CsvEncoding,
  ) {
    this.encoding = declared;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    const pending: Buffer[] = [];
    let pendingBytes = 0;
    let decoder: { write(b: Buffer): string; end(): string | undefined } | undefined;
    let carriageReturn = false;
    let first = true;
    const lines = (text: string): string => {
      let t = text;
      if (first) {
        first = false;
        if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
      }
      if (carriageReturn) t = `\r${t}`;
      carriageReturn = t.endsWith('\r');
      if (carriageReturn) t = t.slice(0, -1);
      return t.replace(/\r\n?/g, '\n');
    };
    const start = (head: Buffer) => {
      if (!this.encoding) {
        const bom = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
        this.encoding = bom || looksUtf8(head) ? 'utf-8' : 'shift_jis';
      }
      decoder = iconv.getDecoder(this.encoding === 'utf-8' ? 'utf-8' : 'cp932', { stripBOM: false });
    };
    for await (const chunk of this.source) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      if (!decoder) {
        pending.push(bytes);
        pendingBytes += bytes.length;
        if (pendingBytes < SNIFF_BYTES) continue;
        const head = Buffer.concat(pending);
        pending.length = 0;
        start(head);
        const t = lines(decoder!.write(head));
        if (t) yield t;
        continue;
      }
      const t = lines(decoder.write(bytes));
      if (t) yield t;
    }
    if (!decoder) {
      const head = Buffer.concat(pending);
      start(head);
      const t = lines(decoder!.write(head));
      if (t) yield t;
    }
    const rest = (decoder!.end() ?? '') + (carriageReturn ? '\n' : '');
    carriageReturn = false;
    if (rest) yield lines(rest);
  }
}

/** U+FFFD: a byte sequence the file's encoding has no character for (or the replacement character itself). */
export const hasUndecodable = (s: string): boolean => s.includes('\ufffd');

/**
 * A private-use character (U+E000–U+F8FF): 外字, a municipality's own glyph, which CP932 maps into
 * this area (user-defined rows F0–F9). It means nothing outside the system that made it, so it is
 * refused, never stored as if it were a character others can read.
 */
export const hasPrivateUse = (s: string): boolean => /[\ue000-\uf8ff]/.test(s);
