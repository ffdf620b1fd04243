import { registerAcl } from './acl/index.js';
import { registerCaldav } from './caldav/index.js';
import { registerCarddav } from './carddav/index.js';
import { Registry } from './core/registry.js';
import { registerSchedule } from './schedule/index.js';
import { registerSharing } from './sharing/index.js';
import { registerSync } from './sync/index.js';
import { registerWebdav } from './webdav/index.js';

/**
 * A registry with everything registered: the one list of protocol modules (add one here).
 * The composition root makes one per server; nothing is shared between servers.
 */
export function createRegistry(): Registry {
  const registry = new Registry();
  registerWebdav(registry);
  registerAcl(registry);
  registerSync(registry);
  registerCaldav(registry);
  registerCarddav(registry);
  registerSchedule(registry);
  registerSharing(registry);
  return registry;
}

export type { Registry } from './core/registry.js';
export { answerForError, handleDav } from './handler.js';
export { DavError } from './core/errors.js';
export { DAV_ROOT } from './core/paths.js';
export type { DavSettings } from './core/context.js';
