import iconv from 'iconv-lite';

/**
 * Text as Shift_JIS for legacy municipal systems: Windows-31J (CP932, what "Shift_JIS" means in
 * practice, and what WHATWG's encoding standard calls it), so the NEC and IBM extensions (①, 髙, 﨑)
 * that registers hold are written. A character it has no code for becomes "?".
 */
export function encodeShiftJis(text: string): Buffer {
  return iconv.encode(text, 'cp932');
}
