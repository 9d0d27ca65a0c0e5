// Aimag and soum names in both scripts, from the NSO list shipped with the
// front end (public/data/units.json, made from ../shared/data by
// tools/prepare-data.mjs). The API sends codes; names come from here.
import type { Lang } from './format';

export interface Unit {
  code: number; // 3-digit aimag / capital, 5-digit soum / district.
  level: 'aimag' | 'capital' | 'soum' | 'district';
  aimag: number; // The aimag's code (itself for an aimag).
  en: string;
  mn: string;
}

export class Units {
  private readonly byCode = new Map<number, Unit>();
  constructor(readonly all: Unit[]) {
    for (const u of all) this.byCode.set(u.code, u);
  }
  get(code: number): Unit | undefined {
    return this.byCode.get(code);
  }
  // "Tosontsengel" / "Тосонцэнгэл"; an unknown code is shown as the code.
  name(lang: Lang, code: number): string {
    const u = this.byCode.get(code);
    return u ? u[lang] : String(code);
  }
  // "Tosontsengel, Zavkhan".
  fullName(lang: Lang, code: number): string {
    const u = this.byCode.get(code);
    if (!u) return String(code);
    if (u.level === 'aimag' || u.level === 'capital') return u[lang];
    return `${u[lang]}, ${this.name(lang, u.aimag)}`;
  }
  aimags(): Unit[] {
    return this.all.filter((u) => u.level === 'aimag' || u.level === 'capital');
  }
  soumsOf(aimag: number): Unit[] {
    return this.all.filter((u) => u.aimag === aimag && (u.level === 'soum' || u.level === 'district'));
  }
  // Soums an area may pick from: one soum, an aimag's soums, or all.
  soumsIn(area: number): Unit[] {
    if (area >= 10000) return this.all.filter((u) => u.code === area);
    if (area >= 100) return this.soumsOf(area);
    return this.all.filter((u) => u.level === 'soum' || u.level === 'district');
  }
  // Sorted by name in the language's script.
  static sortByName(lang: Lang, units: Unit[]): Unit[] {
    const coll = new Intl.Collator(lang === 'mn' ? 'mn' : 'en');
    return [...units].sort((a, b) => coll.compare(a[lang], b[lang]));
  }
}

let cached: Promise<Units> | null = null;
export function loadUnits(): Promise<Units> {
  if (!cached) {
    cached = fetch('/data/units.json')
      .then((r) => {
        if (!r.ok) throw new Error(`units.json: HTTP ${r.status}`);
        return r.json() as Promise<Unit[]>;
      })
      .then((all) => new Units(all));
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}
