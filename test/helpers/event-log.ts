/** A browser's event stream (the web app's /app/events, HTML §9.2 server-sent events), read in a test. */
import assert from 'node:assert/strict';

/** The server-sent events of one stream as they arrive. */
export class EventLog {
  readonly events: { event: string; data: string; at: number }[] = [];
  private readonly ctrl = new AbortController();

  static async open(base: string, cookie: string): Promise<EventLog> {
    const log = new EventLog();
    const res = await fetch(`${base}/app/events`, { headers: { Cookie: cookie }, signal: log.ctrl.signal });
    assert.equal(res.status, 200);
    void log.read(res.body!.getReader());
    await log.waitFor((e) => e.event === 'hello', 5000);
    return log;
  }

  private async read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          if (event) this.events.push({ event, data: /^data: (.*)$/m.exec(block)?.[1] ?? '', at: Date.now() });
        }
      }
    } catch {
      // aborted
    }
  }

  async waitFor(
    want: (e: { event: string; data: string }) => boolean,
    ms: number,
  ): Promise<{ event: string; data: string; at: number }> {
    const end = Date.now() + ms;
    for (;;) {
      const hit = this.events.find(want);
      if (hit) return hit;
      if (Date.now() > end) assert.fail(`no matching event within ${ms} ms; got ${JSON.stringify(this.events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.ctrl.abort();
  }
}
