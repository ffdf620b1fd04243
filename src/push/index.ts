export { LocalBus, type ChangeBus } from './bus.js';
export { PgBus } from './pg-bus.js';
export { notifyingStore } from './notifying-store.js';
export { ForeignWriteBus } from './foreign-writes.js';
