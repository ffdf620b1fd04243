/** Scheduling (RFC 6638, issue #16): what other parts of the server use. The write path calls implicit.ts itself. */
export { claimOutboundItip, markOutboundItip } from './outbound.js';
export { receiveExternalItip } from './receive-external.js';
export { autoProcessEnabled, setAutoProcess } from './auto-process.js';
