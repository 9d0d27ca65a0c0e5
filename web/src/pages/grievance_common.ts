// What the complaint pages share: the categories' names and a labelled
// checkbox.
import { type App } from '../app';
import { append, clear, h, uid, type Child } from '../dom';

export interface CategoryJson {
  code: string;
  name_mn: string;
  name_en: string;
  sensitive: boolean;
  active: boolean;
}

// The categories, once per page view.
export function categoryNames(app: App, signal: AbortSignal): Promise<Map<string, CategoryJson>> {
  return app.api
    .get<{ items: CategoryJson[] }>('/api/v1/grievances/categories', signal)
    .then((d) => new Map(d.items.map((c) => [c.code, c])));
}

export function categoryLabel(app: App, names: Map<string, CategoryJson>, code: string): string {
  const c = names.get(code);
  if (!c) return code === 'confidential' ? app.t('grv.stats.confidential') : code;
  return app.lang === 'mn' ? c.name_mn : c.name_en;
}

// A checkbox with its label.
export function check(label: string, input: HTMLInputElement): HTMLElement {
  input.id = input.id || uid('grv-check');
  return h('div', { class: 'field check' }, input, h('label', { for: input.id }, label));
}


// Replaces the children of `el` (nulls and nested lists allowed).
export function fill(el: Element, ...children: Child[]): void {
  clear(el);
  append(el, children);
}
