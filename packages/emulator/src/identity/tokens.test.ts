import { describe, expect, it } from '@jest/globals';
import { ServiceError } from '../contracts.js';
import { parseConfig } from '../config.js';
import { roleSessionPrincipal, rootPrincipal } from './principals.js';
import { AuthorizationTokens } from './tokens.js';

describe('authorization tokens', () => {
  let clock = 1_700_000_000_000;
  const tokens = new AuthorizationTokens(() => clock);
  const root = rootPrincipal('111122223333');

  it('are long, opaque and valid for their domain and owner only, until they expire', () => {
    const { token, expiration } = tokens.issue(root, 'acme', '111122223333', 900);
    expect(token.length).toBeGreaterThan(900);
    expect(expiration.getTime()).toBe(clock + 900_000);
    expect(tokens.principalFor(token, 'acme', '111122223333')).toBe(root);
    expect(tokens.principalFor(token, 'other', '111122223333')).toBeUndefined();
    expect(tokens.principalFor(token, 'acme', '999999999999')).toBeUndefined();
    expect(tokens.principalFor('made-up', 'acme', '111122223333')).toBeUndefined();
    clock += 900_000;
    expect(tokens.principalFor(token, 'acme', '111122223333')).toBeUndefined();
  });

  it('with duration 0 end with the caller session, or after 12 hours for the root', () => {
    const [role] = parseConfig({}, 'test').roles;
    const sessionEnd = new Date(clock + 1800_000);
    const session = roleSessionPrincipal(role, '111122223333', 's', sessionEnd);
    expect(tokens.issue(session, 'acme', '111122223333', 0).expiration).toEqual(sessionEnd);
    expect(tokens.issue(root, 'acme', '111122223333', 0).expiration.getTime()).toBe(clock + 43200_000);
  });

  it('refuse a duration outside 0 or 900-43200 seconds', () => {
    for (const duration of [1, 899, 43201, 1.5]) {
      expect(() => tokens.issue(root, 'acme', '111122223333', duration)).toThrow(ServiceError);
    }
  });
});
