/**
 * One real SyncML phone for a test: a headless SyncEvolution 2.0 client (Synthesis engine) with
 * a `file` calendar backend, configured by the recipe of ../shared/interop/syncml/README.md
 * (private HOME, `--daemon=no`, the libcurl shim of lib/syncevo-curl-fix.c). The phone's items
 * are the files of its calendar directory, one per item (file name = LUID), iCalendar 2.0 as
 * the engine stores them; `legacy` puts vCalendar 1.0 on the wire (`syncFormat=text/x-vcalendar`).
 * Every child process is spawned asynchronously: the server under test runs in this process.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const HARNESS = resolve('../shared/interop/syncml');
const SHIM_SOURCE = join(HARNESS, 'lib/syncevo-curl-fix.c');

/** Why the real client cannot run here, or undefined when it can. */
export function phoneMissing(): string | undefined {
  if (!existsSync(SHIM_SOURCE))
    return `${SHIM_SOURCE} not found (the shared interop scripts must sit beside the clone)`;
  const path = (process.env['PATH'] ?? '').split(':');
  const has = (cmd: string): boolean => path.some((d) => existsSync(join(d, cmd)));
  if (!has('syncevolution'))
    return 'SyncEvolution is not installed (apt-get install syncevolution syncevolution-libs …)';
  if (!has('gcc')) return 'gcc is needed to build the libcurl shim of the SyncEvolution harness';
  return undefined;
}

interface Run {
  readonly code: number | null;
  readonly out: string;
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

export interface PhoneOptions {
  /** The server's SyncML endpoint, e.g. http://127.0.0.1:PORT/syncml. */
  readonly url: string;
  readonly user: string;
  readonly password: string;
  readonly deviceId: string;
  /** vCalendar 1.0 on the wire instead of iCalendar 2.0. */
  readonly legacy?: boolean;
}

export class SyncEvolutionPhone {
  private constructor(
    private readonly work: string,
    private readonly shim: string,
  ) {}

  /** The directory of the phone's calendar items (one file per item). */
  get calendarDir(): string {
    return join(this.work, 'data/calendar');
  }

  private env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const home = join(this.work, 'home');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_CACHE_HOME: join(home, '.cache'),
      XDG_DATA_HOME: join(home, '.local/share'),
      XDG_RUNTIME_DIR: home,
      ...extra,
    };
    delete env['DBUS_SESSION_BUS_ADDRESS'];
    delete env['DISPLAY'];
    return env;
  }

  private async se(args: readonly string[], extra: NodeJS.ProcessEnv = {}): Promise<Run> {
    return run('syncevolution', ['--daemon=no', ...args], this.env(extra));
  }

  /** Configure a phone syncing only its calendar with the server's `calendar` datastore. */
  static async create(o: PhoneOptions): Promise<SyncEvolutionPhone> {
    const work = await mkdtemp(join(tmpdir(), 'almanac-phone-'));
    const shim = join(work, 'syncevo-curl-fix.so');
    const gcc = await run('gcc', ['-shared', '-fPIC', '-O2', '-o', shim, SHIM_SOURCE, '-ldl'], process.env);
    if (gcc.code !== 0) throw new Error(`shim build failed: ${gcc.out}`);
    const phone = new SyncEvolutionPhone(work, shim);
    await mkdir(join(work, 'home'), { recursive: true });
    await mkdir(phone.calendarDir, { recursive: true });
    const steps: string[][] = [
      [
        '--configure',
        'keyring=no',
        'backend=file',
        'databaseFormat=text/calendar',
        `database=file://${phone.calendarDir}`,
        '@client',
        'calendar',
      ],
      [
        '--configure',
        '--template',
        'SyncEvolution',
        `syncURL=${o.url}`,
        `username=${o.user}`,
        `password=${o.password}`,
        `deviceId=${o.deviceId}`,
        'enableWBXML=0',
        'preventSlowSync=0',
        'RetryInterval=0',
        'RetryDuration=60',
        'server@client',
        'calendar',
      ],
      [
        '--configure',
        'uri=calendar',
        ...(o.legacy ? ['syncFormat=text/x-vcalendar', 'forceSyncFormat=1'] : []),
        'server@client',
        'calendar',
      ],
    ];
    for (const args of steps) {
      const r = await phone.se(args);
      if (r.code !== 0) throw new Error(`syncevolution ${args.join(' ')} failed: ${r.out}`);
    }
    return phone;
  }

  /** One sync of the calendar; rejects unless SyncEvolution reports success. */
  async sync(mode = 'two-way'): Promise<string> {
    const r = await this.se(['--run', '--sync', mode, 'server@client', 'calendar'], { LD_PRELOAD: this.shim });
    if (r.code !== 0 || !r.out.includes('Synchronization successful'))
      throw new Error(`sync ${mode} failed (rc ${String(r.code)}):\n${r.out.slice(-3000)}`);
    return r.out;
  }

  /** The phone's items: file name (LUID) → text. */
  async items(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const f of (await readdir(this.calendarDir)).sort())
      out.set(f, await readFile(join(this.calendarDir, f), 'utf8'));
    return out;
  }

  /** The phone's item whose text matches `re`, with its LUID. */
  async find(re: RegExp): Promise<{ luid: string; text: string }> {
    for (const [luid, text] of await this.items()) if (re.test(text)) return { luid, text };
    throw new Error(`no item on the phone matches ${String(re)}`);
  }

  /**
   * Change an item as the phone's user would. The file backend finds changes by mtime (ns), so
   * wait past the last sync's second first (README: "wait ~1 s between a sync and an edit").
   */
  async edit(luid: string, text: string): Promise<void> {
    await new Promise((r) => setTimeout(r, 1100));
    await writeFile(join(this.calendarDir, luid), text);
  }

  async remove(luid: string): Promise<void> {
    await new Promise((r) => setTimeout(r, 1100));
    await rm(join(this.calendarDir, luid));
  }

  async close(): Promise<void> {
    await rm(this.work, { recursive: true, force: true });
  }
}
