// Number, money and date formatting in the conventions of each language.
//
// Numbers use the CLDR conventions of the language through Intl (both mn and
// en group thousands with ","). Dates are written as Mongolian offices write
// them, "2026.03.05", in mn, and as "5 Mar 2026" in en; they are calendar
// dates (YYYY-MM-DD from the server), never shifted by a time zone.
export type Lang = 'mn' | 'en';

const numberFormats: Record<Lang, Intl.NumberFormat> = {
  mn: new Intl.NumberFormat('mn-MN', { maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }),
};

export function formatNumber(lang: Lang, n: number): string {
  return numberFormats[lang].format(n);
}

// Integer tögrög: "15,000 ₮" (mn) or "MNT 15,000" (en).
export function formatMoney(lang: Lang, mnt: number): string {
  const digits = numberFormats[lang].format(Math.round(mnt));
  return lang === 'mn' ? `${digits} ₮` : `MNT ${digits}`;
}

// A share in [0, 1] as a percentage with one decimal.
export function formatPercent(lang: Lang, share: number): string {
  return `${numberFormats[lang].format(Math.round(share * 1000) / 10)}%`;
}

const monthsEn = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// "2026-03-05" (or an ISO timestamp "2026-03-05T10:20:00Z") -> the local
// convention. Text that is not a date is returned unchanged.
export function formatDate(lang: Lang, iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d, hh, mm] = m;
  const month = Number(mo);
  if (month < 1 || month > 12) return iso;
  const time = hh !== undefined ? ` ${hh}:${mm}` : '';
  if (lang === 'mn') return `${y}.${mo}.${d}${time}`;
  return `${Number(d)} ${monthsEn[month - 1]} ${y}${time}`;
}
