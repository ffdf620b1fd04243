/**
 * Connect a device in one step, in Chromium (issue #19): the Apple configuration profile is a
 * property list that an independent reader (Python's plistlib) parses, with CalDAV and CardDAV
 * account payloads whose app password opens DAV; the DAVx5 QR code decodes (jsQR) to a setup URL
 * whose password opens DAV; Thunderbird's autoconfig document names the calendar and address book.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import jsQRModule from 'jsqr';
import type { Page } from 'playwright-core';
import { basic, type TestServer } from '../helpers/server.js';
import { loggedInServer } from './browser.js';

/** jsqr is CommonJS: its module object is the function (the typings describe an ES default export). */
const jsQR = jsQRModule as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

/** The QR code's PNG as the browser decoded it, read back from a canvas. */
const READ_QR = `(() => {
  const el = document.querySelector('img.davx5-qr');
  const canvas = document.createElement('canvas');
  canvas.width = el.naturalWidth;
  canvas.height = el.naturalHeight;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(el, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
  let bytes = '';
  for (let i = 0; i < data.data.length; i += 0x8000) bytes += String.fromCharCode(...data.data.subarray(i, i + 0x8000));
  return { width: data.width, height: data.height, rgba: btoa(bytes) };
})()`;

/** What a client reads from the autoconfig document, with the browser's XML parser. */
const readAutoconfig = (xml: string): string => `(() => {
  const doc = new DOMParser().parseFromString(${JSON.stringify(xml)}, 'application/xml');
  const pick = (sel) => {
    const el = doc.querySelector(sel);
    return el ? { url: el.querySelector('serverURL')?.textContent, auth: el.querySelector('authentication')?.textContent } : null;
  };
  return {
    error: doc.querySelector('parsererror') !== null,
    root: doc.documentElement.nodeName,
    domain: doc.querySelector('emailProvider > domain')?.textContent,
    book: pick('clientConfig > addressBook[type="carddav"]'),
    calendar: pick('clientConfig > calendar[type="caldav"]'),
  };
})()`;

interface Autoconfig {
  error: boolean;
  root: string;
  domain: string | undefined;
  book: { url: string; auth: string } | null;
  calendar: { url: string; auth: string } | null;
}

const account = (page: Page) => page.locator('dialog[aria-label="Account"]');
const connect = (page: Page) => page.locator('dialog[aria-label="Connect a device"]');

async function propfind(base: string, user: string, password: string): Promise<number> {
  const res = await fetch(`${base}/dav/calendars/${user}/`, {
    method: 'PROPFIND',
    headers: { Authorization: basic(user, password), Depth: '0' },
  });
  await res.arrayBuffer();
  return res.status;
}

/** Python's plistlib reads the file; its JSON rendering comes back. */
function readPlist(path: string): Record<string, unknown> {
  const script = 'import plistlib, json, sys\nprint(json.dumps(plistlib.load(open(sys.argv[1], "rb"))))';
  return JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' })) as Record<string, unknown>;
}

/** The text of the QR code on the page (jsQR on the pixels the browser decoded). */
async function decodeQr(page: Page): Promise<{ data: string }> {
  const pixels = (await page.evaluate(READ_QR)) as { width: number; height: number; rgba: string };
  const code = jsQR(new Uint8ClampedArray(Buffer.from(pixels.rgba, 'base64')), pixels.width, pixels.height);
  assert.ok(code, 'the QR code decodes');
  return code;
}

async function openConnect(page: Page, device: string): Promise<void> {
  if (!(await connect(page).isVisible())) {
    await page.getByRole('button', { name: 'alice' }).click();
    await account(page).getByRole('button', { name: 'Connect a device…' }).click();
  }
  await connect(page).getByLabel('Device name').fill(device);
}

/** The profile's payloads: types, host, port, TLS, user, principal; each password opens DAV. */
async function checkProfile(profile: Record<string, unknown>, base: string): Promise<void> {
  assert.equal(profile.PayloadType, 'Configuration');
  assert.equal(profile.PayloadVersion, 1);
  const payloads = profile.PayloadContent as Record<string, unknown>[];
  assert.deepEqual(payloads.map((p) => p.PayloadType).sort(), [
    'com.apple.caldav.account',
    'com.apple.carddav.account',
  ]);
  const port = Number(new URL(base).port);
  const uuids = new Set([profile.PayloadUUID, ...payloads.map((p) => p.PayloadUUID)]);
  assert.equal(uuids.size, 3, 'every payload has its own UUID');
  for (const [p, kind] of [
    [payloads.find((x) => x.PayloadType === 'com.apple.caldav.account')!, 'CalDAV'],
    [payloads.find((x) => x.PayloadType === 'com.apple.carddav.account')!, 'CardDAV'],
  ] as const) {
    assert.equal(p[`${kind}HostName`], '127.0.0.1');
    assert.equal(p[`${kind}Port`], port);
    assert.equal(p[`${kind}UseSSL`], false);
    assert.equal(p[`${kind}Username`], 'alice');
    assert.equal(p[`${kind}PrincipalURL`], '/dav/principals/users/alice/');
    assert.equal(await propfind(base, 'alice', String(p[`${kind}Password`])), 207);
  }
}

