export { LocalBus, type ChangeBus } from './bus.js';
export { PgBus } from './pg-bus.js';
export { notifyingStore } from './notifying-store.js';
export { ForeignWriteBus } from './foreign-writes.js';
export { withPushScope } from './scope.js';
export { loadVapidKeys } from './vapid-keys.js';
export { DEFAULT_DELIVERY, PushDelivery } from './delivery.js';
export { AlarmNotifier } from './alarms.js';
