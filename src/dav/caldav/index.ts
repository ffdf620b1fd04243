import type { Registry } from '../core/registry.js';

/** RFC 4791 CalDAV (and its companions). */
export function registerCaldav(registry: Registry): void {
  void registry;
}
