import type { DavCollection } from '../dav/client.js';

/**
 * What the app last knew of the servers and their collections (not their objects: those are in
 * the IndexedDB cache), kept in localStorage so that the app opens offline with the calendars,
 * tasks and contacts of the last sync.
 */
export interface SourceLayout {
  readonly id: string;
  readonly label: string;
  readonly prefix: string;
  readonly start: string;
  readonly remote: boolean;
  readonly calendarHome?: string | undefined;
  readonly addressbookHome?: string | undefined;
}

export interface Layout {
  readonly sources: SourceLayout[];
  readonly collections: {
    readonly key: string;
    readonly sourceId: string;
    readonly dav: DavCollection;
    readonly color: string;
  }[];
}

const key = (user: string): string => `almanac.layout.${user}`;

export function loadLayout(user: string): Layout | null {
  try {
    const raw = localStorage.getItem(key(user));
    if (!raw) return null;
    const l = JSON.parse(raw) as Partial<Layout>;
    return Array.isArray(l.sources) && Array.isArray(l.collections) ? (l as Layout) : null;
  } catch {
    return null;
  }
}

export function saveLayout(user: string, layout: Layout): void {
  try {
    localStorage.setItem(key(user), JSON.stringify(layout));
  } catch {
    // full or forbidden: the app then opens offline without the last layout
  }
}

export function forgetLayout(user: string): void {
  localStorage.removeItem(key(user));
}
