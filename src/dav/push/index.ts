import type { Registry } from '../core/registry.js';
import { pushRegisterMethod } from './methods/push-register.js';
import { supportedTriggers } from './properties/supported-triggers.js';
import { topic } from './properties/topic.js';
import { transports } from './properties/transports.js';

/**
 * WebDAV-Push (draft-bitfire-webdav-push): the `webdav-push` compliance class (§ Service
 * Detection), its three properties and push-register by POST. Delivery is src/push/'s.
 */
export function registerPush(registry: Registry): void {
  registry.compliance.push('webdav-push');
  for (const p of [transports, topic, supportedTriggers]) registry.property(p);
  registry.method(pushRegisterMethod);
}
