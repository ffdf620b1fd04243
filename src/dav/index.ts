import { registerAcl } from './acl/index.js';
import { registerCaldav } from './caldav/index.js';
import { registerCarddav } from './carddav/index.js';
import { registry } from './core/registry.js';
import { registerSync } from './sync/index.js';
import { registerWebdav } from './webdav/index.js';

/** The one list of everything registered. Add a protocol module here. */
let done = false;
export function registerAll(): typeof registry {
  if (done) return registry;
  done = true;
  registerWebdav(registry);
  registerAcl(registry);
  registerSync(registry);
  registerCaldav(registry);
  registerCarddav(registry);
  return registry;
}

export { answerForError, handleDav, type DavRequestInput } from './handler.js';
export { DavError } from './core/errors.js';
export { DAV_ROOT } from './core/paths.js';
export type { DavSettings } from './core/context.js';
