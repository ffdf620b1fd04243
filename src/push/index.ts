export type { ChangeBus } from './bus.js';
export { openChangeBus } from './open-bus.js';
export { notifyingStore } from './notifying-store.js';
export { ForeignWriteBus } from './foreign-writes.js';
export { withPushScope } from './scope.js';
export { loadVapidKeys } from './vapid-keys.js';
export { DEFAULT_DELIVERY, PushDelivery } from './delivery.js';
export { AlarmNotifier } from './alarms.js';
export { prepareKeying } from './rfc8291.js';
