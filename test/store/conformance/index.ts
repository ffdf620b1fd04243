/**
 * The one store conformance suite (DESIGN, Convention 8: one case file set, every backend).
 * Every backend test file calls `runStoreConformance` with a function that opens a fresh, empty
 * store; each case gets its own store (see fixture.ts) and cleans it up, so no case depends on
 * another's writes.
 *
 * The cases are grouped by store capability, one file each. To add a capability, write
 * `<capability>.ts` exporting a function that registers its `describe` block, and list it in CASES.
 */
import { afterEach, beforeEach, describe } from 'node:test';
import { authFailureCases } from './auth-failures.js';
import { changeFeedCases } from './change-feed.js';
import { collectionCases } from './collections.js';
import { deadPropertyCases } from './dead-properties.js';
import { deleteAndMoveCases } from './delete-and-move.js';
import { closeCase, openCase, type OpenedStore } from './fixture.js';
import { kvCases } from './kv.js';
import { lockCases } from './locks.js';
import { objectIndexCases } from './object-index.js';
import { objectCases } from './objects.js';
import { outboundItipCases } from './outbound-itip.js';
import { perUserDataCases } from './per-user-data.js';
import { ownedGroupCases } from './owned-groups.js';
import { quotaUsageCases } from './quota-usage.js';
import { schedulingLockCases } from './scheduling-lock.js';
import { shareCases } from './shares.js';
import { subscriptionCases } from './subscriptions.js';
import { transactionCases } from './transactions.js';
import { userCases } from './users.js';

export type { OpenedStore } from './fixture.js';

/** Every case file, in the order the suite runs them. */
const CASES: readonly (() => void)[] = [
  objectIndexCases,
  userCases,
  collectionCases,
  objectCases,
  deleteAndMoveCases,
  deadPropertyCases,
  lockCases,
  changeFeedCases,
  kvCases,
  authFailureCases,
  subscriptionCases,
  outboundItipCases,
  ownedGroupCases,
  schedulingLockCases,
  shareCases,
  perUserDataCases,
  transactionCases,
  quotaUsageCases,
];

export function runStoreConformance(name: string, open: () => Promise<OpenedStore>): void {
  describe(`store conformance: ${name}`, () => {
    beforeEach(() => openCase(open));
    afterEach(closeCase);
    for (const register of CASES) register();
  });
}
