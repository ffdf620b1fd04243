/**
 * vdirsyncer (Debian's package) syncing a local .vcf directory with an address book both ways
 * until they converge — uploads, downloads, edits and deletes on either side — as steps against
 * any base URL (one server: vdirsyncer-two-way.test.ts; a cluster's balancer: test/e2e/cluster/).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { davFetch } from '../../helpers/server.js';
import { stepList, type Step } from '../../helpers/steps.js';
import { runVdirsyncer } from '../../helpers/vdirsyncer.js';

const BOOK = '/dav/addressbooks/alice/default/';

const vcard = (uid: string, fn: string, version = '3.0') =>
  `BEGIN:VCARD\r\nVERSION:${version}\r\nFN:${fn}\r\nN:${fn};;;;\r\nUID:${uid}\r\nEND:VCARD\r\n`;

/** The steps, in order (the first configures and discovers); close() removes the local files. */
export function vdirsyncerContactSteps(base: () => string): { steps: Step[]; close(): void } {
  const { steps, step } = stepList();
  const dir = mkdtempSync(join(tmpdir(), 'almanac-vdirsyncer-'));
  const local = join(dir, 'local');
  const dav = (): ReturnType<typeof davFetch> => davFetch(base(), 'alice');

  const run = (args: string[], input = ''): Promise<string> => runVdirsyncer(dir, args, input);
  const sync = (): Promise<string> => run(['sync']);
  const remoteNames = async (): Promise<string[]> => {
    const res = await dav()(BOOK, { method: 'PROPFIND', headers: { Depth: '1' } });
    return [...(await res.text()).matchAll(/<D:href>[^<]*\/([^/<]+\.vcf)<\/D:href>/g)].map((m) => m[1] ?? '').sort();
  };
  const localUids = (): string[] =>
    readdirSync(local)
      .map((f) => /UID:(.*)/.exec(readFileSync(join(local, f), 'utf8'))?.[1]?.trim() ?? '')
      .sort();

  const discover = async (): Promise<void> => {
    mkdirSync(local);
    mkdirSync(join(dir, 'status'));
    writeFileSync(
      join(dir, 'config'),
      `[general]
status_path = "${join(dir, 'status')}/"

[pair contacts]
a = "local"
b = "remote"
collections = null
conflict_resolution = "a wins"

[storage local]
type = "filesystem"
path = "${local}/"
fileext = ".vcf"

[storage remote]
type = "carddav"
url = "${base()}${BOOK}"
username = "alice"
password = "alice-pw"
`,
    );
    await run(['discover'], 'y\n');
  };

  step('uploads local cards and downloads remote ones (vCard 3.0 and 4.0)', async () => {
    await discover();
    writeFileSync(join(local, 'l1.vcf'), vcard('l1', 'Local One'));
    writeFileSync(join(local, 'l2.vcf'), vcard('l2', 'Local Two', '4.0'));
    assert.equal(
      (
        await dav()(`${BOOK}r1.vcf`, {
          method: 'PUT',
          headers: { 'Content-Type': 'text/vcard' },
          body: vcard('r1', 'Remote One', '4.0'),
        })
      ).status,
      201,
    );
    await sync();
    assert.deepEqual(await remoteNames(), ['l1.vcf', 'l2.vcf', 'r1.vcf']);
    assert.deepEqual(localUids(), ['l1', 'l2', 'r1']);
  });

  step('edits and deletes travel both ways, then a further sync changes nothing', async () => {
    writeFileSync(join(local, 'l1.vcf'), vcard('l1', 'Local One Edited'));
    const r1 = await dav()(`${BOOK}r1.vcf`, { method: 'HEAD' });
    assert.equal(
      (
        await dav()(`${BOOK}r1.vcf`, {
          method: 'PUT',
          headers: { 'Content-Type': 'text/vcard', 'If-Match': r1.headers.get('etag') ?? '' },
          body: vcard('r1', 'Remote One Edited'),
        })
      ).status,
      204,
    );
    unlinkSync(join(local, 'l2.vcf'));
    await sync();
    assert.match(await (await dav()(`${BOOK}l1.vcf`)).text(), /FN:Local One Edited/);
    assert.deepEqual(await remoteNames(), ['l1.vcf', 'r1.vcf']);
    const r1Local = readdirSync(local)
      .map((f) => readFileSync(join(local, f), 'utf8'))
      .find((t) => t.includes('UID:r1'));
    assert.match(r1Local ?? '', /FN:Remote One Edited/);
    const quiet = await sync();
    assert.doesNotMatch(quiet, /Copying|Deleting/, quiet);
  });
  return { steps, close: () => rmSync(dir, { recursive: true, force: true }) };
}
