// The herders' page without the DOM: checking what was typed, the texts,
// and turning each section's JSON (GET /api/v1/herder/sections/NAME) into
// lines to show. Pure functions, tested in herder.test.ts.
import { herderEn, herderMn } from './messages/herder';

export type HLang = 'mn' | 'en';
export type HKey = keyof typeof herderEn;

export const SECTIONS = ['insurance', 'payments', 'dzud', 'prices', 'bank', 'services'] as const;
export type SectionName = (typeof SECTIONS)[number];

export function text(lang: HLang, key: HKey, values: Record<string, string | number> = {}): string {
  const t = (lang === 'mn' ? herderMn : herderEn)[key];
  return t.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? `{${k}}`));
}

// Two Cyrillic letters and 8 digits (spaces ignored, letters upper-cased).
export function normalizeRegisterNo(raw: string): string | null {
  const rn = raw.replace(/\s+/g, '').toUpperCase();
  return /^[А-ЯЁӨҮ]{2}\d{8}$/.test(rn) ? rn : null;
}

export function validCode(raw: string): string | null {
  const c = raw.replace(/\s+/g, '');
  return /^\d{6}$/.test(c) ? c : null;
}

export function money(lang: HLang, mnt: number): string {
  const digits = Math.round(mnt)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'mn' ? ' ' : ',');
  return lang === 'mn' ? `${digits} ₮` : `MNT ${digits}`;
}

type J = Record<string, any>;

function insurance(lang: HLang, s: J): string[] {
  const out: string[] = [];
  for (const m of s.members ?? []) {
    out.push(`${m.name}: ${text(lang, 'h.social', { n: m.social.months_covered })}; ` +
      `${text(lang, 'h.health', { n: m.health.months_covered })}`);
    const due = m.social.due + m.health.due;
    if (due > 0) out.push(text(lang, 'h.due', { amount: money(lang, due) }));
  }
  if (s.pension?.eligible) {
    out.push(text(lang, 'h.pension', {
      date: s.pension.retirement_date, age: s.pension.retirement_age,
      amount: money(lang, s.pension.monthly_pension),
    }));
    if (s.pension.early_herder) out.push(text(lang, 'h.pension.early'));
  }
  return out.concat(s.how_to_pay ?? []);
}

function payment(lang: HLang, p: J): string[] {
  const status = text(lang, `h.status.${p.status}` as HKey);
  const out = [`${p.name}: ${p.programme} — ${money(lang, p.amount)} (${status})`];
  if (p.reason) out.push(text(lang, 'h.reason', { reason: p.reason, date: p.reported_on ?? '' }));
  if (p.what_to_do) out.push(p.what_to_do);
  return out;
}

// The events declared for the soum and the household's plans.
function applies(lang: HLang, s: J): string[] {
  const out: string[] = [];
  for (const e of s.events ?? []) {
    out.push(text(lang, 'h.event', { name: e.name, date: e.declared_on, severity: e.severity_text }));
  }
  for (const p of s.plans ?? []) {
    const members = (p.members ?? []).join(', ');
    out.push(p.approved
      ? text(lang, 'h.plan', { name: p.name, amount: money(lang, p.amount), members, from: p.from, to: p.to })
      : text(lang, 'h.plan.pending', { name: p.name, members }));
  }
  return out;
}

// Names of the price table's items and units (data/prices.csv).
const ITEMS: Record<string, [string, string]> = {
  camel: ['Тэмээ', 'Camel'], horse: ['Адуу', 'Horse'], cattle: ['Үхэр', 'Cattle'],
  sheep: ['Хонь', 'Sheep'], goat: ['Ямаа', 'Goat'], cashmere: ['Ноолуур', 'Cashmere'],
  sheep_wool: ['Хонины ноос', 'Sheep wool'], camel_wool: ['Тэмээний ноос', 'Camel wool'],
};
const UNITS: Record<string, [string, string]> = { head: ['толгой', 'head'], kg: ['кг', 'kg'] };
export function itemName(lang: HLang, item: string): string {
  return ITEMS[item]?.[lang === 'mn' ? 0 : 1] ?? item;
}
function unitName(lang: HLang, unit: string): string {
  return UNITS[unit]?.[lang === 'mn' ? 0 : 1] ?? unit;
}

function prices(lang: HLang, s: J): string[] {
  const out = [text(lang, 'h.herd', { amount: money(lang, s.herd_value) })];
  for (const p of s.prices ?? []) {
    out.push(text(lang, 'h.price', {
      item: itemName(lang, p.item), unit: unitName(lang, p.unit), price: money(lang, p.price),
      date: p.from, source: p.source,
    }));
  }
  return out;
}

// The lines of a section, in order; [h.none] when it holds nothing.
export function sectionLines(lang: HLang, name: SectionName, s: J): string[] {
  let out: string[] = [];
  if (name === 'insurance') out = insurance(lang, s);
  if (name === 'payments') for (const p of s.payments ?? []) out.push(...payment(lang, p));
  if (name === 'bank') {
    for (const a of s.accounts ?? []) {
      out.push(`${a.name}: ${a.account}`);
      if (a.latest) out.push(...payment(lang, { name: a.name, ...a.latest }));
    }
  }
  if (name === 'dzud') {
    out.push(s.current
      ? text(lang, 'h.risk', { level: s.current.level_text, date: s.current.date, source: s.current.source })
      : text(lang, 'h.risk.none'));
    if (s.alert) out.push(s.alert);
    out.push(...applies(lang, s));
  }
  if (name === 'prices') out = prices(lang, s);
  if (name === 'services') {
    for (const t of s.trainings ?? []) {
      out.push(text(lang, 'h.training', { title: t.title, place: t.place, from: t.starts_on, to: t.ends_on }));
    }
    if (s.complaint?.text) out.push(s.complaint.text);
  }
  return out.length ? out : [text(lang, 'h.none')];
}
