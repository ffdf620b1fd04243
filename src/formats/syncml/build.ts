/** Typed message → SyncML element tree, children in DTD order (RepPro 1.2 §5–6, MetInf §5). */
import { NS_METINF, NS_SYNCML_10, NS_SYNCML_11, NS_SYNCML_12 } from '../wbxml/tables.js';
import { el, type Element, type Node } from '../wbxml/tree.js';
import type {
  Command,
  Item,
  LocRef,
  MapCmd,
  Meta,
  ResultsCmd,
  StatusCmd,
  SyncHdr,
  SyncmlMessage,
  SyncmlVersion,
} from './model.js';

function namespaceOf(version: SyncmlVersion): string {
  return version === '1.2' ? NS_SYNCML_12 : version === '1.1' ? NS_SYNCML_11 : NS_SYNCML_10;
}

function buildMeta(m: Meta | undefined, ns: string, wrapper = 'Meta'): Element | null {
  if (!m) return null;
  const me = (name: string, v: string | number | undefined): Element | null =>
    v === undefined ? null : el(NS_METINF, name, String(v));
  const kids = [
    me('Format', m.format),
    me('Type', m.type),
    me('Mark', m.mark),
    me('Size', m.size),
    m.anchor ? el(NS_METINF, 'Anchor', me('Last', m.anchor.last), me('Next', m.anchor.next)) : null,
    me('Version', m.version),
    me('NextNonce', m.nextNonce),
    me('MaxMsgSize', m.maxMsgSize),
    me('MaxObjSize', m.maxObjSize),
    ...(m.emi ?? []).map((x) => me('EMI', x)),
  ];
  const present = kids.filter((k): k is Element => k !== null);
  return present.length === 0 ? null : el(ns, wrapper, ...present);
}

/** Element makers bound to one SyncML namespace. */
interface Tags {
  readonly ns: string;
  /** A text element, or nothing when the value is absent. */
  t(name: string, v: string | number | undefined | null): Element | null;
  loc(name: string, r: LocRef | undefined): Element | null;
  flag(name: string, on: boolean | undefined): Element | null;
}

function tagsFor(ns: string): Tags {
  const t = (name: string, v: string | number | undefined | null): Element | null =>
    v === undefined || v === null ? null : el(ns, name, String(v));
  return {
    ns,
    t,
    loc: (name, r) => (r ? el(ns, name, t('LocURI', r.locURI), t('LocName', r.locName)) : null),
    flag: (name, on) => (on ? el(ns, name) : null),
  };
}

function buildItem(k: Tags, i: Item): Element {
  const { ns, t, loc, flag } = k;
  let data: Element | null = null;
  if (i.data !== undefined) {
    const d = i.data;
    data = el(ns, 'Data', typeof d === 'string' || d instanceof Uint8Array ? d : d);
    if (typeof d === 'string' && d === '') data = el(ns, 'Data');
  }
  return el(
    ns,
    'Item',
    loc('Target', i.target),
    loc('Source', i.source),
    i.sourceParent ? el(ns, 'SourceParent', t('LocURI', i.sourceParent)) : null,
    i.targetParent ? el(ns, 'TargetParent', t('LocURI', i.targetParent)) : null,
    buildMeta(i.meta, ns),
    data,
    flag('MoreData', i.moreData),
  );
}

function buildStatus(k: Tags, c: StatusCmd): Element {
  const { ns, t } = k;
  return el(
    ns,
    'Status',
    t('CmdID', c.cmdId),
    t('MsgRef', c.msgRef),
    t('CmdRef', c.cmdRef),
    t('Cmd', c.cmd),
    ...c.targetRefs.map((r) => t('TargetRef', r)),
    ...c.sourceRefs.map((r) => t('SourceRef', r)),
    c.chal ? el(ns, 'Chal', buildMeta(c.chal, ns)) : null,
    t('Data', c.data),
    ...c.items.map((i) => buildItem(k, i)),
  );
}

