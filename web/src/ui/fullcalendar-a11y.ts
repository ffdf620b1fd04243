/**
 * Repairs to FullCalendar's markup that axe-core (test/web/a11y.test.ts) reports as serious:
 * - its toolbar icons are `<span role="img">` without a name inside buttons that already have
 *   one (the title/hint): the icon is decoration, so it is hidden from assistive technology
 *   (WCAG 1.1.1, axe role-img-alt);
 * - month-grid day cells are `role="gridcell"` named by the day number alone
 *   (aria-labelledby) while they show that day's events too (WCAG 2.5.3 Label in Name, axe
 *   label-content-name-mismatch): the cell keeps its content as its name.
 * FullCalendar re-creates these elements when it changes view or date, so a MutationObserver
 * repairs them as they appear (cheap: only added subtrees are looked at).
 */
const ICONS = 'span.fc-icon[role=img]';
const NAMED_CELLS = 'td[role=gridcell][aria-labelledby]';

function repair(root: Element): void {
  const fix = (el: Element): void => {
    if (el.matches(ICONS)) {
      el.removeAttribute('role');
      el.setAttribute('aria-hidden', 'true');
    } else if (el.matches(NAMED_CELLS)) {
      el.removeAttribute('aria-labelledby');
    }
  };
  fix(root);
  for (const el of root.querySelectorAll(`${ICONS}, ${NAMED_CELLS}`)) fix(el);
}

/** Keep FullCalendar's DOM under `el` free of the problems above for as long as it lives. */
export function repairFullCalendarA11y(el: HTMLElement): void {
  repair(el);
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') repair(r.target as Element);
      else for (const n of r.addedNodes) if (n instanceof Element) repair(n);
    }
  }).observe(el, { childList: true, subtree: true, attributes: true, attributeFilter: ['role', 'aria-labelledby'] });
}
