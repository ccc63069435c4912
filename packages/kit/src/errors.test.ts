import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, errorMessage } from './errors.js';

describe('errorMessage', () => {
  it('reads the message of errors, strings and plain objects alike', () => {
    expect(errorMessage(new ConfigurationError('bad input'))).toBe('bad input');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage({ code: 7 })).toBe('{"code":7}');
  });
});
