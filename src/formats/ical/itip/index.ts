/** iTIP (RFC 5546) as RFC 6638 implicit scheduling needs it: pure functions over parsed iCalendar. */
export { applyCancel, applyRequest } from './attendee-copy.js';
export { applyReply } from './apply-reply.js';
export { planOrganizer, setScheduleStatus } from './organizer.js';
export { planReply } from './reply.js';
export { components, findAttendeeIn, normalizeAddress, organizerOf, parseItip, uidOf } from './scheduling-object.js';
export { mergeOthersAttendees } from './merge-attendees.js';
export { freeBusyReply, parseFreeBusyRequest, type FreeBusyRequest } from './free-busy-request.js';
