import { describe, expect, it } from '@jest/globals';
import { urlForLog } from './secrets.js';

describe('urlForLog', () => {
  it('drops a user name and password from a URL, and knows text that is not one', () => {
    expect(urlForLog('https://aws:eyJ2ZXIi.token@acme.example/npm/store/')).toBe(
      'https://acme.example/npm/store/'
    );
    expect(urlForLog('http://127.0.0.1:9/')).toBe('http://127.0.0.1:9/');
    expect(urlForLog('${NPM_REGISTRY}')).toBeUndefined();
  });
});
