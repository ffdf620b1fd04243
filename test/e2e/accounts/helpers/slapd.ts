/**
 * Debian's OpenLDAP server (/usr/sbin/slapd) with a private configuration in a temporary
 * directory: an mdb database for dc=example,dc=org loaded by slapadd before the start, the
 * service account cn=reader with password `reader-pw`, users and groups given by the test as
 * LDIF, listening on a free loopback port. stop() kills it and removes the directory.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, waitForListening } from '../../../helpers/tcp.js';

export const BASE = 'dc=example,dc=org';
export const READER = { dn: `cn=reader,${BASE}`, password: 'reader-pw' };

export interface Slapd {
  readonly url: string;
  stop(): Promise<void>;
}

function config(dir: string): string {
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile ${dir}/slapd.pid
database mdb
maxsize 10485760
suffix "${BASE}"
rootdn "cn=admin,${BASE}"
rootpw admin-pw
directory ${dir}/db
access to attrs=userPassword by self read by anonymous auth by * none
access to * by dn.exact="${READER.dn}" read by self read by * none
`;
}

/** The base entries, the reader and the caller's entries. */
function ldif(entries: string): string {
  return `dn: ${BASE}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=people,${BASE}
objectClass: organizationalUnit
ou: people

dn: ou=groups,${BASE}
objectClass: organizationalUnit
ou: groups

dn: ${READER.dn}
objectClass: person
cn: reader
sn: reader
userPassword: ${READER.password}

${entries.trim()}
`;
}

export async function startSlapd(entries: string): Promise<Slapd> {
  const dir = mkdtempSync(join(tmpdir(), 'almanac-slapd-'));
  mkdirSync(join(dir, 'db'));
  writeFileSync(join(dir, 'slapd.conf'), config(dir));
  writeFileSync(join(dir, 'data.ldif'), ldif(entries));
  execFileSync('/usr/sbin/slapadd', ['-q', '-f', join(dir, 'slapd.conf'), '-l', join(dir, 'data.ldif')], {
    stdio: 'pipe',
  });
  const port = await freeLoopbackPort();
  const url = `ldap://127.0.0.1:${port}`;
  const child = spawn('/usr/sbin/slapd', ['-d', '0', '-f', join(dir, 'slapd.conf'), '-h', `${url}/`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForListening(port, Date.now() + 10_000, () => child.exitCode !== null, 'slapd');
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${stderr}`, { cause: err });
  }
  return { url, stop };
}
