/** Dates and amounts as Japanese forms show them. */

const wareki = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
const seireki = new Intl.DateTimeFormat('ja-JP', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
const dateTime = new Intl.DateTimeFormat('ja-JP', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Asia/Tokyo',
});
const yen = new Intl.NumberFormat('ja-JP');

/** A calendar date (YYYY-MM-DD), read as that day whatever the browser's time zone. */
function day(iso: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
}

/** 令和8年4月1日 */
export function formatWareki(iso: string): string {
  const d = day(iso);
  return d ? wareki.format(d) : iso;
}

/** 2026年4月1日 */
export function formatSeireki(iso: string): string {
  const d = day(iso);
  return d ? seireki.format(d) : iso;
}

/** 2026/04/01 10:15 (Japan time) */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/** 10,000円 */
export function formatYen(amount: number): string {
  return `${yen.format(amount)}円`;
}

/** Today in Japan (YYYY-MM-DD). */
export function todayInJapan(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());
}