function buildResults(k: Tags, c: ResultsCmd): Element {
  const { ns, t } = k;
  return el(
    ns,
    'Results',
    t('CmdID', c.cmdId),
    t('MsgRef', c.msgRef),
    t('CmdRef', c.cmdRef),
    buildMeta(c.meta, ns),
    t('TargetRef', c.targetRef),
    t('SourceRef', c.sourceRef),
    ...c.items.map((i) => buildItem(k, i)),
  );
}

function buildMap(k: Tags, c: MapCmd): Element {
  const { ns, t, loc } = k;
  const mapItem = (m: MapCmd['mapItems'][number]): Element =>
    el(ns, 'MapItem', el(ns, 'Target', t('LocURI', m.target)), el(ns, 'Source', t('LocURI', m.source)));
  return el(
    ns,
    'Map',
    t('CmdID', c.cmdId),
    loc('Target', c.target),
    loc('Source', c.source),
    buildMeta(c.meta, ns),
    ...c.mapItems.map(mapItem),
  );
}

function buildCommand(k: Tags, c: Command): Element {
  const { ns, t, loc, flag } = k;
  const id = t('CmdID', c.cmdId);
  const noResp = flag('NoResp', c.noResp);
  const item = (i: Item): Element => buildItem(k, i);
  switch (c.kind) {
    case 'Status':
      return buildStatus(k, c);
    case 'Alert':
      return el(ns, 'Alert', id, noResp, t('Data', c.data), t('Correlator', c.correlator), ...c.items.map(item));
    case 'Add':
    case 'Replace':
    case 'Delete':
    case 'Copy':
    case 'Move':
      return el(
        ns,
        c.kind,
        id,
        noResp,
        flag('Archive', c.archive),
        flag('SftDel', c.sftDel),
        buildMeta(c.meta, ns),
        ...c.items.map(item),
      );
    case 'Sync':
      return el(
        ns,
        'Sync',
        id,
        noResp,
        loc('Target', c.target),
        loc('Source', c.source),
        buildMeta(c.meta, ns),
        t('NumberOfChanges', c.numberOfChanges),
        ...c.commands.map((cc) => buildCommand(k, cc)),
      );
    case 'Put':
    case 'Get':
      return el(ns, c.kind, id, noResp, buildMeta(c.meta, ns), ...c.items.map(item));
    case 'Results':
      return buildResults(k, c);
    case 'Map':
      return buildMap(k, c);
    case 'Atomic':
    case 'Sequence':
      return el(ns, c.kind, id, noResp, ...c.commands.map((cc) => buildCommand(k, cc)));
    case 'Other':
      return el(ns, c.name, id);
  }
}

function buildHdr(k: Tags, h: SyncHdr): Element {
  const { ns, t, loc, flag } = k;
  return el(
    ns,
    'SyncHdr',
    t('VerDTD', h.verDTD),
    t('VerProto', h.verProto),
    t('SessionID', h.sessionId),
    t('MsgID', h.msgId),
    loc('Target', h.target),
    loc('Source', h.source),
    t('RespURI', h.respURI),
    flag('NoResp', h.noResp),
    h.cred ? el(ns, 'Cred', buildMeta(h.cred.meta, ns), t('Data', h.cred.data)) : null,
    buildMeta(h.meta, ns),
  );
}

export function createBuilder(version: SyncmlVersion) {
  const k = tagsFor(namespaceOf(version));
  const command = (c: Command): Element => buildCommand(k, c);
  function message(m: SyncmlMessage): Element {
    const body: Node[] = m.commands.map(command);
    if (m.final) body.push(el(k.ns, 'Final'));
    return el(k.ns, 'SyncML', buildHdr(k, m.hdr), el(k.ns, 'SyncBody', ...body));
  }
  return {
    ns: k.ns,
    item: (i: Item): Element => buildItem(k, i),
    command,
    hdr: (h: SyncHdr): Element => buildHdr(k, h),
    message,
  };
}

/** VerDTD/VerProto pair of a version (RepPro §5.1). */
export function versionStrings(version: SyncmlVersion): { verDTD: string; verProto: string } {
  return { verDTD: version, verProto: `SyncML/${version}` };
}
