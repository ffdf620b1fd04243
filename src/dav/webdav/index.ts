import type { Registry } from '../core/registry.js';
import { copyMethod, moveMethod } from './methods/copy-move.js';
import { deleteMethod } from './methods/delete.js';
import { getMethod, headMethod } from './methods/get.js';
import { lockMethod, unlockMethod } from './methods/lock.js';
import { mkcolMethod } from './methods/mkcol.js';
import { options } from './methods/options.js';
import { propfindMethod } from './methods/propfind.js';
import { proppatchMethod } from './methods/proppatch.js';
import { putMethod } from './methods/put.js';
import { reportMethod } from './methods/report.js';
import { creationdate } from './properties/creationdate.js';
import { displayname } from './properties/displayname.js';
import { getcontentlength } from './properties/getcontentlength.js';
import { getcontenttype } from './properties/getcontenttype.js';
import { getetag } from './properties/getetag.js';
import { getlastmodified } from './properties/getlastmodified.js';
import { lockdiscovery } from './properties/lockdiscovery.js';
import { quotaAvailableBytes } from './properties/quota-available-bytes.js';
import { quotaUsedBytes } from './properties/quota-used-bytes.js';
import { resourcetype } from './properties/resourcetype.js';
import { supportedReportSet } from './properties/supported-report-set.js';
import { supportedlock } from './properties/supportedlock.js';

/** RFC 4918 (classes 1, 2, 3), RFC 3253's REPORT method and RFC 4331 quota properties. */
export function registerWebdav(registry: Registry): void {
  registry.compliance.push('1', '2', '3', 'extended-mkcol');
  for (const m of [
    options,
    getMethod,
    headMethod,
    putMethod,
    deleteMethod,
    mkcolMethod,
    copyMethod,
    moveMethod,
    propfindMethod,
    proppatchMethod,
    lockMethod,
    unlockMethod,
    reportMethod,
  ])
    registry.method(m);
  for (const p of [
    resourcetype,
    getcontentlength,
    getcontenttype,
    getetag,
    getlastmodified,
    creationdate,
    displayname,
    lockdiscovery,
    supportedlock,
    supportedReportSet,
    quotaAvailableBytes,
    quotaUsedBytes,
  ])
    registry.property(p);
}
