import ICAL from 'ical.js';
import { DavHttpError } from '../dav/errors.js';
import { uidOf } from '../../../src/formats/vcard/uid.js';
import { AppState, type Collection } from '../state.js';
import { modal, showError } from '../ui/dialog.js';
import { download, field, h } from '../ui/dom.js';

interface Item { uid: string; data: string }

/** Split an .ics file into one calendar object per UID (RFC 4791 §4.1), each with the VTIMEZONEs it uses. */
export function splitIcs(text: string): Item[] {
  const root = new ICAL.Component(ICAL.parse(text));
  const zones = root.getAllSubcomponents('vtimezone');
  const byUid = new Map<string, ICAL.Component[]>();
  for (const c of root.getAllSubcomponents()) {
    if (!['vevent', 'vtodo', 'vjournal'].includes(c.name)) continue;
    const uid = String(c.getFirstPropertyValue('uid') ?? crypto.randomUUID());
    if (!c.hasProperty('uid')) c.updatePropertyWithValue('uid', uid);
    byUid.set(uid, [...(byUid.get(uid) ?? []), c]);
  }
  return [...byUid].map(([uid, comps]) => {
    const vcal = new ICAL.Component('vcalendar');
    vcal.updatePropertyWithValue('prodid', '-//Almanac//Web import//EN');
    vcal.updatePropertyWithValue('version', '2.0');
    const used = new Set(comps.flatMap((c) => c.getAllProperties().map((p) => p.getParameter('tzid')).filter(Boolean)));
    for (const z of zones) if (used.has(String(z.getFirstPropertyValue('tzid')))) vcal.addSubcomponent(new ICAL.Component(ICAL.parse(z.toString())));
    for (const c of comps) vcal.addSubcomponent(c);
    return { uid, data: vcal.toString() };
  });
}

export function splitVcf(text: string): Item[] {
  const cards = text.replace(/\r?\n/g, '\r\n').match(/BEGIN:VCARD[\s\S]*?END:VCARD/gi) ?? [];
  return cards.map((c) => {
    let data = `${c}\r\n`;
    let uid = uidOf(data);
    if (!uid) {
      uid = crypto.randomUUID();
      data = data.replace(/END:VCARD\r\n$/i, `UID:${uid}\r\nEND:VCARD\r\n`);
    }
    return { uid, data };
  });
}

/** Import .ics/.vcf files into a collection, with progress and a summary. */
export async function importDialog(state: AppState): Promise<void> {
  const file = h('input', { type: 'file', accept: '.ics,.vcf,text/calendar,text/vcard', multiple: true, name: 'file', required: true });
  const target = h('select', { name: 'target' }, ...state.collections.filter((c) => !c.dav.readOnly).map((c) => h('option', { value: c.key }, `${c.dav.kind === 'calendar' ? 'Calendar' : 'Address book'}: ${c.dav.displayName}${c.source.remote ? ` (${c.source.label})` : ''}`)));
  const { result } = modal('Import', h('div', {}, field('Files (.ics or .vcf)', file), field('Into', target)), [{ label: 'Cancel', value: 'cancel' }, { label: 'Import', value: 'ok', kind: 'primary' }]);
  if ((await result) !== 'ok' || !file.files?.length) return;
  const col = state.collections.find((c) => c.key === target.value);
  if (!col) return;
  const items: Item[] = [];
  try {
    for (const f of Array.from(file.files)) {
      const text = await f.text();
      items.push(...(col.dav.kind === 'calendar' ? splitIcs(text) : splitVcf(text)));
    }
  } catch (err) {
    return showError(new Error(`The file could not be read: ${(err as Error).message}`));
  }
  await runImport(state, col, items);
}

async function runImport(state: AppState, col: Collection, items: Item[]): Promise<void> {
  const bar = h('progress', { max: items.length, value: 0, 'aria-label': 'Import progress' });
  const status = h('p', { role: 'status' }, `0 of ${items.length}`);
  const { el, result } = modal('Importing…', h('div', {}, bar, status), [{ label: 'Close', value: 'close' }]);
  const closeBtn = el.querySelector('button') as HTMLButtonElement;
  closeBtn.disabled = true;
  let created = 0;
  let skipped = 0;
  const failed: string[] = [];
  const ext = col.dav.kind === 'calendar' ? '.ics' : '.vcf';
  const type = col.dav.kind === 'calendar' ? 'text/calendar; charset=utf-8' : 'text/vcard; charset=utf-8';
  let i = 0;
  const worker = async (): Promise<void> => {
    while (i < items.length) {
      const item = items[i++]!;
      try {
        await col.source.client.put(AppState.memberHref(col, item.uid, ext), item.data, type, null);
        created++;
      } catch (err) {
        if (err instanceof DavHttpError && err.status === 412) skipped++;
        else failed.push(`${item.uid}: ${(err as Error).message}`);
      }
      bar.value = created + skipped + failed.length;
      status.textContent = `${bar.value} of ${items.length}`;
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  el.querySelector('h2')!.textContent = 'Import finished';
  status.textContent = `${created} imported, ${skipped} already there (skipped), ${failed.length} failed.`;
  if (failed.length) el.querySelector('.dialog-body')!.append(h('details', {}, h('summary', {}, 'What failed'), h('ul', {}, ...failed.slice(0, 100).map((f) => h('li', {}, f)))));
  closeBtn.disabled = false;
  await state.sync(col);
  await result;
}

/** Export a collection: one .ics with every object (VTIMEZONEs once), or one .vcf with every card. */
export function exportCollection(col: Collection): void {
  if (col.dav.kind === 'addressbook') {
    download(`${col.dav.displayName}.vcf`, [...col.objects.values()].map((o) => o.data.trim()).join('\r\n') + '\r\n', 'text/vcard');
    return;
  }
  const out = new ICAL.Component('vcalendar');
  out.updatePropertyWithValue('prodid', '-//Almanac//Web export//EN');
  out.updatePropertyWithValue('version', '2.0');
  out.updatePropertyWithValue('x-wr-calname', col.dav.displayName);
  const zones = new Set<string>();
  for (const o of col.objects.values()) {
    try {
      const vcal = new ICAL.Component(ICAL.parse(o.data));
      // A copy: addSubcomponent takes the component out of its old parent, which would skip
      // every other one of a live list (the VEVENT after a VTIMEZONE went missing).
      for (const c of [...vcal.getAllSubcomponents()]) {
        if (c.name === 'vtimezone') {
          const id = String(c.getFirstPropertyValue('tzid'));
          if (zones.has(id)) continue;
          zones.add(id);
        }
        out.addSubcomponent(c);
      }
    } catch {
      // an unreadable object is left out
    }
  }
  download(`${col.dav.displayName}.ics`, out.toString(), 'text/calendar');
}

export async function exportDialog(state: AppState): Promise<void> {
  const target = h('select', { name: 'target' }, ...state.collections.map((c) => h('option', { value: c.key }, `${c.dav.kind === 'calendar' ? 'Calendar' : 'Address book'}: ${c.dav.displayName}`)));
  const { result } = modal('Export', field('Collection', target), [{ label: 'Cancel', value: 'cancel' }, { label: 'Download', value: 'ok', kind: 'primary' }]);
  if ((await result) !== 'ok') return;
  const col = state.collections.find((c) => c.key === target.value);
  if (col) exportCollection(col);
}
