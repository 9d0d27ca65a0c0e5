// Where keyboard focus goes when the screen changes (issue #16): after
// login and after each navigation to the page's h1, after a search to the
// count of results, into a confirmation when it opens and back to its
// button when it closes. Focus is only ever MOVED when it is lost (on
// <body>, on <main> or on an element that left the page): a page or a
// person that placed it somewhere keeps it there. A refused form shows an
// error summary that takes focus.
import { h } from './dom';

// Whether focus is lost, so that the shell may move it (pure, for tests).
export function focusLost(active: { isConnected: boolean } | null, body: unknown, main: unknown): boolean {
  return active === null || active === body || active === main || !active.isConnected;
}

function lost(main: HTMLElement): boolean {
  return focusLost(document.activeElement, document.body, main);
}

// Focuses `el` without a visible outline jump: a heading or a count is made
// focusable by script only (tabindex -1, no outline, see style.css).
export function focusQuietly(el: HTMLElement): void {
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.classList.add('focus-target');
  el.focus();
}

// Moves focus to main's first h1 as soon as there is one (pages that load
// their heading later are watched), unless focus was placed meanwhile.
// Returns the function that stops watching (called by the next render).
export function focusHeadingWhenShown(main: HTMLElement): () => void {
  const attempt = (): boolean => {
    if (!lost(main)) return true;
    const h1 = main.querySelector('h1');
    if (!h1) return false;
    focusQuietly(h1);
    return true;
  };
  if (attempt()) return () => {};
  const watch = new MutationObserver(() => {
    if (attempt()) watch.disconnect();
  });
  watch.observe(main, { childList: true, subtree: true });
  return () => watch.disconnect();
}

// Focuses `el` if focus is lost or still on `holder` (e.g. the results
// area that held focus while they loaded).
export function focusIfStillWaiting(el: HTMLElement, main: HTMLElement, holder: HTMLElement): void {
  if (lost(main) || document.activeElement === holder) focusQuietly(el);
}

let dialogCount = 0;

// Makes `box` (shown in place, hidden until opened) an alert dialog named
// by `question`: open() shows it and moves focus into it, close() hides it
// and gives focus back to `opener`; Escape inside closes it.
export function inlineDialog(box: HTMLElement, question: HTMLElement, opener: HTMLElement): { open: () => void; close: () => void } {
  dialogCount += 1;
  if (!question.id) question.id = `dialog-q-${dialogCount}`;
  box.setAttribute('role', 'alertdialog');
  box.setAttribute('aria-labelledby', question.id);
  box.setAttribute('tabindex', '-1');
  box.hidden = true;
  const open = () => {
    box.hidden = false;
    box.focus();
  };
  const close = () => {
    box.hidden = true;
    if (opener.isConnected) opener.focus();
  };
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  });
  opener.setAttribute('aria-haspopup', 'dialog');
  return { open, close };
}

export interface SummaryItem {
  id: string; // the control's id
  label: string;
  message: string;
}

// An error summary for a form that was refused: a titled alert listing each
// problem as a link to its control. The caller shows it and focuses it
// (it has tabindex -1), so a screen reader reads every problem at once.
export function errorSummary(title: string, items: SummaryItem[]): HTMLElement {
  dialogCount += 1;
  const heading = h('h2', { id: `error-summary-${dialogCount}` }, title);
  const links = items.map((i) =>
    h('li', null, h('a', { href: `#${i.id}`, onclick: (e: Event) => { e.preventDefault(); document.getElementById(i.id)?.focus(); } }, `${i.label}: ${i.message}`)),
  );
  return h('div', { class: 'alert error error-summary', role: 'alert', tabindex: '-1', 'aria-labelledby': heading.id, 'data-testid': 'error-summary' }, heading, h('ul', null, links));
}
