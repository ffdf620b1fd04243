/**
 * RFC 3744 §3 privileges. Aggregates: all ⊃ {read, write, unlock, read-acl, read-cups, write-acl};
 * write ⊃ {write-properties, write-content, bind, unbind}. The XML tree (supported-privilege-set)
 * is dav/acl's; the rule who holds which is domain/objects/privileges.ts, the one every writer meets.
 */
export const PRIVILEGES = [
  'all',
  'read',
  'read-free-busy',
  'write',
  'write-properties',
  'write-content',
  'bind',
  'unbind',
  'unlock',
  'read-acl',
  'read-current-user-privilege-set',
  'write-acl',
] as const;

export type Privilege = (typeof PRIVILEGES)[number];
