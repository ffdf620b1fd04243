/**
 * Cyrus IMAP (Debian's cyrus-imapd + cyrus-caldav) as a peer: a private imapd.conf and
 * cyrus.conf in a temp folder, an http service (CalDAV + CardDAV) on a free 127.0.0.1 port, the
 * bench user in a private sasldb (saslpasswd2 -f), and IMAP only on a unix socket, for the one
 * login that creates the user's INBOX (Cyrus then makes the DAV homes on their first request).
 *
 * Cyrus's httpd leaves Nagle's algorithm on and has no option for TCP_NODELAY; the `nodelay`
 * variant runs it with an LD_PRELOAD shim (compiled with gcc on first use) that sets TCP_NODELAY
 * on every TCP socket accept()/accept4() returns. The second variant runs on the data the
 * first put there (its master restarted on the same folder), so it has no PUT figures.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BENCH_PASSWORD,
  BENCH_USER,
  dirBytes,
  freePort,
  processMembers,
  tail,
  track,
  waitListening,
} from './servers.js';
import type { Running } from './servers.js';

const BIN = '/usr/lib/cyrus/bin';
const SASLPASSWD = '/usr/sbin/saslpasswd2';
/** The SASL realm: Cyrus passes its servername to SASL, so the sasldb user is bench@REALM. */
const REALM = 'almanac-bench';

/** Why Cyrus cannot run here, or null when it can. */
export function cyrusMissing(): string | null {
  for (const f of [join(BIN, 'master'), join(BIN, 'httpd'), join(BIN, 'imapd'), SASLPASSWD])
    if (!existsSync(f)) return `${f} not found (Debian packages cyrus-imapd, cyrus-caldav, sasl2-bin)`;
  if (process.getuid?.() !== 0) return 'Cyrus master must be started as root (it drops to the cyrus user)';
  if (spawnSync('id', ['cyrus']).status !== 0) return 'no cyrus user';
  return null;
}

const SHIM = `#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
static void nodelay(int fd) {
  struct sockaddr_storage ss; socklen_t len = sizeof ss; int one = 1;
  if (fd >= 0 && getsockname(fd, (struct sockaddr *)&ss, &len) == 0 &&
      (ss.ss_family == AF_INET || ss.ss_family == AF_INET6))
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}
int accept(int s, struct sockaddr *a, socklen_t *l) {
  static int (*real)(int, struct sockaddr *, socklen_t *);
  if (!real) real = dlsym(RTLD_NEXT, "accept");
  int fd = real(s, a, l); nodelay(fd); return fd;
}
int accept4(int s, struct sockaddr *a, socklen_t *l, int flags) {
  static int (*real)(int, struct sockaddr *, socklen_t *, int);
  if (!real) real = dlsym(RTLD_NEXT, "accept4");
  int fd = real(s, a, l, flags); nodelay(fd); return fd;
}
`;

