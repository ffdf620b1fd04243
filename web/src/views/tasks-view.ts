import { parseCalendar } from '../../../src/formats/ical/edit-time.js';
import { createTask, editTask, emptyTask, readTask, type TaskForm, type TaskSummary } from '../../../src/formats/ical/task-form.js';
import { AppState, type Collection } from '../state.js';
import { modal, showError } from '../ui/dialog.js';
import { clear, field, h } from '../ui/dom.js';

interface Row { col: Collection; href: string; etag: string; task: TaskSummary }

const PRIORITY: [number, string][] = [[0, 'None'], [1, 'High'], [5, 'Medium'], [9, 'Low']];

function priorityLabel(p: number): string {
  if (p === 0) return '';
  return p <= 4 ? 'High' : p === 5 ? 'Medium' : 'Low';
}

/** Tasks (VTODO, RFC 5545 §3.6.2) from every task-capable calendar. */
export class TasksView {
  readonly el = h('div.tasks-view');
  private showDone = false;
  private readonly list = h('ul.task-list', { 'aria-label': 'Tasks' });
  private readonly listSelect = h('select', { 'aria-label': 'List', name: 'list' });

  constructor(private readonly state: AppState) {
    const quick = h('input', { type: 'text', name: 'new-task', placeholder: 'Add a task and press Enter', 'aria-label': 'New task', autocomplete: 'off' });
    const addForm = h('form.quick-add', {}, quick, this.listSelect, h('button.primary', { type: 'submit' }, 'Add'));
    addForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const title = quick.value.trim();
      if (!title) return;
      quick.value = '';
      void this.create(emptyTask({ title }));
    });
    const done = h('input', { type: 'checkbox', checked: this.showDone });
    done.addEventListener('change', () => {
      this.showDone = done.checked;
      this.render();
    });
    this.el.append(h('header.view-header', {}, h('h2', {}, 'Tasks'), h('label.check', {}, done, ' Show completed')), addForm, this.list);
    state.on((c) => {
      if (c.kind === 'collections' || c.collection.dav.kind === 'calendar') this.render();
    });
    this.render();
  }

  private rows(): Row[] {
    const rows: Row[] = [];
    for (const col of this.state.taskLists()) {
      if (!col.visible) continue;
      for (const o of col.objects.values()) {
        if (!o.data.includes('VTODO')) continue;
        try {
          const task = readTask(parseCalendar(o.data));
          if (task) rows.push({ col, href: o.href, etag: o.etag, task });
        } catch {
          // unreadable: skipped
        }
      }
    }
    return rows.sort((a, b) => Number(a.task.completed) - Number(b.task.completed)
      || (a.task.dueAt?.getTime() ?? Infinity) - (b.task.dueAt?.getTime() ?? Infinity)
      || (a.task.priority || 10) - (b.task.priority || 10)
      || a.task.title.localeCompare(b.task.title));
  }

  render(): void {
    const lists = this.state.taskLists().filter((c) => !c.dav.readOnly);
    const selected = this.listSelect.value;
    clear(this.listSelect);
    for (const c of lists) this.listSelect.append(h('option', { value: c.key }, c.dav.displayName));
    if (selected) this.listSelect.value = selected;
    clear(this.list);
    const rows = this.rows().filter((r) => this.showDone || !r.task.completed);
    if (rows.length === 0) this.list.append(h('li.empty', {}, 'No open tasks.'));
    const now = Date.now();
    for (const r of rows) {
      const t = r.task;
      const check = h('input', { type: 'checkbox', checked: t.completed, 'aria-label': `Complete ${t.title}` });
      check.addEventListener('change', () => void this.update(r, { ...t, completed: check.checked, percent: check.checked ? 100 : 0 }));
      const overdue = !t.completed && t.dueAt && t.dueAt.getTime() < now;
      this.list.append(h('li', { class: `task${t.completed ? ' done' : ''}`, 'data-testid': 'task' },
        h('span.swatch', { style: `background:${r.col.color}` }),
        check,
        h('button.task-title.link', { type: 'button', onclick: () => void this.edit(r) }, t.title || '(untitled)'),
        t.priority ? h('span', { class: `badge prio-${priorityLabel(t.priority).toLowerCase()}` }, priorityLabel(t.priority)) : null,
        t.percent > 0 && !t.completed ? h('progress', { max: 100, value: t.percent, 'aria-label': `${t.percent}% done` }) : null,
        t.due ? h('span', { class: `due${overdue ? ' overdue' : ''}` }, t.dueAt ? t.dueAt.toLocaleString(undefined, t.due.includes('T') ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' }) : t.due) : null,
        h('span.list-name', {}, r.col.dav.displayName)));
    }
  }

  private async create(f: TaskForm): Promise<void> {
    const col = this.state.taskLists().find((c) => c.key === this.listSelect.value) ?? this.state.taskLists().find((c) => !c.dav.readOnly);
    if (!col) return showError(new Error('There is no calendar that holds tasks. Create one first.'));
    try {
      const { uid, data } = createTask(f);
      await this.state.save(col, AppState.memberHref(col, uid, '.ics'), data, null, 'text/calendar; charset=utf-8');
    } catch (err) {
      await showError(err);
    }
  }

  private async update(r: Row, f: TaskForm): Promise<void> {
    const obj = r.col.objects.get(r.href);
    if (!obj) return;
    try {
      // If-Match of the version shown (r.etag), not of one a live update brought in meanwhile: a
      // change made elsewhere is then a 412 with a reload, not silently overwritten.
      await this.state.save(r.col, r.href, editTask(obj.data, f), r.etag || obj.etag || null, 'text/calendar; charset=utf-8');
    } catch (err) {
      await showError(err, () => this.state.sync(r.col));
      this.render();
    }
  }

  private async edit(r: Row): Promise<void> {
    const t = r.task;
    const title = h('input', { type: 'text', name: 'title', value: t.title, required: true });
    const description = h('textarea', { name: 'description', rows: 3 }, t.description);
    const hasTime = h('input', { type: 'checkbox', checked: t.due.includes('T') });
    const due = h('input', { type: t.due.includes('T') ? 'datetime-local' : 'date', name: 'due', value: t.due });
    hasTime.addEventListener('change', () => {
      const v = due.value;
      due.type = hasTime.checked ? 'datetime-local' : 'date';
      due.value = v ? (hasTime.checked ? `${v.slice(0, 10)}T09:00` : v.slice(0, 10)) : '';
    });
    const priority = h('select', { name: 'priority' }, ...PRIORITY.map(([v, l]) => h('option', { value: v }, l)));
    priority.value = String(t.priority === 0 ? 0 : t.priority <= 4 ? 1 : t.priority === 5 ? 5 : 9);
    const percent = h('input', { type: 'range', min: 0, max: 100, step: 10, value: t.percent, name: 'percent' });
    const percentOut = h('output', {}, `${t.percent}%`);
    percent.addEventListener('input', () => { percentOut.textContent = `${percent.value}%`; });
    const completed = h('input', { type: 'checkbox', checked: t.completed, name: 'completed' });
    const body = h('div.editor', {}, field('Title', title), field('Description', description),
      h('div.grid2', {}, field('Due', due), h('label.check', {}, hasTime, ' With time')),
      h('div.grid2', {}, field('Priority', priority), field('Progress', h('div.row', {}, percent, percentOut))),
      h('label.check', {}, completed, ' Completed'));
    const { result } = modal('Edit task', body, [{ label: 'Cancel', value: 'cancel' }, { label: 'Delete', value: 'delete', kind: 'danger' }, { label: 'Save', value: 'save', kind: 'primary' }]);
    const action = await result;
    try {
      if (action === 'save') {
        await this.update(r, { ...t, title: title.value, description: description.value, due: due.value, priority: Number(priority.value), completed: completed.checked, percent: Number(percent.value) });
      } else if (action === 'delete') {
        await this.state.remove(r.col, r.href, r.col.objects.get(r.href)?.etag ?? null);
      }
    } catch (err) {
      await showError(err, () => this.state.sync(r.col));
    }
  }
}
