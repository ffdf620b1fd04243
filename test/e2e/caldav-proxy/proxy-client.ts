/** What the caldav-proxy tests share: the PROPPATCH Apple's clients send to set a proxy group's members. */

/** The PROPPATCH macOS Calendar sends when delegates are edited (Accounts → Delegation): the whole member list. */
export const setMembers = (...users: string[]): string =>
  '<?xml version="1.0" encoding="UTF-8"?>\n<A:propertyupdate xmlns:A="DAV:"><A:set><A:prop><A:group-member-set>' +
  users.map((u) => `<A:href>/dav/principals/users/${u}/</A:href>`).join('') +
  '</A:group-member-set></A:prop></A:set></A:propertyupdate>';
