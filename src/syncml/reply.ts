/**
 * The server's next message: SyncHdr, Statuses, then commands, with CmdIDs counted per message
 * (RepPro 1.2 §5.1.8) and the encoded size tracked against the client's MaxMsgSize (digest §10).
 */
import { createBuilder, versionStrings } from '../formats/syncml/build.js';
import { encodeTree, messageTree } from '../formats/syncml/codec.js';
import type { Command, Item, Meta, SyncmlMessage, StatusCmd, StatusCode } from '../formats/syncml/model.js';
import type { SessionState } from './session.js';

type Draft<T> = T extends unknown ? Omit<T, 'cmdId'> : never;

export class Reply {
  private nextId = 1;
  readonly statuses: StatusCmd[] = [];
  readonly commands: Command[] = [];
  private readonly builder;

  constructor(
    private readonly s: SessionState,
    private readonly incoming: SyncmlMessage,
    readonly respUri: string | undefined,
    private readonly maxObjSize?: number,
  ) {
    this.builder = createBuilder(s.version);
  }

  id(): string {
    return String(this.nextId++);
  }

  /** A Status for a command of the incoming message; the code comes from the STATUS table. */
  status(
    cmd: { cmdId: string; kind?: string; name?: string },
    code: StatusCode,
    extra: {
      targetRef?: string | undefined;
      sourceRef?: string | undefined;
      chal?: Meta;
      items?: Item[];
      cmdName?: string;
    } = {},
  ): void {
    this.statuses.push({
      kind: 'Status',
      cmdId: this.id(),
      msgRef: this.incoming.hdr.msgId,
      cmdRef: cmd.cmdId,
      cmd: extra.cmdName ?? cmd.kind ?? cmd.name ?? '',
      targetRefs: extra.targetRef ? [extra.targetRef] : [],
      sourceRefs: extra.sourceRef ? [extra.sourceRef] : [],
      data: code,
      items: extra.items ?? [],
      ...(extra.chal ? { chal: extra.chal } : {}),
    });
  }

  add<C extends Command>(cmd: Draft<C>): C {
    const full = { ...cmd, cmdId: this.id() } as unknown as C;
    this.commands.push(full);
    return full;
  }

  message(final: boolean): SyncmlMessage {
    const { verDTD, verProto } = versionStrings(this.s.version);
    return {
      version: this.s.version,
      final,
      hdr: {
        verDTD,
        verProto,
        sessionId: this.s.sessionId,
        msgId: String(this.s.serverMsgId),
        target: { locURI: this.s.deviceId },
        source: { locURI: this.s.serverUri },
        ...(this.respUri !== undefined ? { respURI: this.respUri } : {}),
        // MetInf 1.2 §5.2: what the server takes at most (digest §9).
        ...(this.maxObjSize !== undefined ? { meta: { maxObjSize: this.maxObjSize } } : {}),
      },
      commands: [...this.statuses, ...this.commands],
    };
  }

  /** Encoded size of the message as it stands (with Final). */
  size(): number {
    return encodeTree(messageTree(this.message(true)), this.s.version, this.s.encoding).byteLength;
  }

  /** Encoded size of one command on its own (an estimate of what it adds to the message). */
  commandSize(cmd: Command): number {
    const tree = this.builder.command(cmd);
    return encodeTree(tree, this.s.version, this.s.encoding).byteLength;
  }

  encode(final: boolean): Uint8Array {
    return encodeTree(messageTree(this.message(final)), this.s.version, this.s.encoding);
  }
}
