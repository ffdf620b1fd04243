/**
 * --server-edit-cmd hook for ../shared/interop/syncml/run-syncevolution-client.sh against Almanac:
 * server-side changes made through CardDAV/CalDAV (not the store), so they travel DAV → phone.
 * Mirrors the user's default address book and calendar into a temp directory laid out like a
 * SyncEvolution file backend, lets the shared pimtool apply the specs there, then replays the
 * differences as PUT/DELETE. Prints the applied specs (one per line), as the hook must.
 * Usage: node dav-edit.js BASE_URL USER PASSWORD RUNTAG
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SPECS = [
  'contacts:modify:30:NOTE=modified on server',
  'contacts:delete:31',
  'contacts:add:90',
  'events:modify:30:LOCATION=Server room',
  'events:delete:31',
  'events:add:90',
];

async function main(): Promise<void> {
  const [base, user, password, run] = process.argv.slice(2);
  if (!base || !user || !password || !run) throw new Error('usage: dav-edit.js BASE_URL USER PASSWORD RUNTAG');
  const auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const req = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(new URL(path, base), {
      ...init,
      headers: { Authorization: auth, ...(init.headers as Record<string, string> | undefined) },
    });
  const dirs = { addressbook: `/dav/addressbooks/${user}/default/`, calendar: `/dav/calendars/${user}/default/` };
  const work = mkdtempSync(join(tmpdir(), 'almanac-dav-edit-'));
  const original = new Map<string, string>();
  try {
    for (const [sub, href] of Object.entries(dirs)) {
      mkdirSync(join(work, sub));
      const r = await req(href, {
        method: 'PROPFIND',
        headers: { Depth: '1', 'Content-Type': 'application/xml' },
        body: '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>',
      });
      const xml = await r.text();
      for (const m of xml.matchAll(/<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/g)) {
        const h = m[1] as string;
        if (h.endsWith('/')) continue;
        const name = decodeURIComponent(h.slice(h.lastIndexOf('/') + 1));
        const body = await (await req(h)).text();
        writeFileSync(join(work, sub, name), body);
        original.set(`${sub}/${name}`, body);
      }
    }
    // Tasks live in the calendar collection; pimtool edits events only here.
    mkdirSync(join(work, 'todo'));
    const pimtool = resolve(process.cwd(), '../shared/interop/syncml/lib/pimtool.py');
    execFileSync('python3', [pimtool, 'edit', work, run, ...SPECS], { stdio: ['ignore', 'ignore', 'inherit'] });
    for (const [sub, href] of Object.entries(dirs)) {
      const now = new Set(readdirSync(join(work, sub)));
      for (const [key, body] of original) {
        if (!key.startsWith(`${sub}/`)) continue;
        const name = key.slice(sub.length + 1);
        if (!now.has(name))
          await check(await req(href + encodeURIComponent(name), { method: 'DELETE' }), `DELETE ${name}`);
        else {
          const text = readFileSync(join(work, sub, name), 'utf8');
          if (text !== body)
            await check(
              await req(href + encodeURIComponent(name), {
                method: 'PUT',
                headers: { 'Content-Type': contentType(sub) },
                body: text,
              }),
              `PUT ${name}`,
            );
        }
      }
      for (const name of now) {
        if (original.has(`${sub}/${name}`)) continue;
        const text = readFileSync(join(work, sub, name), 'utf8');
        const target = `${name.replace(/[^A-Za-z0-9._-]/g, '_')}${name.endsWith(sub === 'addressbook' ? '.vcf' : '.ics') ? '' : sub === 'addressbook' ? '.vcf' : '.ics'}`;
        await check(
          await req(href + target, {
            method: 'PUT',
            headers: { 'Content-Type': contentType(sub), 'If-None-Match': '*' },
            body: text,
          }),
          `PUT new ${name}`,
        );
      }
    }
    for (const s of SPECS) process.stdout.write(`${s}\n`);
  } finally {
    if (existsSync(work)) rmSync(work, { recursive: true, force: true });
  }
}

function contentType(sub: string): string {
  return sub === 'addressbook' ? 'text/vcard; charset=utf-8' : 'text/calendar; charset=utf-8';
}

async function check(r: Response, what: string): Promise<void> {
  if (r.status >= 300) throw new Error(`${what}: HTTP ${r.status} ${await r.text()}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`dav-edit: ${(err as Error).message}\n`);
  process.exit(1);
});
