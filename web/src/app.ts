// The application shell: language, session, navigation and the hash router
// (#/dashboard, #/registry, #/household/ID, ...). Pages are functions that
// fill a container and may return a cleanup function.
import { ApiClient, ApiError } from './api';
import { h, clear, append } from './dom';
import { focusHeadingWhenShown, focusQuietly } from './focus';
import { formatDate, formatMoney, formatNumber, type Lang } from './format';
import { translate, type MessageKey } from './i18n';
import { pagesFor, can, type Page, type Permission, type Role } from './roles';
import { type Units } from './units';

export interface Session {
  username: string;
  role: Role;
  area_code: number;
  expires_at?: string;
  permissions?: string[];
}

// Why the screen is being drawn again, for where focus goes: 'search' (a
// page of search results: the page focuses its count), 'control' (a
// control that changed the view, e.g. the dashboard's measure: the page
// focuses it again), 'lang' (the language switch keeps focus); otherwise
// focus goes to the page's h1.
export type Intent = 'search' | 'control' | 'lang';

export class App {
  lang: Lang;
  session: Session | null = null;
  readonly api = new ApiClient();
  private cleanup: (() => void) | null = null;
  private stopFocus: (() => void) | null = null;
  private nextIntent: Intent | null = null;
  // The intent of the render in progress (read by pages while they render).
  intent: Intent | null = null;

  constructor(
    readonly root: HTMLElement,
    readonly units: Units,
    private readonly pages: Record<string, PageFn>,
  ) {
    const saved = localStorage.getItem('malchin.lang');
    this.lang = saved === 'en' || saved === 'mn' ? saved : 'mn';
    this.api.onUnauthenticated = () => {
      if (this.session) {
        this.session = null;
        this.flash = 'session.expired';
        this.go('login');
      }
    };
    window.addEventListener('hashchange', () => this.render());
  }

  flash: MessageKey | null = null;

  t = (key: MessageKey, params?: Record<string, string | number>): string =>
    translate(this.lang, key, params);
  num = (n: number): string => formatNumber(this.lang, n);
  money = (n: number): string => formatMoney(this.lang, n);
  date = (iso: string): string => formatDate(this.lang, iso);
  unit = (code: number): string => this.units.name(this.lang, code);
  unitFull = (code: number): string => this.units.fullName(this.lang, code);

  can(p: Permission): boolean {
    return !!this.session && can(this.session.role, p, this.session.permissions);
  }

  // The localized explanation of an error, and the server's detail.
  errorText(e: unknown): string {
    if (e instanceof ApiError) {
      if (e.code === 'UNAVAILABLE' && e.retryAfterSeconds !== null) {
        return this.t('error.UNAVAILABLE.retry', { seconds: e.retryAfterSeconds });
      }
      return this.t(`error.${e.code}` as MessageKey);
    }
    return this.t('error.INTERNAL');
  }

  // An alert box for an error: localized text, the field it concerns and
  // the server's own words (in English) for the administrator.
  errorBox(e: unknown): HTMLElement {
    const box = h('div', { class: 'alert error', role: 'alert' }, h('p', null, this.errorText(e)));
    if (e instanceof ApiError) {
      if (e.field) box.append(h('p', null, this.t('error.field', { field: this.fieldLabel(e.field) })));
      if (e.detail) box.append(h('details', null, h('summary', null, this.t('common.details')), h('p', { lang: 'en' }, e.detail)));
    } else if (e instanceof Error) {
      box.append(h('details', null, h('summary', null, this.t('common.details')), h('p', { lang: 'en' }, e.message)));
    }
    return box;
  }

  fieldLabel(field: string): string {
    const map: Record<string, MessageKey> = {
      soum_code: 'hh.soum',
      current_soum_code: 'hh.currentSoum',
      bag: 'hh.bag',
      herder: 'hh.herder',
      cooperative: 'hh.cooperative',
      phone: 'hh.phone',
      lat: 'hh.lat',
      lon: 'hh.lon',
      camels: 'species.camel',
      horses: 'species.horse',
      cattle: 'species.cattle',
      sheep: 'species.sheep',
      goats: 'species.goat',
      register_no: 'person.register_no',
      family_name: 'person.family_name',
      father_name: 'person.father_name',
      given_name: 'person.given_name',
      sex: 'person.sex',
      birth_date: 'person.birth_date',
      relation: 'person.relation',
      username: 'users.username',
      password: 'login.password',
      role: 'users.role',
      area: 'users.area',
      area_code: 'users.area',
    };
    const key = map[field.replace(/^.*\./, '')];
    return key ? this.t(key) : field;
  }

  areaName(code: number): string {
    return code === 0 ? this.t('area.nation') : this.unitFull(code);
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    localStorage.setItem('malchin.lang', lang);
    this.nextIntent = 'lang';
    this.render();
  }

  go(route: string, intent: Intent | null = null): void {
    this.nextIntent = intent;
    const target = `#/${route}`;
    if (location.hash === target) this.render();
    else location.hash = target;
  }

