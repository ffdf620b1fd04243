/**
 * Device information (OMA-TS-DS_DevInf-V1_2 §5; DevInf 1.1 for the flat CTCap; digest §11).
 * Parse is liberal (both CTCap shapes whatever VerDTD says); build emits the requested version.
 */
import { NS_DEVINF } from '../wbxml/tables.js';
import { child, childrenNamed, el, isElement, trimmedText, type Element } from '../wbxml/tree.js';

export interface ContentType {
  readonly type: string;
  readonly version: string;
}

export interface DevInfDataStore {
  readonly sourceRef: string;
  readonly displayName?: string;
  readonly maxGuidSize?: number;
  readonly rxPref?: ContentType;
  readonly rx: readonly ContentType[];
  readonly txPref?: ContentType;
  readonly tx: readonly ContentType[];
  readonly syncTypes: readonly number[];
  /** Property names per content type (upper case), from CTCap. */
  readonly ctCap: Readonly<Record<string, readonly string[]>>;
}

export interface DevInf {
  readonly verDTD: string;
  readonly man?: string;
  readonly mod?: string;
  readonly devId: string;
  readonly devTyp?: string;
  readonly swV?: string;
  readonly utc: boolean;
  readonly supportLargeObjs: boolean;
  readonly supportNumberOfChanges: boolean;
  readonly dataStores: readonly DevInfDataStore[];
}

const t = (e: Element | undefined, name: string): string | undefined => trimmedText(child(e, name));

function ct(e: Element | undefined): ContentType | undefined {
  if (!e) return undefined;
  const type = t(e, 'CTType');
  return type ? { type: type.toLowerCase(), version: t(e, 'VerCT') ?? '' } : undefined;
}

/** CTCap 1.2 (nested Property) or 1.1 (flat CTType, PropName… sequence). */
function parseCtCaps(caps: readonly Element[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const cap of caps) {
    let current: string | undefined;
    for (const c of cap.children) {
      if (!isElement(c)) continue;
      if (c.name === 'CTType') {
        current = (trimmedText(c) ?? '').toLowerCase();
        out[current] ??= [];
      } else if (current && c.name === 'PropName') out[current]?.push((trimmedText(c) ?? '').toUpperCase());
      else if (current && c.name === 'Property') {
        const n = t(c, 'PropName');
        if (n) out[current]?.push(n.toUpperCase());
      }
    }
  }
  return out;
}

export function parseDevInf(root: Element): DevInf {
  const stores = childrenNamed(root, 'DataStore');
  const topCaps = childrenNamed(root, 'CTCap');
  const topCtCap = parseCtCaps(topCaps);
  return {
    verDTD: t(root, 'VerDTD') ?? '',
    devId: t(root, 'DevID') ?? '',
    ...(t(root, 'Man') ? { man: t(root, 'Man') } : {}),
    ...(t(root, 'Mod') ? { mod: t(root, 'Mod') } : {}),
    ...(t(root, 'DevTyp') ? { devTyp: t(root, 'DevTyp') } : {}),
    ...(t(root, 'SwV') ? { swV: t(root, 'SwV') } : {}),
    utc: !!child(root, 'UTC'),
    supportLargeObjs: !!child(root, 'SupportLargeObjs'),
    supportNumberOfChanges: !!child(root, 'SupportNumberOfChanges'),
    dataStores: stores.map((s) => {
      const rxPref = ct(child(s, 'Rx-Pref'));
      const txPref = ct(child(s, 'Tx-Pref'));
      const own = parseCtCaps(childrenNamed(s, 'CTCap'));
      const rx = childrenNamed(s, 'Rx')
        .map(ct)
        .filter((x): x is ContentType => !!x);
      const tx = childrenNamed(s, 'Tx')
        .map(ct)
        .filter((x): x is ContentType => !!x);
      const types = new Set([rxPref, txPref, ...rx, ...tx].filter((x): x is ContentType => !!x).map((x) => x.type));
      const ctCap: Record<string, string[]> = { ...own };
      for (const type of types) if (!ctCap[type] && topCtCap[type]) ctCap[type] = topCtCap[type];
      const maxGuid = Number(t(s, 'MaxGUIDSize'));
      return {
        sourceRef: t(s, 'SourceRef') ?? '',
        ...(t(s, 'DisplayName') ? { displayName: t(s, 'DisplayName') } : {}),
        ...(Number.isFinite(maxGuid) && maxGuid > 0 ? { maxGuidSize: maxGuid } : {}),
        ...(rxPref ? { rxPref } : {}),
        ...(txPref ? { txPref } : {}),
        rx,
        tx,
        syncTypes: childrenNamed(child(s, 'SyncCap') ?? s, 'SyncType')
          .map((x) => Number(trimmedText(x)))
          .filter(Number.isFinite),
        ctCap,
      };
    }),
  };
}

/** What the server announces per datastore. */
interface ServerDataStore {
  readonly sourceRef: string;
  readonly displayName: string;
  readonly rxPref: ContentType;
  readonly rx: readonly ContentType[];
  readonly txPref: ContentType;
  readonly tx: readonly ContentType[];
}

export interface ServerDevInf {
  readonly man: string;
  readonly mod: string;
  readonly swV: string;
  readonly devId: string;
  readonly dataStores: readonly ServerDataStore[];
}

/** Build the server's DevInf (VerDTD 1.2 or 1.1). SyncCap lists sync types 1–7 (DevInf §5.3.37). */
export function buildDevInf(info: ServerDevInf, verDTD: '1.1' | '1.2' | '1.0'): Element {
  const n = NS_DEVINF;
  const e = (name: string, v?: string): Element => (v === undefined ? el(n, name) : el(n, name, v));
  const ctEl = (name: string, c: ContentType): Element => el(n, name, e('CTType', c.type), e('VerCT', c.version));
  return el(
    n,
    'DevInf',
    e('VerDTD', verDTD),
    e('Man', info.man),
    e('Mod', info.mod),
    e('OEM', info.man),
    e('FwV', info.swV),
    e('SwV', info.swV),
    e('HwV', info.swV),
    e('DevID', info.devId),
    e('DevTyp', 'server'),
    verDTD !== '1.0' ? e('UTC') : null,
    verDTD !== '1.0' ? e('SupportLargeObjs') : null,
    verDTD !== '1.0' ? e('SupportNumberOfChanges') : null,
    ...info.dataStores.map((d) =>
      el(
        n,
        'DataStore',
        e('SourceRef', d.sourceRef),
        e('DisplayName', d.displayName),
        e('MaxGUIDSize', '64'),
        ctEl('Rx-Pref', d.rxPref),
        ...d.rx.map((c) => ctEl('Rx', c)),
        ctEl('Tx-Pref', d.txPref),
        ...d.tx.map((c) => ctEl('Tx', c)),
        el(n, 'SyncCap', ...['1', '2', '3', '4', '5', '6', '7'].map((s) => e('SyncType', s))),
      ),
    ),
  );
}
