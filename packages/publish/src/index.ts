/** Publishers the actions call: generic packages today (python, maven and npm later). */
export * from './generic/index.js';
export * from './maven/index.js';
export * from './npm/index.js';
export * as python from './python/index.js';
