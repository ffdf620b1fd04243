import { refreshSession } from './api.js';
import type { AppState } from './state.js';

/** What the live dot shows: connected to the notice stream (and the network), and changes waiting. */
export interface LiveStatus {
  readonly live: boolean;
  readonly waiting: number;
}

/**
 * Live updates: the server's change notices (server-sent events fed by the change feed)
 * name a collection; the app runs sync-collection on it. After a reconnect the session is
 * renewed (the app may have opened offline), the outbox is sent, and everything is re-synced
 * once, so a notice missed while offline costs nothing. The status is true only while the
 * stream is open and the browser is online: going offline turns it off at once, without
 * waiting for the stream to notice. Other servers push nothing to us: they are synced when the
 * window regains focus, and every few minutes.
 */
export function startLive(state: AppState, onStatus: (s: LiveStatus) => void): () => void {
  let source: EventSource | undefined;
  let connected = false;
  let first = true;
  const report = (): void => onStatus({ live: connected && navigator.onLine, waiting: state.outbox.size });
  const catchUp = async (): Promise<void> => {
    await refreshSession().catch((err: unknown) => console.error(err));
    await state.flush();
    await state.syncAll();
  };
  const open = (): void => {
    source = new EventSource('/app/events');
    source.addEventListener('hello', () => {
      connected = true;
      report();
      if (!first || state.outbox.size > 0) void catchUp();
      first = false;
    });
    source.addEventListener('change', (e) => {
      const { href } = JSON.parse((e as MessageEvent<string>).data) as { href: string };
      void state.onNotice(href).catch((err: unknown) => console.error(err));
    });
    source.onerror = () => {
      connected = false;
      report();
    };
  };
  open();
  const offline = (): void => report();
  // Back online: a stream that gave up (or was never opened) is opened again; an open one
  // says hello again after its retry, which sends the outbox.
  const online = (): void => {
    report();
    if (source?.readyState === EventSource.CLOSED) open();
    void catchUp();
  };
  state.onOutbox = () => report();
  window.addEventListener('offline', offline);
  window.addEventListener('online', online);
  const focus = (): void => void state.syncAll(true);
  window.addEventListener('focus', focus);
  const timer = window.setInterval(focus, 5 * 60_000);
  report();
  return () => {
    source?.close();
    state.onOutbox = () => undefined;
    window.removeEventListener('offline', offline);
    window.removeEventListener('online', online);
    window.removeEventListener('focus', focus);
    clearInterval(timer);
  };
}