/** Compile the TCP_NODELAY shim into `dir`; its path. */
function buildShim(dir: string): string {
  const src = join(dir, 'nodelay.c');
  const so = join(dir, 'nodelay.so');
  writeFileSync(src, SHIM);
  const r = spawnSync('gcc', ['-shared', '-fPIC', '-O2', '-o', so, src, '-ldl'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gcc could not build the TCP_NODELAY shim: ${r.stderr}`);
  chmodSync(so, 0o755);
  return so;
}

/** One IMAP LOGIN (then LOGOUT) over the unix socket: Cyrus creates the user's INBOX. */
function imapLogin(socket: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = createConnection(socket);
    let buf = '';
    let step = 0;
    const timer = setTimeout(
      () => (c.destroy(), reject(new Error(`IMAP login: no answer (${buf.slice(0, 200)})`))),
      20_000,
    );
    c.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      if (step === 0 && /^\* OK/m.test(buf)) {
        step = 1;
        c.write(`a LOGIN ${BENCH_USER} "${BENCH_PASSWORD}"\r\n`);
      } else if (step === 1 && /^a (OK|NO|BAD)/m.test(buf)) {
        if (!/^a OK/m.test(buf)) {
          clearTimeout(timer);
          c.destroy();
          reject(new Error(`IMAP login refused: ${buf.slice(-200)}`));
          return;
        }
        step = 2;
        c.write('b LOGOUT\r\n');
      }
    });
    c.on('error', (e) => (clearTimeout(timer), reject(e)));
    c.on('close', () => (clearTimeout(timer), step === 2 ? resolve() : reject(new Error(`IMAP: ${buf.slice(-200)}`))));
  });
}

/** A Cyrus folder: configuration, sasldb and (once populated) the data; removed by remove(). */
export interface CyrusHome {
  readonly dir: string;
  readonly port: number;
  remove(): void;
}

export async function cyrusHome(): Promise<CyrusHome> {
  const dir = mkdtempSync(join(tmpdir(), 'cyrus-bench-'));
  chmodSync(dir, 0o755);
  for (const d of ['conf', 'part', 'run/proc', 'run/lock', 'run/socket', 'sieve'])
    mkdirSync(join(dir, d), { recursive: true });
  const port = await freePort();
  const conf = join(dir, 'imapd.conf');
  writeFileSync(
    conf,
    [
      `configdirectory: ${dir}/conf`,
      'defaultpartition: default',
      `partition-default: ${dir}/part`,
      `proc_path: ${dir}/run/proc`,
      `mboxname_lockpath: ${dir}/run/lock`,
      `lmtpsocket: ${dir}/run/socket/lmtp`,
      `idlesocket: ${dir}/run/socket/idle`,
      `notifysocket: ${dir}/run/socket/notify`,
      `sievedir: ${dir}/sieve`,
      `servername: ${REALM}`,
      'allowplaintext: yes',
      'sasl_pwcheck_method: auxprop',
      'sasl_auxprop_plugin: sasldb',
      `sasl_sasldb_path: ${dir}/sasldb2`,
      'sasl_mech_list: PLAIN LOGIN',
      'autocreate_quota: 0',
      'httpmodules: caldav carddav',
      'httpallowcompress: no',
      'syslog_prefix: cyrus-bench',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'cyrus.conf'),
    [
      'START {',
      `  recover cmd="ctl_cyrusdb -r -C ${conf}"`,
      '}',
      'SERVICES {',
      `  imap cmd="imapd -C ${conf}" listen="${dir}/run/socket/imap" prefork=0`,
      `  http cmd="httpd -C ${conf}" listen="127.0.0.1:${port}" prefork=8`,
      '}',
      'EVENTS {',
      '}',
      '',
    ].join('\n'),
  );
  const pw = spawnSync(SASLPASSWD, ['-p', '-c', '-f', join(dir, 'sasldb2'), '-u', REALM, BENCH_USER], {
    input: BENCH_PASSWORD,
    encoding: 'utf8',
  });
  if (pw.status !== 0) throw new Error(`saslpasswd2 failed: ${pw.stderr}`);
  return { dir, port, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Start Cyrus's master on a home; the first start also creates the user's INBOX and DAV homes. */
export async function startCyrus(home: CyrusHome, nodelay: boolean): Promise<Running> {
  const { dir, port } = home;
  const conf = join(dir, 'imapd.conf');
  const populated = existsSync(join(dir, 'populated'));
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  if (nodelay) env.LD_PRELOAD = buildShim(dir);
  spawnSync('chown', ['-R', 'cyrus:mail', dir]);
  const logFile = join(dir, 'master.log');
  const fd = openSync(logFile, 'a');
  const child = track(
    spawn(join(BIN, 'master'), ['-D', '-C', conf, '-M', join(dir, 'cyrus.conf'), '-p', join(dir, 'master.pid')], {
      stdio: ['ignore', fd, fd],
      cwd: dir,
      env,
    }),
  );
  closeSync(fd);
  const url = `http://127.0.0.1:${port}`;
  const members = processMembers(child, dir, () => tail(logFile), { tree: true, keepDir: true });
  try {
    await waitListening(url, child, () => tail(logFile));
    if (populated) return cyrusRunning(nodelay, url, child.pid!, dir, members, true);
    await imapLogin(join(dir, 'run', 'socket', 'imap'));
    // The first DAV request of the user creates the calendar and address book homes.
    for (const home of ['calendars', 'addressbooks']) {
      const res = await fetch(`${url}/dav/${home}/user/${BENCH_USER}/`, {
        method: 'PROPFIND',
        headers: {
          Depth: '1',
          Authorization: `Basic ${Buffer.from(`${BENCH_USER}:${BENCH_PASSWORD}`).toString('base64')}`,
        },
      });
      await res.arrayBuffer();
      if (res.status !== 207) throw new Error(`Cyrus ${home} home: HTTP ${res.status}`);
    }
  } catch (err) {
    await members.stop();
    throw err;
  }
  writeFileSync(join(dir, 'populated'), '');
  return cyrusRunning(nodelay, url, child.pid!, dir, members, false);
}

function cyrusRunning(
  nodelay: boolean,
  url: string,
  pid: number,
  dir: string,
  members: ReturnType<typeof processMembers>,
  populated: boolean,
): Running {
  return {
    name: nodelay ? 'cyrus-nodelay' : 'cyrus',
    url,
    pid,
    populated,
    calendar: `/dav/calendars/user/${BENCH_USER}/Default/`,
    addressbook: `/dav/addressbooks/user/${BENCH_USER}/Default/`,
    async dataBytes() {
      return dirBytes(join(dir, 'part')) + dirBytes(join(dir, 'conf'));
    },
    ...members,
  };
}
