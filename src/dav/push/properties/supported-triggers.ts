import { el } from '../../../xml/element.js';
import { dav, webdavPush } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { pushCapable } from '../push-capable.js';

/** The deepest content-update this server announces: changes of a collection's members. */
export const CONTENT_DEPTH = '1';
/** The deepest property-update it announces: the collection's own properties. */
export const PROPERTY_DEPTH = '0';

/**
 * draft-bitfire-webdav-push § Push Properties: content updates to depth 1 (§ Content Updates: the
 * SHOULD for every Push-capable collection) and property updates of the collection itself.
 */
export const supportedTriggers: PropertyDef = {
  name: webdavPush('supported-triggers'),
  allprop: false,
  appliesTo: pushCapable,
  get: (ctx) =>
    ctx.settings.push
      ? [
          el(webdavPush('content-update'), {}, el(dav('depth'), {}, CONTENT_DEPTH)),
          el(webdavPush('property-update'), {}, el(dav('depth'), {}, PROPERTY_DEPTH)),
        ]
      : undefined,
};
