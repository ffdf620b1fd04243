export { LocalBus, noticeFor, type ChangeBus, type ChangeNotice, type NoticeListener } from './bus.js';
export { PgBus, CHANNEL } from './pg-bus.js';
export { notifyingStore } from './notifying-store.js';
export { ForeignWriteBus, FOREIGN_POLL_MS } from './foreign-writes.js';
