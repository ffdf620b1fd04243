import { DavHttpError, isNetworkFailure } from '../dav/errors.js';
import type { IcalComponent } from '../../../src/formats/ical/ical.js';
import { mergeCalendars } from '../../../src/formats/ical/merge.js';
import { parseCalendar } from '../../../src/formats/ical/parse.js';
import { splitCalendarText } from '../../../src/formats/ical/split.js';
import { dataKind, type DataKind } from '../../../src/formats/data-kind.js';
import { ensureUid } from '../../../src/formats/vcard/ensure-uid.js';
import { splitVcards } from '../../../src/formats/vcard/split.js';
import { t } from '../i18n/index.js';
import { AppState, type Collection } from '../state.js';
import { errorText, modal, showError } from '../ui/dialog.js';
import { download, field, h } from '../ui/dom.js';

interface Item {
  uid: string;
  data: string;
}

/**
 * Split an .ics file into one calendar object per UID with the server's own code
 * (src/formats/ical/split.ts): the same splitting as `almanac import` and subscribed feeds.
 */
function splitIcs(text: string): { items: Item[]; unreadable: string[] } {
  const { objects, skipped } = splitCalendarText(text);
  return {
    items: objects.map((o) => ({ uid: o.uid, data: o.text })),
    unreadable: skipped.map((s) => `${s.what}: ${s.reason}`),
  };
}

/**
 * Split a .vcf into one card each with the server's own code (src/formats/vcard): the same
 * splitting as `almanac import`, and a card without UID gets one the same way.
 */
export function splitVcf(text: string): { items: Item[]; generated: number; unreadable: string[] } {
  const { cards, skipped } = splitVcards(text);
  let generated = 0;
  const items = cards.map((c) => {
    const r = ensureUid(c);
    if (r.generated) generated++;
    return { uid: r.uid, data: r.card };
  });
  return { items, generated, unreadable: skipped.map((s) => `card #${s.index + 1}: ${s.reason}`) };
}

/** "Calendar: Work" / "Address book: Friends (other server)" in the UI language. */
function collectionLabel(c: Collection, withSource: boolean): string {
  const name = `${c.dav.displayName}${withSource && c.source.remote ? ` (${c.source.label})` : ''}`;
  return t('common.collectionLabel', {
    kind: c.dav.kind === 'calendar' ? t('common.calendar') : t('common.addressBook'),
    name,
  });
}

/** Import .ics/.vcf files into a collection, with progress and a summary. */
export async function importDialog(state: AppState): Promise<void> {
  const file = h('input', {
    type: 'file',
    accept: '.ics,.vcf,text/calendar,text/vcard',
    multiple: true,
    name: 'file',
    required: true,
  });
  const target = h(
    'select',
    { name: 'target' },
    ...state.collections
      .filter((c) => !c.dav.readOnly)
      .map((c) => h('option', { value: c.key }, collectionLabel(c, true))),
  );
  const { result } = modal(
    t('import.title'),
    h('div', {}, field(t('import.files'), file), field(t('import.into'), target)),
    [
      { label: t('dialog.cancel'), value: 'cancel' },
      { label: t('import.title'), value: 'ok', kind: 'primary' },
    ],
  );
  if ((await result) !== 'ok' || !file.files?.length) return;
  const col = state.collections.find((c) => c.key === target.value);
  if (!col) return;
  const want: DataKind = col.dav.kind === 'calendar' ? 'icalendar' : 'vcard';
  const items: Item[] = [];
  const notes: string[] = [];
  const unreadable: string[] = [];
  try {
    for (const f of Array.from(file.files)) {
      const text = await f.text();
      const kind = dataKind(text);
      // A .vcf into a calendar (or the other way) used to end in "0 imported, 0 failed": say why.
      if (kind === null) return showError(new Error(t('import.neither', { file: f.name })));
      if (kind !== want)
        return showError(
          new Error(
            t('import.wrongTarget', {
              file: f.name,
              name: col.dav.displayName,
              reason: kind === 'vcard' ? t('import.reasonVcard') : t('import.reasonIcal'),
            }),
          ),
        );
      if (kind === 'icalendar') {
        const r = splitIcs(text);
        items.push(...r.items);
        unreadable.push(...r.unreadable);
      } else {
        const r = splitVcf(text);
        items.push(...r.items);
        unreadable.push(...r.unreadable);
        if (r.generated) notes.push(t('import.generated', { count: r.generated }));
      }
    }
  } catch (err) {
    return showError(new Error(t('import.unreadable', { error: (err as Error).message })));
  }
  await runImport(state, col, items, notes, unreadable);
}

