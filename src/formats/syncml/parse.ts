/** SyncML element tree → typed message (RepPro 1.2 §5–6). */
import { child, childrenNamed, isElement, textOf, trimmedText, type Element } from '../wbxml/tree.js';
import type {
  AlertCmd,
  Command,
  Cred,
  Item,
  ItemCmd,
  ItemCmdKind,
  LocRef,
  MapCmd,
  Meta,
  PutGetCmd,
  ResultsCmd,
  StatusCmd,
  SyncCmd,
  SyncHdr,
  SyncmlMessage,
  SyncmlVersion,
} from './model.js';

export class SyncmlParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncmlParseError';
  }
}

function txt(e: Element | undefined, name: string): string | undefined {
  return trimmedText(child(e, name));
}

function num(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function locRef(e: Element | undefined): LocRef | undefined {
  if (!e) return undefined;
  const locURI = txt(e, 'LocURI');
  if (locURI === undefined) return undefined;
  const locName = txt(e, 'LocName');
  return locName === undefined ? { locURI } : { locURI, locName };
}

/** Meta may be MetInf elements, or (in WBXML from some encoders) wrapped in MetInf. */
function parseMeta(e: Element | undefined): Meta | undefined {
  if (!e) return undefined;
  const m = child(e, 'MetInf') ?? e;
  const anchorEl = child(m, 'Anchor');
  const meta: Record<string, unknown> = {
    type: txt(m, 'Type'),
    format: txt(m, 'Format'),
    size: num(txt(m, 'Size')),
    maxMsgSize: num(txt(m, 'MaxMsgSize')),
    maxObjSize: num(txt(m, 'MaxObjSize')),
    nextNonce: txt(m, 'NextNonce'),
    version: txt(m, 'Version'),
    mark: txt(m, 'Mark'),
  };
  if (anchorEl) meta['anchor'] = { last: txt(anchorEl, 'Last'), next: txt(anchorEl, 'Next') };
  const emi = childrenNamed(m, 'EMI').map((x) => trimmedText(x) ?? '');
  if (emi.length > 0) meta['emi'] = emi;
  for (const k of Object.keys(meta)) if (meta[k] === undefined) delete meta[k];
  return meta as Meta;
}

function itemData(e: Element | undefined): Item['data'] {
  if (!e) return undefined;
  const nested = e.children.find(isElement);
  if (nested) return nested;
  if (e.children.length === 1 && e.children[0] instanceof Uint8Array) return e.children[0];
  return textOf(e) ?? '';
}

function parseItem(e: Element): Item {
  const item: Record<string, unknown> = {
    target: locRef(child(e, 'Target')),
    source: locRef(child(e, 'Source')),
    targetParent: txt(child(e, 'TargetParent'), 'LocURI'),
    sourceParent: txt(child(e, 'SourceParent'), 'LocURI'),
    meta: parseMeta(child(e, 'Meta')),
    data: itemData(child(e, 'Data')),
  };
  if (child(e, 'MoreData')) item['moreData'] = true;
  for (const k of Object.keys(item)) if (item[k] === undefined) delete item[k];
  return item as Item;
}

function items(e: Element): Item[] {
  return childrenNamed(e, 'Item').map(parseItem);
}

function base(e: Element): { cmdId: string; noResp?: boolean } {
  const cmdId = txt(e, 'CmdID');
  if (cmdId === undefined) throw new SyncmlParseError(`${e.name} without CmdID`);
  return child(e, 'NoResp') ? { cmdId, noResp: true } : { cmdId };
}

function itemCmd(e: Element, kind: ItemCmdKind): ItemCmd {
  const meta = parseMeta(child(e, 'Meta'));
  return {
    kind,
    ...base(e),
    items: items(e),
    ...(meta ? { meta } : {}),
    ...(child(e, 'Archive') ? { archive: true } : {}),
    ...(child(e, 'SftDel') ? { sftDel: true } : {}),
  };
}

function parseStatus(e: Element): StatusCmd {
  const code = num(txt(e, 'Data'));
  const chal = child(e, 'Chal');
  return {
    kind: 'Status',
    ...base(e),
    msgRef: txt(e, 'MsgRef') ?? '',
    cmdRef: txt(e, 'CmdRef') ?? '',
    cmd: txt(e, 'Cmd') ?? '',
    targetRefs: childrenNamed(e, 'TargetRef').map((x) => trimmedText(x) ?? ''),
    sourceRefs: childrenNamed(e, 'SourceRef').map((x) => trimmedText(x) ?? ''),
    data: code ?? 0,
    items: items(e),
    ...(chal ? { chal: parseMeta(child(chal, 'Meta')) ?? {} } : {}),
  };
}

function parseAlert(e: Element): AlertCmd {
  const a: AlertCmd = { kind: 'Alert', ...base(e), data: num(txt(e, 'Data')) ?? 0, items: items(e) };
  const corr = txt(e, 'Correlator');
  return corr === undefined ? a : { ...a, correlator: corr };
}

/** The item commands of a Sync, those inside an Atomic or Sequence flattened into it. */
function syncItemCommands(e: Element): ItemCmd[] {
  const commands: ItemCmd[] = [];
  for (const c of e.children) {
    if (!isElement(c)) continue;
    const parsed = ['Add', 'Replace', 'Delete', 'Copy', 'Move'].includes(c.name)
      ? itemCmd(c, c.name as ItemCmdKind)
      : null;
    if (parsed) commands.push(parsed);
    else if (c.name === 'Atomic' || c.name === 'Sequence') {
      for (const cc of c.children)
        if (isElement(cc) && ['Add', 'Replace', 'Delete'].includes(cc.name))
          commands.push(itemCmd(cc, cc.name as ItemCmdKind));
    }
  }
  return commands;
}

function parseSync(e: Element): SyncCmd {
  const meta = parseMeta(child(e, 'Meta'));
  const target = locRef(child(e, 'Target'));
  const source = locRef(child(e, 'Source'));
  const noc = num(txt(e, 'NumberOfChanges'));
  return {
    kind: 'Sync',
    ...base(e),
    commands: syncItemCommands(e),
    ...(target ? { target } : {}),
    ...(source ? { source } : {}),
    ...(meta ? { meta } : {}),
    ...(noc !== undefined ? { numberOfChanges: noc } : {}),
  };
}

function parsePutGet(e: Element, kind: PutGetCmd['kind']): PutGetCmd {
  const meta = parseMeta(child(e, 'Meta'));
  return { kind, ...base(e), items: items(e), ...(meta ? { meta } : {}) };
}

function parseResults(e: Element): ResultsCmd {
  const meta = parseMeta(child(e, 'Meta'));
  const refs = { msgRef: txt(e, 'MsgRef'), targetRef: txt(e, 'TargetRef'), sourceRef: txt(e, 'SourceRef') };
  return {
    kind: 'Results',
    ...base(e),
    cmdRef: txt(e, 'CmdRef') ?? '',
    items: items(e),
    ...(meta ? { meta } : {}),
    ...Object.fromEntries(Object.entries(refs).filter(([, v]) => v !== undefined)),
  };
}

function parseMap(e: Element): MapCmd {
  const meta = parseMeta(child(e, 'Meta'));
  return {
    kind: 'Map',
    ...base(e),
    target: locRef(child(e, 'Target')) ?? { locURI: '' },
    source: locRef(child(e, 'Source')) ?? { locURI: '' },
    mapItems: childrenNamed(e, 'MapItem').map((mi) => ({
      target: txt(child(mi, 'Target'), 'LocURI') ?? '',
      source: txt(child(mi, 'Source'), 'LocURI') ?? '',
    })),
    ...(meta ? { meta } : {}),
  };
}

function parseCommand(e: Element): Command | null {
  switch (e.name) {
    case 'Status':
      return parseStatus(e);
    case 'Alert':
      return parseAlert(e);
    case 'Add':
    case 'Replace':
    case 'Delete':
    case 'Copy':
    case 'Move':
      return itemCmd(e, e.name);
    case 'Sync':
      return parseSync(e);
    case 'Put':
    case 'Get':
      return parsePutGet(e, e.name);
    case 'Results':
      return parseResults(e);
    case 'Map':
      return parseMap(e);
    case 'Atomic':
    case 'Sequence': {
      // Its own CmdID, NoResp and Meta are not commands (RepPro 1.2 §6.6.3, §6.6.13).
      const inner = e.children.filter(
        (c): c is Element => isElement(c) && !['CmdID', 'NoResp', 'Meta'].includes(c.name),
      );
      return { kind: e.name, ...base(e), commands: inner.map(parseCommand).filter((c): c is Command => c !== null) };
    }
    case 'Final':
      return null;
    default:
      return { kind: 'Other', ...base(e), name: e.name };
  }
}

function versionOf(verDTD: string | undefined): SyncmlVersion {
  if (verDTD === '1.2' || verDTD === '1.1' || verDTD === '1.0') return verDTD;
  throw new SyncmlParseError(`unsupported VerDTD ${verDTD ?? '(none)'}`);
}

/** Parse the SyncML root element (namespace ignored: the version comes from VerDTD). */
export function parseMessage(root: Element): SyncmlMessage {
  if (root.name !== 'SyncML') throw new SyncmlParseError(`root element is ${root.name}, not SyncML`);
  const hdrEl = child(root, 'SyncHdr');
  const body = child(root, 'SyncBody');
  if (!hdrEl || !body) throw new SyncmlParseError('SyncHdr and SyncBody are required');
  const credEl = child(hdrEl, 'Cred');
  const cred: Cred | undefined = credEl
    ? { meta: parseMeta(child(credEl, 'Meta')) ?? {}, data: txt(credEl, 'Data') ?? '' }
    : undefined;
  const meta = parseMeta(child(hdrEl, 'Meta'));
  const target = locRef(child(hdrEl, 'Target'));
  const source = locRef(child(hdrEl, 'Source'));
  if (!target || !source) throw new SyncmlParseError('SyncHdr needs Target and Source');
  const respURI = txt(hdrEl, 'RespURI');
  const hdr: SyncHdr = {
    verDTD: txt(hdrEl, 'VerDTD') ?? '',
    verProto: txt(hdrEl, 'VerProto') ?? '',
    sessionId: txt(hdrEl, 'SessionID') ?? '',
    msgId: txt(hdrEl, 'MsgID') ?? '',
    target,
    source,
    ...(respURI ? { respURI } : {}),
    ...(cred ? { cred } : {}),
    ...(meta ? { meta } : {}),
    ...(child(hdrEl, 'NoResp') ? { noResp: true } : {}),
  };
  const version = versionOf(hdr.verDTD);
  const commands = body.children
    .filter(isElement)
    .map(parseCommand)
    .filter((c): c is Command => c !== null);
  return { version, hdr, commands, final: child(body, 'Final') !== undefined };
}
