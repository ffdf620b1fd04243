import type { Registry } from '../core/registry.js';
import { acl } from './properties/acl.js';
import { aclRestrictions } from './properties/acl-restrictions.js';
import { alternateUriSet } from './properties/alternate-uri-set.js';
import { currentUserPrincipal } from './properties/current-user-principal.js';
import { currentUserPrivilegeSet } from './properties/current-user-privilege-set.js';
import { groupMembership } from './properties/group-membership.js';
import { groupMemberSet } from './properties/group-member-set.js';
import { inheritedAclSet } from './properties/inherited-acl-set.js';
import { owner } from './properties/owner.js';
import { principalCollectionSet } from './properties/principal-collection-set.js';
import { principalUrl } from './properties/principal-url.js';
import { supportedPrivilegeSet } from './properties/supported-privilege-set.js';
import { aclMethodDef } from './methods/acl.js';
import { calendarProxyReadFor, calendarProxyWriteFor } from './properties/calendar-proxy-for.js';
import { emailAddressSet } from './properties/email-address-set.js';
import { aclPrincipalPropSet } from './reports/acl-principal-prop-set.js';
import { calendarserverPrincipalSearch } from './reports/calendarserver-principal-search.js';
import { principalMatch } from './reports/principal-match.js';
import { principalPropertySearch } from './reports/principal-property-search.js';
import { principalSearchPropertySet } from './reports/principal-search-property-set.js';

/**
 * RFC 3744 (stored grant-only ACEs, the ACL method, the §9 principal reports), RFC 5397
 * current-user-principal, and calendar-user proxies (caldav-proxy.txt).
 */
export function registerAcl(registry: Registry): void {
  registry.compliance.push('access-control', 'calendar-proxy');
  for (const p of [
    currentUserPrincipal,
    principalUrl,
    owner,
    currentUserPrivilegeSet,
    supportedPrivilegeSet,
    acl,
    aclRestrictions,
    inheritedAclSet,
    principalCollectionSet,
    groupMembership,
    groupMemberSet,
    alternateUriSet,
    calendarProxyReadFor,
    calendarProxyWriteFor,
    emailAddressSet,
  ])
    registry.property(p);
  registry.method(aclMethodDef);
  registry.report(aclPrincipalPropSet);
  registry.report(principalMatch);
  registry.report(principalPropertySearch);
  registry.report(principalSearchPropertySet);
  registry.report(calendarserverPrincipalSearch);
}