async function runImport(
  state: AppState,
  col: Collection,
  items: Item[],
  notes: string[],
  unreadable: string[],
): Promise<void> {
  const bar = h('progress', { max: items.length, value: 0, 'aria-label': t('import.progress') });
  const status = h('p', { role: 'status' }, t('import.of', { done: 0, total: items.length }));
  const { el, result } = modal(t('import.running'), h('div', {}, bar, status), [
    { label: t('dialog.close'), value: 'close' },
  ]);
  const closeBtn = el.querySelector('button') as HTMLButtonElement;
  closeBtn.disabled = true;
  let created = 0;
  let skipped = 0;
  /** Written while the server could not be reached: in the outbox, sent when back (as any offline edit). */
  let queued = 0;
  const failed: string[] = [...unreadable];
  const ext = col.dav.kind === 'calendar' ? '.ics' : '.vcf';
  const type = col.dav.kind === 'calendar' ? 'text/calendar; charset=utf-8' : 'text/vcard; charset=utf-8';
  let i = 0;
  const worker = async (): Promise<void> => {
    while (i < items.length) {
      const item = items[i++]!;
      const href = AppState.memberHref(col, item.uid, ext);
      try {
        await col.source.client.put(href, item.data, type, null);
        created++;
      } catch (err) {
        if (err instanceof DavHttpError && err.status === 412) skipped++;
        else if (isNetworkFailure(err)) {
          // Offline: into the outbox with If-None-Match: *, like a new event made offline.
          await state.save(col, href, item.data, null, type);
          queued++;
        } else failed.push(`${item.uid}: ${errorText(err)}`);
      }
      bar.value = created + skipped + queued + failed.length - unreadable.length;
      status.textContent = t('import.of', { done: bar.value, total: items.length });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  el.querySelector('h2')!.textContent = t('import.finished');
  status.textContent = t('import.summary', { created, skipped, failed: failed.length });
  if (queued > 0) status.after(h('p.note', { 'data-testid': 'import-queued' }, t('import.queued', { count: queued })));
  for (const n of notes) status.after(h('p.note', { 'data-testid': 'import-note' }, n));
  if (failed.length)
    el.querySelector('.dialog-body')!.append(
      h(
        'details',
        {},
        h('summary', {}, t('import.whatFailed')),
        h('ul', {}, ...failed.slice(0, 100).map((f) => h('li', {}, f))),
      ),
    );
  closeBtn.disabled = false;
  await state.sync(col);
  await result;
}

/** Export a collection: one .ics with every object (VTIMEZONEs once), or one .vcf with every card. */
export function exportCollection(col: Collection): void {
  if (col.dav.kind === 'addressbook') {
    download(
      `${col.dav.displayName}.vcf`,
      [...col.objects.values()].map((o) => o.data.trim()).join('\r\n') + '\r\n',
      'text/vcard',
    );
    return;
  }
  // The server's own merge (src/formats/ical): VTIMEZONEs once, X-WR-CALNAME = the display name.
  const roots: IcalComponent[] = [];
  for (const o of col.objects.values()) {
    try {
      roots.push(parseCalendar(o.data));
    } catch {
      // an unreadable object is left out
    }
  }
  download(
    `${col.dav.displayName}.ics`,
    mergeCalendars(roots, '-//Almanac//Web export//EN', col.dav.displayName),
    'text/calendar',
  );
}

export async function exportDialog(state: AppState): Promise<void> {
  const target = h(
    'select',
    { name: 'target' },
    ...state.collections.map((c) => h('option', { value: c.key }, collectionLabel(c, false))),
  );
  const { result } = modal(t('export.title'), field(t('export.collection'), target), [
    { label: t('dialog.cancel'), value: 'cancel' },
    { label: t('export.download'), value: 'ok', kind: 'primary' },
  ]);
  if ((await result) !== 'ok') return;
  const col = state.collections.find((c) => c.key === target.value);
  if (col) exportCollection(col);
}