/** The autoconfig document at `path`, read with the browser's XML parser as a client would. */
async function checkAutoconfig(page: Page, base: string, path: string): Promise<void> {
  const res = await fetch(`${base}${path}`);
  assert.equal(res.status, 200, path);
  assert.match(res.headers.get('content-type') ?? '', /^application\/xml/);
  const xml = await res.text();
  const parsed = (await page.evaluate(readAutoconfig(xml))) as Autoconfig;
  assert.equal(parsed.error, false);
  assert.equal(parsed.root, 'clientConfig');
  assert.equal(parsed.domain, path.includes('example.org') ? 'example.org' : '127.0.0.1');
  assert.deepEqual(parsed.book, { url: `${base}/dav/`, auth: 'http-basic' });
  assert.deepEqual(parsed.calendar, { url: `${base}/dav/`, auth: 'http-basic' });
}

describe('web app: connect a device in one step — Apple profile, DAVx5 QR code, Thunderbird autoconfig (issue #19)', () => {
  let env: Awaited<ReturnType<typeof loggedInServer>>;
  let server: TestServer, page: Page;
  before(async () => {
    env = await loggedInServer();
    ({ server, page } = env);
  });
  after(() => env?.close());

  it('the Apple profile is a plist with CalDAV and CardDAV payloads whose app password opens DAV', async () => {
    await openConnect(page, 'iPhone');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      connect(page).getByRole('button', { name: 'Download profile' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'alice.mobileconfig');
    const file = await download.path();
    await checkProfile(readPlist(file), server.url);
    await connect(page).getByText('Profile saved.').waitFor();
  });

  it('the DAVx5 QR code decodes to a setup URL whose app password opens DAV', async () => {
    await openConnect(page, 'Pixel');
    await connect(page).getByRole('button', { name: 'Show QR code' }).click();
    await connect(page).getByRole('img', { name: 'QR code for DAVx⁵' }).waitFor();
    const code = await decodeQr(page);
    // A plain-HTTP server: caldav:// (DAVx5 rewrites it to http://; davx5:// would mean https).
    const url = new URL(code.data);
    assert.equal(url.protocol, 'caldav:');
    assert.equal(url.host, new URL(server.url).host);
    assert.equal(url.pathname, '/dav/');
    assert.equal(decodeURIComponent(url.username), 'alice');
    assert.equal(await connect(page).locator('code.davx5-url').textContent(), code.data);
    assert.equal(await propfind(server.url, 'alice', decodeURIComponent(url.password)), 207);
  });

  it('each device got its own app password, listed in the Account dialog', async () => {
    await connect(page).getByRole('button', { name: 'Close' }).click();
    await connect(page).waitFor({ state: 'detached' });
    for (const name of ['iPhone', 'Pixel']) await account(page).locator('li.app-password', { hasText: name }).waitFor();
    const res = await page.evaluate(() =>
      fetch('/app/account').then((r) => r.json() as Promise<{ appPasswords: { name: string; scopes: string[] }[] }>),
    );
    assert.deepEqual(res.appPasswords.map((p) => [p.name, p.scopes]).sort(), [
      ['Pixel', ['dav']],
      ['iPhone', ['dav']],
    ]);
    await account(page).getByRole('button', { name: 'Close' }).click();
  });

  it('refuses a request without a session, without the CSRF token, or without a device name', async () => {
    const anonymous = await fetch(`${server.url}/app/onboarding/davx5`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ device: 'x' }),
    });
    assert.equal(anonymous.status, 401);
    const statuses = await page.evaluate(async () => {
      const post = (headers: Record<string, string>, body: unknown) =>
        fetch('/app/onboarding/apple', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...headers },
          body: JSON.stringify(body),
        }).then((r) => r.status);
      const csrf = ((await (await fetch('/app/session')).json()) as { csrf: string }).csrf;
      return [await post({}, { device: 'x' }), await post({ 'X-Almanac-CSRF': csrf }, { device: '' })];
    });
    assert.deepEqual(statuses, [403, 400]);
  });

  it('Thunderbird autoconfig names the CalDAV calendar and CardDAV address book, at both places', async () => {
    for (const path of [
      '/.well-known/autoconfig/mail/config-v1.1.xml',
      '/mail/config-v1.1.xml?emailaddress=alice%40example.org',
    ]) {
      await checkAutoconfig(page, server.url, path);
    }
    const bad = await fetch(`${server.url}/mail/config-v1.1.xml?emailaddress=${encodeURIComponent('x@<b>')}`);
    assert.equal(bad.status, 400);
  });
});
