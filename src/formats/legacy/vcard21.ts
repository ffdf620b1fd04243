export function vcard21ToVcard30(text: string): string { return text; }
export function vcard30ToVcard21(text: string): string { return text; }
