/**
 * WBXML code pages of SyncML 1.1/1.2, MetInf and DevInf (digest §13; token values as in the
 * OMA SyncML RepPro 1.2 / DevInf 1.2 WBXML annexes). Index = token (0x05 is the first tag).
 */

export const NS_SYNCML_12 = 'SYNCML:SYNCML1.2';
export const NS_SYNCML_11 = 'SYNCML:SYNCML1.1';
export const NS_SYNCML_10 = 'SYNCML:SYNCML1.0';
export const NS_METINF = 'syncml:metinf';
export const NS_DEVINF = 'syncml:devinf';

/** A WBXML "language": its public identifiers and per code page namespace and tag table. */
export interface WbxmlLanguage {
  readonly publicId: number;
  readonly publicIdString: string;
  readonly pages: ReadonlyMap<number, { readonly ns: string; readonly tags: readonly (string | null)[] }>;
}

function table(first: number, names: readonly (string | null)[]): (string | null)[] {
  return [...new Array<string | null>(first).fill(null), ...names];
}

const SYNCML_TAGS = table(5, [
  'Add',
  'Alert',
  'Archive',
  'Atomic',
  'Chal',
  'Cmd',
  'CmdID', // 05..0B
  'CmdRef',
  'Copy',
  'Cred',
  'Data',
  'Delete',
  'Exec',
  'Final', // 0C..12
  'Get',
  'Item',
  'Lang',
  'LocName',
  'LocURI',
  'Map',
  'MapItem', // 13..19
  'Meta',
  'MsgID',
  'MsgRef',
  'NoResp',
  'NoResults',
  'Put',
  'Replace', // 1A..20
  'RespURI',
  'Results',
  'Search',
  'Sequence',
  'SessionID',
  'SftDel',
  'Source', // 21..27
  'SourceRef',
  'Status',
  'Sync',
  'SyncBody',
  'SyncHdr',
  'SyncML',
  'Target', // 28..2E
  'TargetRef',
  null,
  'VerDTD',
  'VerProto',
  'NumberOfChanges',
  'MoreData', // 2F..34
  'Field',
  'Filter',
  'Record',
  'FilterType',
  'SourceParent',
  'TargetParent',
  'Move',
  'Correlator', // 35..3C (1.2)
]);

const METINF_TAGS = table(5, [
  'Anchor',
  'EMI',
  'Format',
  'FreeID',
  'FreeMem',
  'Last',
  'Mark', // 05..0B
  'MaxMsgSize',
  'Mem',
  'MetInf',
  'Next',
  'NextNonce',
  'SharedMem',
  'Size', // 0C..12
  'Type',
  'Version',
  'MaxObjSize',
  'FieldLevel', // 13..16
]);

const DEVINF_TAGS = table(5, [
  'CTCap',
  'CTType',
  'DataStore',
  'DataType',
  'DevID',
  'DevInf',
  'DevTyp', // 05..0B
  'DisplayName',
  'DSMem',
  'Ext',
  'FwV',
  'HwV',
  'Man',
  'MaxGUIDSize', // 0C..12
  'MaxID',
  'MaxMem',
  'Mod',
  'OEM',
  'ParamName',
  'PropName',
  'Rx', // 13..19
  'Rx-Pref',
  'SharedMem',
  'MaxSize',
  'SourceRef',
  'SwV',
  'SyncCap',
  'SyncType', // 1A..20
  'Tx',
  'Tx-Pref',
  'ValEnum',
  'VerCT',
  'VerDTD',
  'XNam',
  'XVal', // 21..27
  'UTC',
  'SupportNumberOfChanges',
  'SupportLargeObjs', // 28..2A
  'Property',
  'PropParam',
  'MaxOccur',
  'NoTruncate',
  null,
  'Filter-Rx',
  'FilterCap', // 2B..31 (1.2)
  'FilterKeyword',
  'FieldLevel',
  'SupportHierarchicalSync', // 32..34
]);

function syncml(publicId: number, publicIdString: string, ns: string): WbxmlLanguage {
  return {
    publicId,
    publicIdString,
    pages: new Map([
      [0, { ns, tags: SYNCML_TAGS }],
      [1, { ns: NS_METINF, tags: METINF_TAGS }],
    ]),
  };
}

function devinf(publicId: number, publicIdString: string): WbxmlLanguage {
  return { publicId, publicIdString, pages: new Map([[0, { ns: NS_DEVINF, tags: DEVINF_TAGS }]]) };
}

/** Public IDs (libwbxml wbxml_tables.h; digest §13). */
export const SYNCML_10 = syncml(0x0fd1, '-//SYNCML//DTD SyncML 1.0//EN', NS_SYNCML_10);
export const SYNCML_11 = syncml(0x0fd3, '-//SYNCML//DTD SyncML 1.1//EN', NS_SYNCML_11);
export const SYNCML_12 = syncml(0x1201, '-//SYNCML//DTD SyncML 1.2//EN', NS_SYNCML_12);
export const DEVINF_10 = devinf(0x0fd2, '-//SYNCML//DTD DevInf 1.0//EN');
export const DEVINF_11 = devinf(0x0fd4, '-//SYNCML//DTD DevInf 1.1//EN');
export const DEVINF_12 = devinf(0x1203, '-//SYNCML//DTD DevInf 1.2//EN');

export const LANGUAGES: readonly WbxmlLanguage[] = [SYNCML_10, SYNCML_11, SYNCML_12, DEVINF_10, DEVINF_11, DEVINF_12];
