import type { MethodDef } from '../../core/registry.js';

/** RFC 4918 §9.1 / §10.1: compliance classes and the methods allowed on the resource. */
export const options: MethodDef = {
  name: 'OPTIONS',
  privilege: 'read',
  allowedOn: () => true,
  handle: async (ctx, r) => ({
    status: 200,
    headers: {
      DAV: ctx.registry.compliance.join(', '),
      Allow: ctx.registry.allowed(r).join(', '),
      'MS-Author-Via': 'DAV',
      'Content-Length': '0',
    },
  }),
};
