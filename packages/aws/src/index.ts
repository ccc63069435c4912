export * from './settings.js';
export * from './session.js';
export * from './client.js';
export * from './errors.js';
export * from './retry.js';
export * from './token.js';
export { decodeJwtClaims } from './jwt.js';