  route(): { page: string; arg: string } {
    const m = /^#\/([^/?]*)(?:\/(.*))?$/.exec(location.hash);
    return { page: m?.[1] ?? '', arg: m?.[2] ? decodeURIComponent(m[2]) : '' };
  }

  homePage(): Page | 'login' {
    if (!this.session) return 'login';
    return pagesFor(this.session.role, this.session.permissions)[0] ?? 'login';
  }

  render(): void {
    document.documentElement.lang = this.lang;
    document.title = this.t('app.title');
    if (this.cleanup) {
      this.cleanup();
      this.cleanup = null;
    }
    this.stopFocus?.();
    this.intent = this.nextIntent;
    this.nextIntent = null;
    let { page, arg } = this.route();
    // The complaint form is the one page open without logging in.
    if (!this.session) page = page === 'complain' ? page : 'login';
    else if (page === '' || page === 'login') page = this.homePage();
    const fn = this.pages[page];
    const allowed = this.session ? this.allowedRoutes() : ['login', 'complain'];
    clear(this.root);
    const main = h('main', { id: 'main', tabindex: '-1' });
    const header = this.header(page);
    append(this.root, [h('a', { class: 'skip', href: '#main', onclick: (e: Event) => { e.preventDefault(); main.focus(); } }, this.t('app.skip')), header, main]);
    if (this.intent === 'lang') header.querySelector<HTMLElement>('[data-testid=lang-switch]')?.focus();
    if (this.flash) {
      main.append(h('div', { class: 'alert info', role: 'status' }, this.t(this.flash)));
      this.flash = null;
    }
    if (!fn || !allowed.includes(page)) {
      const missing = h('p', { class: 'alert error', role: 'alert' }, this.t('error.pageMissing'));
      main.append(missing);
      if (this.intent !== 'lang') focusQuietly(missing);
      return;
    }
    const r = fn(this, main, arg);
    if (typeof r === 'function') this.cleanup = r;
    this.stopFocus = focusHeadingWhenShown(main);
  }

  // The routes the session may open (pages plus the household view).
  allowedRoutes(): string[] {
    if (!this.session) return ['login'];
    const pages: string[] = pagesFor(this.session.role, this.session.permissions);
    if (pages.includes('registry')) pages.push('household');
    pages.push('complain');
    return pages;
  }

  private header(current: string): HTMLElement {
    const other: Lang = this.lang === 'mn' ? 'en' : 'mn';
    // Its name starts with the visible word (in its own language), then
    // what it does for a screen reader.
    const langButton = h(
      'button',
      { type: 'button', class: 'lang', 'data-testid': 'lang-switch', onclick: () => this.setLang(other) },
      h('span', { lang: other }, this.t('lang.switch')),
      h('span', { class: 'sr-only' }, ` — ${this.t('lang.switch.label')}`),
    );
    const top = h('div', { class: 'topbar' }, h('span', { class: 'brand' }, this.t('app.title')), h('span', { class: 'subtitle' }, this.t('app.subtitle')), langButton);
    if (!this.session) return h('header', null, top);
    const s = this.session;
    const items = pagesFor(s.role, s.permissions).map((p) =>
      h(
        'li',
        null,
        h('a', { href: `#/${p}`, 'aria-current': p === current || (p === 'registry' && current === 'household') ? 'page' : null }, this.t(`nav.${p}` as MessageKey)),
      ),
    );
    const logout = h('button', { type: 'button', class: 'link', 'data-testid': 'logout', onclick: () => void this.logout() }, this.t('nav.logout'));
    return h(
      'header',
      null,
      top,
      h(
        'nav',
        { 'aria-label': this.t('nav.label') },
        h('ul', null, items),
        h('span', { class: 'who', 'data-testid': 'who' }, this.t('session.as', { user: s.username, role: this.t(`role.${s.role}` as MessageKey), area: this.areaName(s.area_code) })),
        logout,
      ),
    );
  }

  async logout(): Promise<void> {
    try {
      await this.api.request('/api/v1/session', { method: 'DELETE' });
    } catch {
      // The session is gone either way.
    }
    this.session = null;
    this.go('login');
  }
}

export type PageFn = (app: App, main: HTMLElement, arg: string) => void | (() => void);

// A loading placeholder that pages replace.
export function loading(app: App): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, app.t('common.loading'));
}

// Server-side pagination controls.
export function pager(app: App, page: number, total: number, pageSize: number, onPage: (p: number) => void): HTMLElement {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return h(
    'nav',
    { class: 'pager', 'aria-label': app.t('common.page', { page, pages }) },
    h('button', { type: 'button', disabled: page <= 1, onclick: () => onPage(page - 1) }, app.t('common.prev')),
    h('span', { 'aria-live': 'polite' }, app.t('common.page', { page: app.num(page), pages: app.num(pages) })),
    h('button', { type: 'button', disabled: page >= pages, onclick: () => onPage(page + 1) }, app.t('common.next')),
  );
}
