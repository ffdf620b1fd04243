/**
 * The attendee's copy, kept by the server (RFC 6638 §4.1 "processing of scheduling messages"):
 * a REQUEST becomes or updates it, a CANCEL removes it or the cancelled instances.
 */
import { ICAL, type IcalComponent } from '../ical.js';
import { components } from './scheduling-object.js';

function withoutMethod(root: IcalComponent): IcalComponent {
  const copy = new ICAL.Component(JSON.parse(JSON.stringify(root.toJSON())) as unknown[]);
  copy.removeAllProperties('method');
  return copy;
}

/**
 * The attendee's copy after a REQUEST: the request's instances replace the copy's (keeping the
 * attendee's own alarms on each); a request holding the master replaces every instance.
 */
export function applyRequest(existing: IcalComponent | null, request: IcalComponent): string {
  const incoming = withoutMethod(request);
  if (!existing) return incoming.toString() + '\r\n';
  const old = components(existing);
  const fresh = components(incoming);
  for (const [key, comp] of fresh) {
    const prior = old.get(key);
    if (prior && comp.getAllSubcomponents('valarm').length === 0) {
      for (const alarm of prior.getAllSubcomponents('valarm')) comp.addSubcomponent(alarm);
    }
  }
  if (!fresh.has('')) {
    // Only some instances: keep the others of the existing copy.
    for (const [key, comp] of old) if (!fresh.has(key)) incoming.addSubcomponent(comp);
  }
  return incoming.toString() + '\r\n';
}

/**
 * The attendee's copy after a CANCEL, or null when the whole event is cancelled (the copy is
 * removed): cancelled instances become EXDATEs of the master.
 */
export function applyCancel(existing: IcalComponent, cancel: IcalComponent): string | null {
  const gone = components(cancel);
  if (gone.has('')) return null;
  const copy = withoutMethod(existing);
  const mine = components(copy);
  const master = mine.get('');
  for (const [key, comp] of gone) {
    const override = mine.get(key);
    if (override) copy.removeSubcomponent(override);
    if (master) master.addPropertyWithValue('exdate', comp.getFirstPropertyValue('recurrence-id'));
    mine.delete(key);
  }
  return mine.size === 0 ? null : copy.toString() + '\r\n';
}
