import { parseCalendar } from '../../../src/formats/ical/edit-time.js';
import {
  createTask,
  editTask,
  emptyTask,
  readTask,
  type TaskForm,
  type TaskSummary,
} from '../../../src/formats/ical/task-form.js';
import { formatDate, formatDateTime, t as tr } from '../i18n/index.js';
import { AppState, type Collection } from '../state.js';
import { modal, showError } from '../ui/dialog.js';
import { clear, field, h } from '../ui/dom.js';
import { pendingMark } from '../ui/pending-mark.js';
import { installShortcuts } from './shortcuts.js';
import { OPEN_TASK } from './calendar-tasks.js';
import './tasks.css';

interface Row {
  col: Collection;
  href: string;
  etag: string;
  task: TaskSummary;
  pending: boolean;
}

const PRIORITY = (): [number, string][] => [
  [0, tr('tasks.prioNone')],
  [1, tr('tasks.prioHigh')],
  [5, tr('tasks.prioMedium')],
  [9, tr('tasks.prioLow')],
];
/** Deepest nesting shown; a RELATED-TO loop or a deeper chain shows the rest flat. */
const MAX_DEPTH = 8;

/** The class name of a priority (RFC 5545 §3.8.1.9: 1-4 high, 5 medium, 6-9 low). */
function priorityClass(p: number): string {
  if (p === 0) return '';
  return p <= 4 ? 'high' : p === 5 ? 'medium' : 'low';
}

function priorityLabel(p: number): string {
  const c = priorityClass(p);
  return c === 'high'
    ? tr('tasks.prioHigh')
    : c === 'medium'
      ? tr('tasks.prioMedium')
      : c === 'low'
        ? tr('tasks.prioLow')
        : '';
}

function when(value: string, at: Date | null): string {
  if (!value || !at) return value;
  return value.includes('T') ? formatDateTime(at) : formatDate(at);
}

const byOrder = (a: Row, b: Row): number =>
  Number(a.task.completed) - Number(b.task.completed) ||
  (a.task.dueAt?.getTime() ?? Infinity) - (b.task.dueAt?.getTime() ?? Infinity) ||
  (a.task.priority || 10) - (b.task.priority || 10) ||
  a.task.title.localeCompare(b.task.title);

/**
 * Tasks (VTODO, RFC 5545 §3.6.2) from every task-capable calendar, as Nextcloud Tasks shows
 * them: subtasks (RELATED-TO;RELTYPE=PARENT) nested under their parent with "Add subtask",
 * start and due dates, priority, progress, and categories to filter by.
 */
export class TasksView {
  readonly el = h('div.tasks-view');
  private showDone = false;
  private category = '';
  private readonly list = h('ul.task-list.task-tree', { 'aria-label': tr('tasks.title') });
  private readonly listSelect = h('select', { 'aria-label': tr('tasks.list'), name: 'list' });
  private readonly categorySelect = h('select', { 'aria-label': tr('tasks.category'), name: 'category' });
  /** Parsed tasks by collection and href, kept while the ETag is unchanged. */
  private readonly cache = new Map<string, { etag: string; task: TaskSummary | null }>();

