export * from '../access.js';
export * from './deploy.js';
export * from './pom.js';
export * from './publish.js';
export * from './settings.js';
