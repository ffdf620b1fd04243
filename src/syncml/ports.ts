/**
 * The engine's ports. They are defined in domain/syncml/ports.ts (domain may not import syncml;
 * syncml may import domain), implemented there over the Store, and re-exported here.
 */
export * from '../domain/syncml/ports.js';
