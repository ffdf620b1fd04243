import { browserPushSettings } from '../domain/push/browser-push-settings.js';
import { alarmNotice, noticePayload, remindersIn } from '../domain/push/notice.js';
import type { Store } from '../store/store.js';
import { noticeTopic } from './replacement-topic.js';

export interface AlarmOptions {
  /** How often the calendars are read for reminders coming up. */
  readonly scanMs: number;
  /** Called when notices were queued (the delivery looks for them at once). */
  readonly queued: () => void;
}

/** Reminders due up to this far ahead of a scan get a timer; the next scan overlaps. */
const AHEAD_MS = 90_000;
/** A reminder this late (a node was down, a scan ran long) still goes out; older ones do not. */
const GRACE_MS = 5 * 60_000;
/** Events starting this far around now are read: alarms up to a week before or a day after them. */
const LEAD_MS = 7 * 24 * 3600_000;
const LAG_MS = 24 * 3600_000;
/** Bounds of one scan: users, and calendar objects read per user. */
const MAX_USERS = 10_000;
const MAX_OBJECTS_PER_USER = 5_000;
/** alarm_notices rows are kept this long after their alarm fired (to refuse a second send). */
const KEEP_NOTICES_MS = 2 * 24 * 3600_000;
/** A reminder push is useless after the event started; kept at least this long (RFC 8030 §5.2). */
const MIN_TTL_S = 600;

/**
 * Reminders as Web Push to the user's browsers (issue #18 item 4): every node reads, every
 * `scanMs`, the calendars of users with a browser subscription and reminders on, for VALARMs
 * (DISPLAY/AUDIO, RFC 5545 §3.6.6, as formats/ical/reminders.ts computes them) falling due in
 * the next AHEAD_MS, and sets a timer for each. When one fires, the node records the alarm in
 * `alarm_notices` and queues the notice in the same transaction; the row's primary key lets
 * only the first node do so, so each alarm is sent once however many nodes run.
 * Urgency high (draft-bitfire-webdav-push § Push Message's own example), TTL until the event
 * starts. Floating times are read as UTC (the server does not know the user's zone). Own
 * calendars only: a shared calendar's reminders are not pushed.
 */
export class AlarmNotifier {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private closed = false;
  private lastPrune = 0;

  constructor(
    private readonly store: Store,
    private readonly options: AlarmOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.scan(), this.options.scanMs);
    this.timer.unref();
    void this.scan();
  }

  /** One look at the calendars now (the timer calls it; tests may too). */
  scan(): Promise<void> {
    this.scanning ??= this.scanAll()
      .catch((err: Error) => {
        if (!this.closed) console.error('push: reading reminders failed:', err.message);
      })
      .finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  private async scanAll(): Promise<void> {
    const now = Date.now();
    for (const userId of await this.store.browserPushUserIds(MAX_USERS)) {
      if (this.closed) return;
      if (!(await browserPushSettings(this.store, userId)).alarms) continue;
      await this.scanUser(userId, now);
    }
    if (now - this.lastPrune > 3600_000) {
      this.lastPrune = now;
      await this.store.transaction([], (tx) => tx.pruneAlarmNotices(now - KEEP_NOTICES_MS));
    }
  }

  private async scanUser(userId: number, now: number): Promise<void> {
    const user = await this.store.getUserById(userId);
    const home = user ? await this.store.getResource(`/calendars/${user.name}`) : null;
    if (!home) return;
    let budget = MAX_OBJECTS_PER_USER;
    for (const calendar of await this.store.listChildren(home.id)) {
      if (calendar.collectionType !== 'calendar') continue;
      const objects = await this.store.queryObjects(calendar.id, { rangeStart: now - LAG_MS, rangeEnd: now + LEAD_MS });
      for (const o of objects.slice(0, budget)) {
        const text = new TextDecoder().decode(await this.store.readBody(o.id));
        if (!text.includes('VALARM')) continue;
        for (const r of remindersIn(text, now - GRACE_MS, now + AHEAD_MS)) {
          const key = `${o.id}|${r.key}`;
          if (this.timers.has(key) || this.closed) continue;
          const t = setTimeout(
            () => {
              this.timers.delete(key);
              void this.fire(userId, key, r).catch((err: Error) =>
                console.error('push: reminder failed:', err.message),
              );
            },
            Math.max(0, r.at - Date.now()),
          );
          t.unref();
          this.timers.set(key, t);
        }
      }
      budget -= objects.length;
      if (budget <= 0) return;
    }
  }

  private async fire(userId: number, key: string, r: Parameters<typeof alarmNotice>[0]): Promise<void> {
    if (this.closed) return;
    const notice = alarmNotice(r);
    const ttl = Math.max(MIN_TTL_S, Math.round(((r.time ?? r.at) - Date.now()) / 1000));
    const queued = await this.store.transaction([], async (tx) => {
      if (!(await tx.claimAlarmNotice(userId, key, r.at))) return 0;
      return tx.queueUserNotification(
        userId,
        { payload: noticePayload(notice), urgency: 'high', ttlSeconds: ttl, topic: noticeTopic(notice.tag) },
        Date.now(),
      );
    });
    if (queued > 0) this.options.queued();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.scanning;
  }
}
