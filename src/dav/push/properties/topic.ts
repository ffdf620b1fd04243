import { pushTopic } from '../../../domain/push/topic.js';
import { webdavPush } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { pushCapable } from '../push-capable.js';

/** draft-bitfire-webdav-push § Push Properties: the collection's push topic, also in every push message. */
export const topic: PropertyDef = {
  name: webdavPush('topic'),
  allprop: false,
  appliesTo: pushCapable,
  get: (ctx, r) => (ctx.settings.push && r.stored ? [pushTopic(r.stored.id)] : undefined),
};