  constructor(private readonly state: AppState) {
    const quick = h('input', {
      type: 'text',
      name: 'new-task',
      placeholder: tr('tasks.quickAdd'),
      'aria-label': tr('tasks.new'),
      autocomplete: 'off',
    });
    const addForm = h(
      'form.quick-add',
      {},
      quick,
      this.listSelect,
      h('button.primary', { type: 'submit' }, tr('common.add')),
    );
    // The calendar's keys where they mean the same here: n for a new task, / for search; ? lists them.
    installShortcuts(
      [
        { keys: ['n'], label: tr('tasks.new'), run: () => quick.focus() },
        {
          keys: ['/'],
          label: tr('shortcuts.search'),
          run: () => document.querySelector<HTMLInputElement>('[role=search] input, input[type=search]')?.focus(),
        },
      ],
      () => this.el.isConnected,
    );
    addForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const title = quick.value.trim();
      if (!title) return;
      quick.value = '';
      const col = this.targetList();
      if (!col) return void showError(new Error(tr('tasks.noCalendar')));
      void this.create(col, emptyTask({ title, categories: this.category ? [this.category] : [] }));
    });
    const done = h('input', { type: 'checkbox', checked: this.showDone });
    done.addEventListener('change', () => {
      this.showDone = done.checked;
      this.render();
    });
    this.categorySelect.addEventListener('change', () => {
      this.category = this.categorySelect.value;
      this.render();
    });
    this.el.append(
      h(
        'header.view-header',
        {},
        h('h2', {}, tr('tasks.title')),
        h('div.tasks-filter', {}, this.categorySelect, h('label.check', {}, done, ` ${tr('tasks.showCompleted')}`)),
      ),
      addForm,
      this.list,
    );
    state.on((c) => {
      if (c.kind === 'collections' || (c.kind === 'objects' && c.collection.dav.kind === 'calendar')) this.render();
    });
    window.addEventListener(OPEN_TASK, (e) => {
      const { colKey, href } = (e as CustomEvent<{ colKey: string; href: string }>).detail;
      void this.reveal(colKey, href);
    });
    this.render();
  }

  private rows(): Row[] {
    const rows: Row[] = [];
    for (const col of this.state.taskLists()) {
      if (!col.visible) continue;
      for (const o of col.objects.values()) {
        if (!o.data.includes('VTODO')) continue;
        const key = `${col.key}|${o.href}`;
        let hit = this.cache.get(key);
        if (!hit || hit.etag !== o.etag) {
          let task: TaskSummary | null = null;
          try {
            task = readTask(parseCalendar(o.data));
          } catch {
            // unreadable: skipped
          }
          this.cache.set(key, (hit = { etag: o.etag, task }));
        }
        if (hit.task) rows.push({ col, href: o.href, etag: o.etag, task: hit.task, pending: o.pending === true });
      }
    }
    return rows.sort(byOrder);
  }

  private targetList(preferred?: Collection): Collection | undefined {
    const writable = this.state.taskLists().filter((c) => !c.dav.readOnly);
    return preferred && !preferred.dav.readOnly
      ? preferred
      : (writable.find((c) => c.key === this.listSelect.value) ?? writable[0]);
  }

  render(): void {
    const lists = this.state.taskLists().filter((c) => !c.dav.readOnly);
    const selected = this.listSelect.value;
    clear(this.listSelect);
    for (const c of lists) this.listSelect.append(h('option', { value: c.key }, c.dav.displayName));
    if (selected) this.listSelect.value = selected;
    const all = this.rows();
    const categories = [...new Set(all.flatMap((r) => r.task.categories))].sort((a, b) => a.localeCompare(b));
    clear(this.categorySelect);
    this.categorySelect.append(
      h('option', { value: '' }, tr('tasks.allCategories')),
      ...categories.map((c) => h('option', { value: c }, c)),
    );
    if (this.category && !categories.includes(this.category)) this.category = '';
    this.categorySelect.value = this.category;
    clear(this.list);
    const shown = all.filter(
      (r) => (this.showDone || !r.task.completed) && (!this.category || r.task.categories.includes(this.category)),
    );
    if (shown.length === 0)
      this.list.append(
        h('li.empty', {}, this.category ? tr('tasks.noneOpenIn', { category: this.category }) : tr('tasks.noneOpen')),
      );
    // A task whose parent is not shown (another list, filtered out, or absent) is a top-level one.
    const ids = new Set(shown.map((r) => `${r.col.key}|${r.task.uid}`));
    const children = new Map<string, Row[]>();
    const top: Row[] = [];
    for (const r of shown) {
      const parentKey = `${r.col.key}|${r.task.parent}`;
      if (r.task.parent && r.task.parent !== r.task.uid && ids.has(parentKey)) {
        const list = children.get(parentKey) ?? [];
        list.push(r);
        children.set(parentKey, list);
      } else top.push(r);
    }
    const placed = new Set<Row>();
    const place = (r: Row, depth: number): void => {
      if (placed.has(r)) return;
      placed.add(r);
      this.list.append(this.rowElement(r, depth));
      for (const c of children.get(`${r.col.key}|${r.task.uid}`) ?? []) place(c, Math.min(depth + 1, MAX_DEPTH));
    };
    for (const r of top) place(r, 0);
    for (const r of shown) place(r, 0); // members of a RELATED-TO loop
  }

  private rowElement(r: Row, depth: number): HTMLLIElement {
    const t = r.task;
    const check = h('input', {
      type: 'checkbox',
      checked: t.completed,
      'aria-label': tr('tasks.complete', { title: t.title }),
    });
    check.addEventListener('change', () => void this.toggle(r, check.checked));
    const overdue = !t.completed && t.dueAt && t.dueAt.getTime() < Date.now();
    const li = h(
      'li',
      {
        class: `task${t.completed ? ' done' : ''}${depth > 0 ? ' sub' : ''}${r.pending ? ' pending' : ''}`,
        style: depth > 0 ? `--depth:${depth}` : '',
        'data-testid': 'task',
        'data-href': r.href,
        'data-col': r.col.key,
        'data-depth': String(depth),
      },
      h('span.swatch', { style: `background:${r.col.color}` }),
      check,
      h(
        'button.task-title.link',
        { type: 'button', onclick: () => void this.edit(r) },
        t.title || tr('tasks.untitled'),
      ),
      r.pending ? pendingMark() : null,
      t.priority ? h('span', { class: `badge prio-${priorityClass(t.priority)}` }, priorityLabel(t.priority)) : null,
      ...t.categories.map((c) => h('span.chip', { 'data-testid': 'category' }, c)),
      t.percent > 0 && !t.completed
        ? h('progress', { max: 100, value: t.percent, 'aria-label': tr('tasks.percentDone', { percent: t.percent }) })
        : null,
      t.start ? h('span.dates', {}, tr('tasks.startsAt', { when: when(t.start, t.startAt) })) : null,
      t.due
        ? h('span', { class: `due${overdue ? ' overdue' : ''}` }, tr('tasks.dueAt', { when: when(t.due, t.dueAt) }))
        : null,
      h('span.list-name', {}, r.col.dav.displayName),
      r.col.dav.readOnly
        ? null
        : h(
            'button.link.subtask-add',
            {
              type: 'button',
              'aria-label': tr('tasks.addSubtask'),
              title: tr('tasks.addSubtaskTo', { title: t.title }),
              onclick: () => void this.edit(null, r),
            },
            tr('tasks.subtaskButton'),
          ),
    );
    return li;
  }

  /** Show a task (from the calendar or search): its row in view and its editor open. */
  private async reveal(colKey: string, href: string): Promise<void> {
    if (location.hash !== '#tasks') location.hash = '#tasks';
    const col = this.state.collections.find((c) => c.key === colKey);
    const row = this.rows().find((r) => r.col.key === colKey && r.href === href);
    if (!col || !row) return;
    if (row.task.completed && !this.showDone) {
      this.showDone = true;
      const box = this.el.querySelector<HTMLInputElement>('.tasks-filter input[type=checkbox]');
      if (box) box.checked = true;
    }
    if (this.category && !row.task.categories.includes(this.category)) this.category = '';
    this.render();
    const li = [...this.list.querySelectorAll<HTMLElement>('li.task')].find(
      (e) => e.dataset.href === href && e.dataset.col === colKey,
    );
    li?.scrollIntoView({ block: 'center' });
    li?.classList.add('flash');
    setTimeout(() => li?.classList.remove('flash'), 2000);
    await this.edit(row);
  }

  private async create(col: Collection, f: TaskForm): Promise<void> {
    try {
      const { uid, data } = createTask(f);
      await this.state.save(col, AppState.memberHref(col, uid, '.ics'), data, null, 'text/calendar; charset=utf-8');
    } catch (err) {
      await showError(err);
    }
  }

  /**
   * The Complete box: applied to the task as it is once any write to it has settled, so a click
   * right after a save completes the saved task (two writes in a row) rather than the version
   * the save replaces, which would be a false 412 or undo the edit (RFC 9110 §13.1.1).
   */
  private async toggle(r: Row, completed: boolean): Promise<void> {
    await this.state.afterWrites(r.col, r.href);
    const now = this.rows().find((x) => x.col === r.col && x.href === r.href) ?? r;
    await this.update(now, { ...now.task, completed, percent: completed ? 100 : 0 });
  }

  private async update(r: Row, f: TaskForm): Promise<void> {
    const obj = r.col.objects.get(r.href);
    if (!obj) return;
    try {
      // If-Match of the version shown (r.etag), not of one a live update brought in meanwhile: a
      // change made elsewhere is then a 412 with a reload, not silently overwritten.
      await this.state.save(
        r.col,
        r.href,
        editTask(obj.data, f),
        r.etag || obj.etag || null,
        'text/calendar; charset=utf-8',
      );
    } catch (err) {
      await showError(err, () => this.state.sync(r.col));
      this.render();
    }
  }

  /** The task editor: for `r`, or (r null) for a new subtask of `parentOf`. */
  private async edit(r: Row | null, parentOf?: Row): Promise<void> {
    const t: TaskForm = r
      ? r.task
      : emptyTask({ parent: parentOf?.task.uid ?? '', categories: parentOf?.task.categories ?? [] });
    const timed = t.due.includes('T') || t.start.includes('T');
    const title = h('input', { type: 'text', name: 'title', value: t.title, required: true });
    const description = h('textarea', { name: 'description', rows: 3 }, t.description);
    const hasTime = h('input', { type: 'checkbox', checked: timed, name: 'with-time' });
    const start = h('input', { type: timed ? 'datetime-local' : 'date', name: 'start', value: t.start });
    const due = h('input', { type: timed ? 'datetime-local' : 'date', name: 'due', value: t.due });
    hasTime.addEventListener('change', () => {
      for (const input of [start, due]) {
        const v = input.value;
        input.type = hasTime.checked ? 'datetime-local' : 'date';
        input.value = v ? (hasTime.checked ? `${v.slice(0, 10)}T09:00` : v.slice(0, 10)) : '';
      }
    });
    const priority = h('select', { name: 'priority' }, ...PRIORITY().map(([v, l]) => h('option', { value: v }, l)));
    priority.value = String(t.priority === 0 ? 0 : t.priority <= 4 ? 1 : t.priority === 5 ? 5 : 9);
    const percent = h('input', { type: 'range', min: 0, max: 100, step: 10, value: t.percent, name: 'percent' });
    const percentOut = h('output', {}, `${t.percent}%`);
    percent.addEventListener('input', () => {
      percentOut.textContent = `${percent.value}%`;
    });
    const completed = h('input', { type: 'checkbox', checked: t.completed, name: 'completed' });
    const known = [...new Set(this.rows().flatMap((x) => x.task.categories))];
    const categories = h('input', {
      type: 'text',
      name: 'categories',
      value: t.categories.join(', '),
      list: 'task-categories',
      placeholder: tr('tasks.categoriesHint'),
      autocomplete: 'off',
    });
    const body = h(
      'div.editor',
      {},
      field(tr('common.title'), title),
      field(tr('common.description'), description),
      h('div.grid2', {}, field(tr('tasks.start'), start), field(tr('tasks.due'), due)),
      h('label.check', {}, hasTime, ` ${tr('tasks.withTime')}`),
      h(
        'div.grid2',
        {},
        field(tr('tasks.priority'), priority),
        field(tr('tasks.progress'), h('div.row', {}, percent, percentOut)),
      ),
      field(tr('tasks.categories'), categories),
      h('datalist#task-categories', {}, ...known.map((c) => h('option', { value: c }))),
      h('label.check', {}, completed, ` ${tr('tasks.completed')}`),
    );
    const heading = r ? tr('tasks.edit') : tr('tasks.newSubtask', { title: parentOf?.task.title ?? '' });
    const cancel = { label: tr('dialog.cancel'), value: 'cancel' };
    const save = { label: tr('common.save'), value: 'save', kind: 'primary' };
    const buttons = r
      ? [cancel, { label: tr('common.delete'), value: 'delete', kind: 'danger' }, save]
      : [cancel, save];
    const { result } = modal(heading, body, buttons);
    const action = await result;
    const form: TaskForm = {
      ...t,
      title: title.value,
      description: description.value,
      start: start.value,
      due: due.value,
      priority: Number(priority.value),
      completed: completed.checked,
      percent: Number(percent.value),
      categories: categories.value
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    };
    try {
      if (action === 'save' && r) await this.update(r, form);
      else if (action === 'save' && parentOf) {
        const col = this.targetList(parentOf.col);
        if (col) await this.create(col, form);
      } else if (action === 'delete' && r) {
        await this.state.remove(r.col, r.href, r.col.objects.get(r.href)?.etag ?? null);
      }
    } catch (err) {
      if (r) await showError(err, () => this.state.sync(r.col));
      else await showError(err);
    }
  }
}
