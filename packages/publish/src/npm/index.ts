export * from '../access.js';
export * from './manifest.js';
export * from './publish.js';
export * from './settings.js';
