/**
 * The publishers the actions call. Each is also its own subpath (`@codeartifact-actions/publish/maven`,
 * `/npm`, `/python`, `/generic`) so an action's bundle carries only the publisher it uses.
 */
export * from './generic/index.js';
export * from './maven/index.js';
export * from './npm/index.js';
export * as python from './python/index.js';
