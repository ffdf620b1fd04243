/** Drives one SyncML device session against a SyncmlServer over a real store (XML encoding). */
import { decodeMessage, encodeMessage } from '../../src/formats/syncml/codec.js';
import type { Command, Item, ItemCmd, Meta, SyncmlMessage } from '../../src/formats/syncml/model.js';
import { DEVINF_XML } from '../../src/formats/syncml/model.js';
import { NS_DEVINF } from '../../src/formats/wbxml/tables.js';
import { el, type Element } from '../../src/formats/wbxml/tree.js';
import { syncmlPorts } from '../../src/domain/syncml/index.js';
import { SyncItemError } from '../../src/domain/syncml/ports.js';
import { SyncmlServer, type SyncmlServerOptions } from '../../src/syncml/server.js';
import type { Store } from '../../src/store/store.js';

const ENDPOINT = 'http://test/syncml';
export const ICAL = (uid: string, extra = '', comp = 'VEVENT', start = '20270101T100000Z'): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    `BEGIN:${comp}`,
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    `DTSTART:${start}`,
    'SUMMARY:test',
    ...(extra ? [extra] : []),
    `END:${comp}`,
    'END:VCALENDAR',
    '',
  ].join('\r\n');

export function makeServer(store: Store, extra: Partial<SyncmlServerOptions> & { logs?: string[] } = {}): SyncmlServer {
  const logs = extra.logs;
  return new SyncmlServer({ ...syncmlPorts(store), log: (l) => logs?.push(l), ...extra });
}

/** A client DevInf with one calendar datastore `./cal`. */
export function clientDevInf(devId: string, maxGuidSize?: number): Element {
  const n = NS_DEVINF;
  const ct = (name: string): Element => el(n, name, el(n, 'CTType', 'text/calendar'), el(n, 'VerCT', '2.0'));
  return el(
    n,
    'DevInf',
    el(n, 'VerDTD', '1.2'),
    el(n, 'Man', 'Test'),
    el(n, 'DevID', devId),
    el(n, 'DevTyp', 'phone'),
    el(
      n,
      'DataStore',
      el(n, 'SourceRef', './cal'),
      ...(maxGuidSize !== undefined ? [el(n, 'MaxGUIDSize', String(maxGuidSize))] : []),
      ct('Rx-Pref'),
      ct('Tx-Pref'),
      el(n, 'SyncCap', el(n, 'SyncType', '1'), el(n, 'SyncType', '2')),
    ),
  );
}

export class Device {
  private msgId = 0;
  private token: string | null = null;
  constructor(
    public server: SyncmlServer,
    readonly devId: string,
    readonly sessionId: string,
    private readonly hdrMeta?: Meta,
  ) {}

  /** The RespURI secret of the current session (the kv key of the stored session). */
  get sessionToken(): string | null {
    return this.token;
  }

  async send(commands: Command[], final = true, withCred = false): Promise<SyncmlMessage> {
    this.msgId += 1;
    const msg: SyncmlMessage = {
      version: '1.2',
      final,
      commands,
      hdr: {
        verDTD: '1.2',
        verProto: 'SyncML/1.2',
        sessionId: this.sessionId,
        msgId: String(this.msgId),
        target: { locURI: ENDPOINT },
        source: { locURI: this.devId },
        ...(withCred
          ? {
              cred: {
                meta: { type: 'syncml:auth-basic', format: 'b64' },
                data: Buffer.from('alice:alice-pw').toString('base64'),
              },
            }
          : {}),
        ...(this.hdrMeta ? { meta: this.hdrMeta } : {}),
      },
    };
    const r = await this.server.handle({
      body: encodeMessage(msg, 'xml'),
      contentType: 'application/vnd.syncml+xml',
      endpoint: ENDPOINT,
      token: this.token,
      authorization: undefined,
    });
    const reply = decodeMessage(r.body, 'xml');
    const sid = reply.hdr.respURI ? new URL(reply.hdr.respURI).searchParams.get('sid') : null;
    if (sid) this.token = sid;
    return reply;
  }

  /** Package 1: DevInf, Alert for `calendar` with anchors. */
  pkg1(devinf: Element | null, last: string | undefined, next: string, alertMeta: Meta = {}): Promise<SyncmlMessage> {
    const cmds: Command[] = [];
    if (devinf)
      cmds.push({
        kind: 'Put',
        cmdId: '1',
        meta: { type: DEVINF_XML },
        items: [{ source: { locURI: './devinf12' }, data: devinf }],
      });
    cmds.push({
      kind: 'Alert',
      cmdId: '2',
      data: 200,
      items: [
        {
          target: { locURI: 'calendar' },
          source: { locURI: './cal' },
          meta: { ...alertMeta, anchor: { ...(last ? { last } : {}), next } },
        },
      ],
    });
    return this.send(cmds, true, true);
  }

  /** Package 3: one Sync of `calendar` with these item commands. */
  pkg3(items: Omit<ItemCmd, 'cmdId'>[]): Promise<SyncmlMessage> {
    return this.send([
      {
        kind: 'Sync',
        cmdId: '1',
        target: { locURI: 'calendar' },
        source: { locURI: './cal' },
        commands: items.map((c, i) => ({ ...c, cmdId: String(i + 2) }) as ItemCmd),
      },
    ]);
  }

  /** Package 5: Map of server GUIDs (as sent) to LUIDs. */
  pkg5(map: [string, string][]): Promise<SyncmlMessage> {
    return this.send(
      map.length === 0
        ? []
        : [
            {
              kind: 'Map',
              cmdId: '1',
              target: { locURI: 'calendar' },
              source: { locURI: './cal' },
              mapItems: map.map(([target, source]) => ({ target, source })),
            },
          ],
    );
  }
}

export function serverItems(reply: SyncmlMessage): { kind: string; item: Item }[] {
  const out: { kind: string; item: Item }[] = [];
  for (const c of reply.commands)
    if (c.kind === 'Sync') for (const ic of c.commands) for (const item of ic.items) out.push({ kind: ic.kind, item });
  return out;
}

export function itemStatuses(reply: SyncmlMessage, cmd: string): number[] {
  return reply.commands
    .filter((c) => c.kind === 'Status' && c.cmd === cmd)
    .map((c) => (c.kind === 'Status' ? c.data : 0));
}

export const dataText = (item: Item): string =>
  typeof item.data === 'string'
    ? item.data
    : item.data instanceof Uint8Array
      ? new TextDecoder().decode(item.data)
      : '';

/** The SyncML status an item operation ended with: 0 for success, else its SyncItemError status. */
export async function itemStatus(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 0;
  } catch (err) {
    if (!(err instanceof SyncItemError)) throw err;
    return err.status;
  }
}
