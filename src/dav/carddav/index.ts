import type { Registry } from '../core/registry.js';

/** RFC 6352 CardDAV. */
export function registerCarddav(registry: Registry): void {
  void registry;
}
