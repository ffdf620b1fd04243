export * from './names.js';
export * from './element.js';
export * from './errors.js';
export * from './limits.js';
export { parseXml } from './parse.js';
export { serializeXml, escapeText, escapeAttr } from './write.js';
