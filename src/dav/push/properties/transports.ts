import { el } from '../../../xml/element.js';
import { webdavPush } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { pushCapable } from '../push-capable.js';

/**
 * draft-bitfire-webdav-push § Push Properties, § VAPID: the transports this server pushes over —
 * Web Push, with the VAPID public key (`type="p256ecdsa"`) a client must create its restricted
 * subscription with. DAVx5 reads it from the Depth-1 PROPFIND of a home, never from OPTIONS.
 */
export const transports: PropertyDef = {
  name: webdavPush('transports'),
  allprop: false,
  appliesTo: pushCapable,
  get: (ctx) => {
    const key = ctx.settings.push?.vapidPublicKey;
    if (key === undefined) return undefined;
    return [el(webdavPush('web-push'), {}, el(webdavPush('vapid-public-key'), { type: 'p256ecdsa' }, key))];
  },
};
