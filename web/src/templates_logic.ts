// The logic of the SMS template page (pages/templates.ts): the JSON of the
// API (GET /api/v1/sms/templates[/{id}], PUT .../texts/{lang}, POST
// .../texts/{lang}/reset), the page's routes, the list's filter, the live
// check of an edited text (the server's rule, src/channel/templates.cpp
// SplitText and CheckUses; the server still decides), the text with sample
// values, inserting a {parameter} at the cursor, and the history's rows.
import type { TemplateParameterJson, TemplatePreviewJson } from './broadcasts_logic';

export type TemplateLang = 'mn' | 'en';
export const TEMPLATE_LANGS: readonly TemplateLang[] = ['mn', 'en'];

export interface TemplateItemJson {
  id: string;
  description: string;
  parameters: TemplateParameterJson[];
  text: Record<TemplateLang, string>;
  edited: Record<TemplateLang, boolean>;
}

export interface TemplateEditJson {
  id: number;
  language: TemplateLang;
  text: string | null;
  reset: boolean;
  edited_by: string;
  edited_at: string; // ISO 8601 UTC.
  note: string;
}

export interface TemplateDetailJson {
  id: string;
  description: string;
  texts: Record<TemplateLang, { text: string; edited: boolean }>;
  parameters: TemplateParameterJson[];
  shipped: Record<TemplateLang, string>;
  history: TemplateEditJson[];
}

// What PUT .../texts/{lang} answers: the kept text with the samples and
// with the longest values, priced.
export type TextPreviewJson = Pick<TemplatePreviewJson, 'text' | 'segments' | 'characters' | 'coding' | 'cost' | 'max_segments' | 'fits'>;
export interface EditResultJson {
  sample: TextPreviewJson;
  longest: TextPreviewJson;
}

export const TEMPLATES_PATH = '/api/v1/sms/templates';

export function templateUrl(id: string): string {
  return `${TEMPLATES_PATH}/${encodeURIComponent(id)}`;
}

export function textUrl(id: string, lang: TemplateLang): string {
  return `${templateUrl(id)}/texts/${lang}`;
}

export function resetUrl(id: string, lang: TemplateLang): string {
  return `${textUrl(id, lang)}/reset`;
}

// POST {text}: what an unsaved draft would send, priced (EditResultJson;
// longest.fits false when too long); nothing is kept.
export function checkUrl(id: string, lang: TemplateLang): string {
  return `${textUrl(id, lang)}/check`;
}

// The page's routes: #/templates (the list), #/templates/ID (one template).
export type TemplateRoute = { view: 'list' } | { view: 'one'; id: string };

const TEMPLATE_ID = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

export function parseRoute(arg: string): TemplateRoute {
  return TEMPLATE_ID.test(arg) ? { view: 'one', id: arg } : { view: 'list' };
}

export function routeHash(r: TemplateRoute): string {
  return r.view === 'one' ? `#/templates/${r.id}` : '#/templates';
}

// The templates whose id, description or text (either language) holds
// every word of `query` (case-insensitive); all when it is blank.
export function filterTemplates(items: readonly TemplateItemJson[], query: string): TemplateItemJson[] {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [...items];
  return items.filter((t) => {
    const hay = [t.id, t.description, t.text.mn, t.text.en].join('\n').toLocaleLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

// One thing wrong with an edited text. `at`: the character (from 1) of a
// brace; `name`: the parameter.
export type TextProblem =
  | { kind: 'empty' }
  | { kind: 'control' }
  | { kind: 'badUnicode' }
  | { kind: 'loneClose'; at: number }
  | { kind: 'badOpen'; at: number }
  | { kind: 'unknown'; name: string }
  | { kind: 'missing'; name: string };

const PARAMETER_NAME = /^[a-z0-9_]+$/;
// A surrogate without its pair cannot be UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// The text's pieces: literals ({{ and }} stand for one brace) and
// {parameter}s, and the brace problems met (the server stops at the first;
// this goes on, so the officer sees them all).
export function splitText(text: string): { pieces: { parameter: boolean; text: string }[]; problems: TextProblem[] } {
  const pieces: { parameter: boolean; text: string }[] = [];
  const problems: TextProblem[] = [];
  let literal = '';
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if ((c === '{' || c === '}') && chars[i + 1] === c) {
      literal += c;
      i++;
      continue;
    }
    if (c === '}') {
      problems.push({ kind: 'loneClose', at: i + 1 });
      literal += c;
      continue;
    }
    if (c !== '{') {
      literal += c;
      continue;
    }
    const close = chars.indexOf('}', i);
    const name = close < 0 ? '' : chars.slice(i + 1, close).join('');
    if (!PARAMETER_NAME.test(name)) {
      problems.push({ kind: 'badOpen', at: i + 1 });
      literal += c;
      continue;
    }
    if (literal) pieces.push({ parameter: false, text: literal });
    literal = '';
    pieces.push({ parameter: true, text: name });
    i = close;
  }
  if (literal) pieces.push({ parameter: false, text: literal });
  return { pieces, problems };
}

// What is wrong with `text` as a template's text with `parameters` (none:
// the server should accept it unless it is too long with the longest
// values, which only the server prices). The server's rule: not empty, no
// control character but a line break, braces doubled, every parameter
// used and no other.
export function checkText(text: string, parameters: readonly TemplateParameterJson[]): TextProblem[] {
  if (text === '') return [{ kind: 'empty' }];
  const problems: TextProblem[] = [];
  if (LONE_SURROGATE.test(text)) problems.push({ kind: 'badUnicode' });
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) problems.push({ kind: 'control' });
  const { pieces, problems: braces } = splitText(text);
  problems.push(...braces);
  const declared = new Set(parameters.map((p) => p.name));
  const used = new Set(pieces.filter((p) => p.parameter).map((p) => p.text));
  for (const u of [...used].sort()) if (!declared.has(u)) problems.push({ kind: 'unknown', name: u });
  for (const d of [...declared].sort()) if (!used.has(d)) problems.push({ kind: 'missing', name: d });
  return problems;
}

// The text as a herder would read it with the parameters' samples (a
// parameter without a sample stays {name}).
export function withSamples(text: string, parameters: readonly TemplateParameterJson[]): string {
  const samples = new Map(parameters.map((p) => [p.name, p.sample]));
  return splitText(text)
    .pieces.map((p) => (p.parameter ? (samples.get(p.text) ?? `{${p.text}}`) : p.text))
    .join('');
}

// The preview request's values: every parameter's sample.
export function sampleValues(parameters: readonly TemplateParameterJson[]): Record<string, string> {
  return Object.fromEntries(parameters.map((p) => [p.name, p.sample]));
}

// `value` with `insert` in place of the selection [start, end); the
// cursor after it.
export function insertAt(value: string, start: number, end: number, insert: string): { value: string; cursor: number } {
  const s = Math.max(0, Math.min(start, value.length));
  const e = Math.max(s, Math.min(end, value.length));
  return { value: value.slice(0, s) + insert + value.slice(e), cursor: s + insert.length };
}

// The history newest first (the server sends it so; ties by id).
export function historyRows(history: readonly TemplateEditJson[]): TemplateEditJson[] {
  return [...history].sort((a, b) => b.edited_at.localeCompare(a.edited_at) || b.id - a.id);
}

// The server's message without its "the edited text: template 'x'
// text.mn: " prefix, which the page already shows.
export function refusalText(detail: string): string {
  const m = /text\.(?:mn|en): (.*)$/s.exec(detail);
  return m ? m[1] : detail;
}
