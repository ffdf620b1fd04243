export function vcalendarToIcalendar(text: string): string { return text; }
export function icalendarToVcalendar(text: string): string { return text; }
