import type { Share } from '../../store/capabilities/shares.js';

/**
 * A request addressed through a sharee's instance of a shared collection (issue #17 sharing):
 * the instance's path in the sharee's home (`/calendars/bob/<uid>`) stands for the shared
 * collection's own path (`/calendars/alice/work`). The handler runs the request on the shared
 * collection's paths and gives the answer's hrefs back under the instance (dav/sharing/mount.ts).
 */
export interface Mount {
  /** The instance's store path, as the client names it. */
  readonly instancePath: string;
  /** The share behind it: the shared collection's current path, access, per-user properties. */
  readonly share: Share;
}

/** The store path `path` (at or below the instance) names on the shared collection; other paths unchanged. */
export function realPathOf(mount: Mount, path: string): string {
  if (path === mount.instancePath) return mount.share.collectionPath;
  if (path.startsWith(`${mount.instancePath}/`))
    return mount.share.collectionPath + path.slice(mount.instancePath.length);
  return path;
}
