/** Typed message → SyncML element tree, children in DTD order (RepPro 1.2 §5–6, MetInf §5). */
import { NS_METINF, NS_SYNCML_10, NS_SYNCML_11, NS_SYNCML_12 } from '../wbxml/tables.js';
import { el, type Element, type Node } from '../wbxml/tree.js';
import type { Command, Item, LocRef, Meta, SyncHdr, SyncmlMessage, SyncmlVersion } from './model.js';

function namespaceOf(version: SyncmlVersion): string {
  return version === '1.2' ? NS_SYNCML_12 : version === '1.1' ? NS_SYNCML_11 : NS_SYNCML_10;
}

function buildMeta(m: Meta | undefined, ns: string, wrapper = 'Meta'): Element | null {
  if (!m) return null;
  const me = (name: string, v: string | number | undefined): Element | null =>
    v === undefined ? null : el(NS_METINF, name, String(v));
  const kids = [
    me('Format', m.format), me('Type', m.type), me('Mark', m.mark), me('Size', m.size),
    m.anchor ? el(NS_METINF, 'Anchor', me('Last', m.anchor.last), me('Next', m.anchor.next)) : null,
    me('Version', m.version), me('NextNonce', m.nextNonce), me('MaxMsgSize', m.maxMsgSize), me('MaxObjSize', m.maxObjSize),
    ...(m.emi ?? []).map((x) => me('EMI', x)),
  ];
  const present = kids.filter((k): k is Element => k !== null);
  return present.length === 0 ? null : el(ns, wrapper, ...present);
}

export function createBuilder(version: SyncmlVersion) {
  const ns = namespaceOf(version);
  const t = (name: string, v: string | number | undefined | null): Element | null =>
    v === undefined || v === null ? null : el(ns, name, String(v));
  const loc = (name: string, r: LocRef | undefined): Element | null =>
    r ? el(ns, name, t('LocURI', r.locURI), t('LocName', r.locName)) : null;
  const flag = (name: string, on: boolean | undefined): Element | null => (on ? el(ns, name) : null);

  function item(i: Item): Element {
    let data: Element | null = null;
    if (i.data !== undefined) {
      const d = i.data;
      data = el(ns, 'Data', typeof d === 'string' || d instanceof Uint8Array ? d : d);
      if (typeof d === 'string' && d === '') data = el(ns, 'Data');
    }
    return el(ns, 'Item',
      loc('Target', i.target), loc('Source', i.source),
      i.sourceParent ? el(ns, 'SourceParent', t('LocURI', i.sourceParent)) : null,
      i.targetParent ? el(ns, 'TargetParent', t('LocURI', i.targetParent)) : null,
      buildMeta(i.meta, ns), data, flag('MoreData', i.moreData));
  }

  function command(c: Command): Element {
    const id = t('CmdID', c.cmdId);
    const noResp = flag('NoResp', c.noResp);
    switch (c.kind) {
      case 'Status':
        return el(ns, 'Status', id, t('MsgRef', c.msgRef), t('CmdRef', c.cmdRef), t('Cmd', c.cmd),
          ...c.targetRefs.map((r) => t('TargetRef', r)), ...c.sourceRefs.map((r) => t('SourceRef', r)),
          c.chal ? el(ns, 'Chal', buildMeta(c.chal, ns)) : null, t('Data', c.data), ...c.items.map(item));
      case 'Alert':
        return el(ns, 'Alert', id, noResp, t('Data', c.data), t('Correlator', c.correlator), ...c.items.map(item));
      case 'Add': case 'Replace': case 'Delete': case 'Copy': case 'Move':
        return el(ns, c.kind, id, noResp, flag('Archive', c.archive), flag('SftDel', c.sftDel), buildMeta(c.meta, ns), ...c.items.map(item));
      case 'Sync':
        return el(ns, 'Sync', id, noResp, loc('Target', c.target), loc('Source', c.source), buildMeta(c.meta, ns),
          t('NumberOfChanges', c.numberOfChanges), ...c.commands.map(command));
      case 'Put': case 'Get':
        return el(ns, c.kind, id, noResp, buildMeta(c.meta, ns), ...c.items.map(item));
      case 'Results':
        return el(ns, 'Results', id, t('MsgRef', c.msgRef), t('CmdRef', c.cmdRef), buildMeta(c.meta, ns),
          t('TargetRef', c.targetRef), t('SourceRef', c.sourceRef), ...c.items.map(item));
      case 'Map':
        return el(ns, 'Map', id, loc('Target', c.target), loc('Source', c.source), buildMeta(c.meta, ns),
          ...c.mapItems.map((m) => el(ns, 'MapItem', el(ns, 'Target', t('LocURI', m.target)), el(ns, 'Source', t('LocURI', m.source)))));
      case 'Atomic': case 'Sequence':
        return el(ns, c.kind, id, noResp, ...c.commands.map(command));
      case 'Other':
        return el(ns, c.name, id);
    }
  }

  function hdr(h: SyncHdr): Element {
    return el(ns, 'SyncHdr', t('VerDTD', h.verDTD), t('VerProto', h.verProto), t('SessionID', h.sessionId), t('MsgID', h.msgId),
      loc('Target', h.target), loc('Source', h.source), t('RespURI', h.respURI), flag('NoResp', h.noResp),
      h.cred ? el(ns, 'Cred', buildMeta(h.cred.meta, ns), t('Data', h.cred.data)) : null, buildMeta(h.meta, ns));
  }

  function message(m: SyncmlMessage): Element {
    const body: Node[] = m.commands.map(command);
    if (m.final) body.push(el(ns, 'Final'));
    return el(ns, 'SyncML', hdr(m.hdr), el(ns, 'SyncBody', ...body));
  }

  return { ns, item, command, hdr, message };
}

/** VerDTD/VerProto pair of a version (RepPro §5.1). */
export function versionStrings(version: SyncmlVersion): { verDTD: string; verProto: string } {
  return { verDTD: version, verProto: `SyncML/${version}` };
}
