import { clear, h } from '../ui/dom.js';

export interface VirtualListOptions<T> {
  readonly label: string;
  /** Every row has this height (px); the CSS must agree. */
  readonly rowHeight: number;
  readonly key: (item: T) => string;
  readonly render: (item: T) => HTMLElement;
  /** The user chose a row (click, Enter, or moved onto it with the arrow keys). */
  readonly onChoose: (item: T) => void;
  readonly empty: () => string;
}

const OVERSCAN = 8;

/**
 * A list that renders only the rows in view (fixed row height): 50,000 contacts cost as much
 * DOM as 20. It is a WAI-ARIA listbox: focusable, arrow keys, Home/End, Page Up/Down move the
 * selection (selection follows focus), `aria-activedescendant` names the selected row and each
 * row carries `aria-setsize`/`aria-posinset`, since most rows are not in the DOM.
 */
export class VirtualList<T> {
  readonly el: HTMLElement;
  private readonly inner = h('div.vlist-inner');
  private readonly rows = h('div.vlist-rows');
  private items: readonly T[] = [];
  private selectedKey: string | null = null;
  private painted = { from: -1, to: -1, items: this.items as readonly T[] | null, selected: null as string | null };

  constructor(private readonly o: VirtualListOptions<T>) {
    this.el = h('div.vlist', { role: 'listbox', tabindex: 0, 'aria-label': o.label });
    this.inner.append(this.rows);
    this.el.append(this.inner);
    this.el.addEventListener('scroll', () => this.paint());
    this.el.addEventListener('keydown', (e) => this.key(e));
    new ResizeObserver(() => this.paint(true)).observe(this.el);
  }

  get length(): number {
    return this.items.length;
  }

  set(items: readonly T[], selectedKey: string | null): void {
    this.items = items;
    this.selectedKey = selectedKey;
    this.inner.style.height = `${Math.max(1, items.length) * this.o.rowHeight}px`;
    this.paint(true);
  }

  select(key: string | null, scroll = false): void {
    this.selectedKey = key;
    if (scroll && key !== null) {
      const i = this.items.findIndex((x) => this.o.key(x) === key);
      if (i >= 0) this.scrollTo(i);
    }
    this.paint(true);
  }

  private scrollTo(i: number): void {
    const top = i * this.o.rowHeight;
    if (top < this.el.scrollTop) this.el.scrollTop = top;
    else if (top + this.o.rowHeight > this.el.scrollTop + this.el.clientHeight)
      this.el.scrollTop = top + this.o.rowHeight - this.el.clientHeight;
  }

  private key(e: KeyboardEvent): void {
    if (this.items.length === 0) return;
    const page = Math.max(1, Math.floor(this.el.clientHeight / this.o.rowHeight) - 1);
    const at = this.items.findIndex((x) => this.o.key(x) === this.selectedKey);
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      Home: 0,
      End: this.items.length - 1,
      PageDown: at + page,
      PageUp: at - page,
    };
    let to: number | undefined = moves[e.key];
    if (e.key === 'Enter' || e.key === ' ') to = Math.max(0, at);
    if (to === undefined) return;
    e.preventDefault();
    const item = this.items[Math.min(this.items.length - 1, Math.max(0, to))] as T;
    this.select(this.o.key(item), true);
    this.o.onChoose(item);
  }

  /** Render the rows in view (plus a few either side); nothing when that set did not change. */
  private paint(force = false): void {
    const n = this.items.length;
    const height = this.el.clientHeight || this.o.rowHeight * 20;
    const from = Math.max(0, Math.floor(this.el.scrollTop / this.o.rowHeight) - OVERSCAN);
    const to = Math.min(n, Math.ceil((this.el.scrollTop + height) / this.o.rowHeight) + OVERSCAN);
    const p = this.painted;
    if (!force && p.from === from && p.to === to && p.items === this.items && p.selected === this.selectedKey) return;
    this.painted = { from, to, items: this.items, selected: this.selectedKey };
    clear(this.rows);
    this.rows.style.transform = `translateY(${from * this.o.rowHeight}px)`;
    this.el.removeAttribute('aria-activedescendant');
    if (n === 0) {
      this.rows.append(
        h('div.vlist-empty', { role: 'option', 'aria-disabled': 'true', 'aria-selected': 'false' }, this.o.empty()),
      );
      return;
    }
    for (let i = from; i < to; i++) {
      const item = this.items[i] as T;
      const selected = this.o.key(item) === this.selectedKey;
      const row = this.o.render(item);
      row.id = `vlist-${i}`;
      row.setAttribute('role', 'option');
      row.setAttribute('aria-selected', String(selected));
      row.setAttribute('aria-setsize', String(n));
      row.setAttribute('aria-posinset', String(i + 1));
      row.style.height = `${this.o.rowHeight}px`;
      row.classList.toggle('selected', selected);
      row.addEventListener('click', () => {
        this.select(this.o.key(item));
        this.o.onChoose(item);
      });
      if (selected) this.el.setAttribute('aria-activedescendant', row.id);
      this.rows.append(row);
    }
  }
}
