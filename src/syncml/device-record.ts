/**
 * The device record's `info` JSON (DeviceRecord.info): the device's DevInf (digest §11) and its
 * operator routes (`almanac syncml route`). Written with a format `version`; read through a
 * check of every field, never a bare cast. A record of the first shape (no `version`) is taken
 * over field by field; a part that does not fit is dropped with a logged reason (a DevInf the
 * device sends again, routes the operator sets again), and unreadable JSON is an empty record.
 */
import type { ContentType, DevInf, DevInfDataStore } from '../formats/syncml/devinf.js';
import type { DeviceInfo } from './engine-context.js';
import {
  arrayOf,
  bool,
  isPlainObject,
  num,
  optional,
  recordOf,
  shape,
  ShapeError,
  str,
  type Check,
} from './json-shape.js';
import type { DeviceRecord } from './ports.js';

/** The format of `info` this code writes. */
export const DEVICE_INFO_VERSION = 1;

const contentType: Check<ContentType> = shape<ContentType>({ type: str, version: str });

const dataStore: Check<DevInfDataStore> = shape<DevInfDataStore>({
  sourceRef: str,
  displayName: optional(str),
  maxGuidSize: optional(num),
  rxPref: optional(contentType),
  rx: arrayOf(contentType),
  txPref: optional(contentType),
  tx: arrayOf(contentType),
  syncTypes: arrayOf(num),
  ctCap: recordOf(arrayOf(str)),
});

const devInf: Check<DevInf> = shape<DevInf>({
  verDTD: str,
  man: optional(str),
  mod: optional(str),
  devId: str,
  devTyp: optional(str),
  swV: optional(str),
  utc: bool,
  supportLargeObjs: bool,
  supportNumberOfChanges: bool,
  dataStores: arrayOf(dataStore),
});

const routes: Check<Record<string, string>> = recordOf(str);

/** One part of the record, or nothing (and why) when it does not fit. */
function part<T>(check: Check<T>, value: unknown, name: string, why: string[]): T | undefined {
  if (value === undefined) return undefined;
  try {
    return check(value, name);
  } catch (err) {
    if (!(err instanceof ShapeError)) throw err;
    why.push(`${err.message}: ${name} dropped`);
    return undefined;
  }
}

/** Parse `info`; `problems` gets a line for each part dropped. */
export function parseDeviceInfo(text: string, problems: string[] = []): DeviceInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    problems.push('device info is not JSON: ignored');
    return {};
  }
  if (!isPlainObject(raw)) {
    problems.push('device info is not an object: ignored');
    return {};
  }
  if (raw.version !== undefined && raw.version !== DEVICE_INFO_VERSION) {
    problems.push(
      `device info has format version ${String(raw.version)}, this server reads ${DEVICE_INFO_VERSION}: ignored`,
    );
    return {};
  }
  const out: DeviceInfo = {};
  const d = part(devInf, raw.devinf, 'devinf', problems);
  if (d) out.devinf = d;
  const r = part(routes, raw.routes, 'routes', problems);
  if (r) out.routes = r;
  return out;
}

/** The device info of a record (empty without one), reasons for anything dropped logged. */
export function readDeviceInfo(record: DeviceRecord | null, log: (line: string) => void): DeviceInfo {
  if (!record) return {};
  const problems: string[] = [];
  const info = parseDeviceInfo(record.info, problems);
  for (const p of problems) log(`syncml: device ${record.deviceId} of user ${record.userId}: ${p}`);
  return info;
}

export function serialiseDeviceInfo(info: DeviceInfo): string {
  return JSON.stringify({ version: DEVICE_INFO_VERSION, ...info });
}
