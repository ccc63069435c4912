import { describe, expect, it } from '@jest/globals';
import { canonicalHeaders, canonicalPath, canonicalQuery, escapeUri, parseAuthorization } from './sigv4.js';

describe('SigV4 canonical forms', () => {
  it('re-encodes query names and values strictly and sorts by name, then value', () => {
    expect(canonicalQuery('package=a%2Bb&domain=d&format=npm&domain-owner=1')).toBe(
      'domain=d&domain-owner=1&format=npm&package=a%2Bb'
    );
    expect(canonicalQuery("x=it's(1)*&x=a b&flag")).toBe('flag=&x=a%20b&x=it%27s%281%29%2A');
    expect(canonicalQuery('v=%7E~')).toBe('v=~~');
  });

  it('encodes the path again, keeping slashes and dropping dot segments', () => {
    expect(canonicalPath('/v1/package/version')).toBe('/v1/package/version');
    expect(canonicalPath('/a%20b/./c/../d/')).toBe('/a%2520b/d/');
    expect(canonicalPath('/')).toBe('/');
  });

  it('joins repeated headers with commas and collapses whitespace', () => {
    const raw = ['Host', 'h:1', 'X-Amz-Date', '20250101T000000Z', 'X-Multi', ' a   b ', 'x-multi', 'c'];
    expect(canonicalHeaders(raw, ['host', 'x-amz-date', 'x-multi'])).toBe(
      'host:h:1\nx-amz-date:20250101T000000Z\nx-multi:a b,c\n'
    );
  });

  it('parses the Authorization header and refuses a malformed one', () => {
    const sig = 'a'.repeat(64);
    expect(
      parseAuthorization(
        `AWS4-HMAC-SHA256 Credential=AKIAX/20250101/us-east-1/codeartifact/aws4_request, SignedHeaders=host;x-amz-date, Signature=${sig}`
      )
    ).toEqual({
      accessKeyId: 'AKIAX',
      date: '20250101',
      region: 'us-east-1',
      service: 'codeartifact',
      signedHeaders: ['host', 'x-amz-date'],
      signature: sig
    });
    expect(() => parseAuthorization('Basic YXdzOnRva2Vu')).toThrow(/AWS4-HMAC-SHA256/);
    expect(() =>
      parseAuthorization('AWS4-HMAC-SHA256 Credential=AKIAX/20250101, SignedHeaders=host, Signature=x')
    ).toThrow(/Credential/);
  });

  it('escapes like RFC 3986', () => {
    expect(escapeUri("a-_.~ !'()*+/é")).toBe('a-_.~%20%21%27%28%29%2A%2B%2F%C3%A9');
  });
});
