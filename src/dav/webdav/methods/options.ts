import type { MethodDef } from '../../core/registry.js';
import { registry } from '../../core/registry.js';

/** RFC 4918 §9.1 / §10.1: compliance classes and the methods allowed on the resource. */
export const options: MethodDef = {
  name: 'OPTIONS',
  privilege: 'read',
  allowedOn: () => true,
  handle: async (_ctx, r) => ({
    status: 200,
    headers: {
      DAV: registry.compliance.join(', '),
      Allow: registry.allowed(r).join(', '),
      'MS-Author-Via': 'DAV',
      'Content-Length': '0',
    },
  }),
};
