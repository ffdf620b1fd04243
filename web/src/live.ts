import type { AppState } from './state.js';

/**
 * Live updates: the server's change notices (server-sent events fed by the change feed)
 * name a collection; the app runs sync-collection on it. After a reconnect everything is
 * re-synced once, so a notice missed while offline costs nothing. Other servers push
 * nothing to us: they are synced when the window regains focus, and every few minutes.
 */
export function startLive(state: AppState, onStatus: (live: boolean) => void): () => void {
  let source: EventSource | undefined;
  let first = true;
  const open = (): void => {
    source = new EventSource('/app/events');
    source.addEventListener('hello', () => {
      onStatus(true);
      if (!first) void state.syncAll();
      first = false;
    });
    source.addEventListener('change', (e) => {
      const { href } = JSON.parse((e as MessageEvent<string>).data) as { href: string };
      void state.onNotice(href).catch((err: unknown) => console.error(err));
    });
    source.onerror = () => onStatus(false);
  };
  open();
  const focus = (): void => void state.syncAll(true);
  window.addEventListener('focus', focus);
  const timer = window.setInterval(focus, 5 * 60_000);
  return () => {
    source?.close();
    window.removeEventListener('focus', focus);
    clearInterval(timer);
  };
}
