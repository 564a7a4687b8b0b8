/**
 * The person's age as a doctor reads it before a dose: full years and months (X歳Yか月). A month is
 * reached on the same day of a later month, or on that month's last day when it has no such day (民法
 * 第143条, 年齢計算ニ関スル法律): born 31 July, one is 2 months old on 30 September.
 */
export function ageInYearsMonths(dateOfBirth: string, on: string): { years: number; months: number } | undefined {
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
  const t = /^(\d{4})-(\d{2})-(\d{2})$/.exec(on);
  if (!b || !t) return undefined;
  const [by, bm, bd] = [Number(b[1]), Number(b[2]), Number(b[3])];
  const [ty, tm, td] = [Number(t[1]), Number(t[2]), Number(t[3])];
  let months = (ty - by) * 12 + (tm - bm);
  // The birth day in this month, or its last day when the month is shorter.
  const lastDay = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  if (td < Math.min(bd, lastDay)) months -= 1;
  if (months < 0) return undefined;
  return { years: Math.floor(months / 12), months: months % 12 };
}

export function formatAge(dateOfBirth: string, on: string): string {
  const a = ageInYearsMonths(dateOfBirth, on);
  if (!a) return '—';
  return a.years === 0 ? `${a.months}か月` : `${a.years}歳${a.months}か月`;
}
