/**
 * vCalendar 1.0 recurrence rules (vCalendar 1.0 §3.7.3 "Recurrence Rule" grammar; digest §14)
 * ⇄ iCalendar RRULE (RFC 5545 §3.3.10): `D1 #5`, `W1 MO TU 20270201T110000Z`, `MD1 15 #0`,
 * `MP1 1+ MO #0`, `YM1 6 #0`, `YD1 100 #0`. `#0` is forever; with no duration the default is #2.
 */

const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** vCal 1.0 rule → iCal RRULE value; null when it cannot be read. `dateOnly`: DTSTART is a DATE. */
export function rrule10To20(rule: string, dateOnly = false): string | null {
  const tokens = rule.trim().split(/\s+/);
  const head = /^(D|W|MD|MP|YM|YD)(\d+)$/.exec(tokens.shift() ?? '');
  if (!head) return null;
  const [, freqCode, interval] = head as unknown as [string, string, string];
  const freq = { D: 'DAILY', W: 'WEEKLY', MD: 'MONTHLY', MP: 'MONTHLY', YM: 'YEARLY', YD: 'YEARLY' }[freqCode as 'D'];
  const parts = [`FREQ=${freq}`];
  if (interval !== '1') parts.push(`INTERVAL=${interval}`);
  let end: string | null = '#2';
  const mods: string[] = [];
  for (const t of tokens) {
    if (/^#\d+$/.test(t) || /^\d{8}(T\d{6}Z?)?$/.test(t)) end = t;
    else mods.push(t);
  }
  if (freqCode === 'W' && mods.length > 0) parts.push(`BYDAY=${mods.filter((m) => DAYS.includes(m)).join(',')}`);
  if (freqCode === 'MD' && mods.length > 0)
    parts.push(
      `BYMONTHDAY=${mods.map((m) => (m.endsWith('-') ? `-${m.slice(0, -1)}` : m.replace('+', ''))).join(',')}`,
    );
  if (freqCode === 'MP') {
    const byday: string[] = [];
    let ord = '';
    for (const m of mods) {
      if (/^\d[+-]$/.test(m)) ord = m.endsWith('-') ? `-${m[0]}` : (m[0] as string);
      else if (DAYS.includes(m)) byday.push(`${ord}${m}`);
    }
    if (byday.length > 0) parts.push(`BYDAY=${byday.join(',')}`);
  }
  if (freqCode === 'YM' && mods.length > 0) parts.push(`BYMONTH=${mods.join(',')}`);
  if (freqCode === 'YD' && mods.length > 0) parts.push(`BYYEARDAY=${mods.join(',')}`);
  if (end.startsWith('#')) {
    const n = Number(end.slice(1));
    if (n > 0) parts.push(`COUNT=${n}`);
  } else parts.push(`UNTIL=${dateOnly ? end.slice(0, 8) : end}`);
  return parts.join(';');
}

/** iCal RRULE value → vCal 1.0 rule; null when it has no 1.0 form. `untilUtc` formats UNTIL. */
export function rrule20To10(value: string, startMonth: number, untilUtc: (u: string) => string): string | null {
  const p = new Map(value.split(';').map((kv) => kv.split('=') as [string, string]));
  const interval = p.get('INTERVAL') ?? '1';
  const byday = (p.get('BYDAY') ?? '').split(',').filter(Boolean);
  let head: string;
  let mods: string[] = [];
  switch (p.get('FREQ')) {
    case 'DAILY':
      head = `D${interval}`;
      break;
    case 'WEEKLY':
      head = `W${interval}`;
      mods = byday;
      break;
    case 'MONTHLY':
      if (byday.length > 0) {
        head = `MP${interval}`;
        for (const d of byday) {
          const m = /^([+-]?\d)?([A-Z]{2})$/.exec(d);
          if (!m) return null;
          const n = m[1] ?? '1';
          mods.push(n.startsWith('-') ? `${n.slice(1)}-` : `${n.replace('+', '')}+`, m[2] as string);
        }
      } else {
        head = `MD${interval}`;
        mods = (p.get('BYMONTHDAY') ?? '')
          .split(',')
          .filter(Boolean)
          .map((d) => (d.startsWith('-') ? `${d.slice(1)}-` : d));
      }
      break;
    case 'YEARLY':
      if (p.get('BYYEARDAY')) {
        head = `YD${interval}`;
        mods = (p.get('BYYEARDAY') as string).split(',');
      } else {
        head = `YM${interval}`;
        mods = (p.get('BYMONTH') ?? String(startMonth)).split(',');
      }
      break;
    default:
      return null;
  }
  const end = p.get('COUNT') ? `#${p.get('COUNT')}` : p.get('UNTIL') ? untilUtc(p.get('UNTIL') as string) : '#0';
  return [head, ...mods, end].join(' ');
}
