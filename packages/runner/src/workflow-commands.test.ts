import { describe, it, expect } from '@jest/globals';
import { parseWorkflowCommand } from './workflow-commands.js';
import { SecretMasker } from './secret-masker.js';

describe('parseWorkflowCommand', () => {
  it('reads name, properties and data with their escapes undone', () => {
    expect(
      parseWorkflowCommand('::error file=src/a%2Cb.ts,line=3,title=Bad%3A thing::first%0Asecond 100%25')
    ).toEqual({
      name: 'error',
      properties: { file: 'src/a,b.ts', line: '3', title: 'Bad: thing' },
      data: 'first\nsecond 100%'
    });
  });

  it('reads commands without properties or data', () => {
    expect(parseWorkflowCommand('::endgroup::')).toEqual({ name: 'endgroup', properties: {}, data: '' });
    expect(parseWorkflowCommand('::add-mask::a::b')).toEqual({
      name: 'add-mask',
      properties: {},
      data: 'a::b'
    });
  });

  it('leaves ordinary output alone', () => {
    expect(parseWorkflowCommand('hello ::not a command::')).toBeUndefined();
    expect(parseWorkflowCommand(':: spaced::x')).toBeUndefined();
  });
});

describe('SecretMasker', () => {
  it('masks every occurrence, and each line of a multi-line secret', () => {
    const masker = new SecretMasker();
    masker.add('top-secret');
    masker.add('-----BEGIN KEY-----\nAAAABBBB\n-----END KEY-----');
    expect(masker.mask('a top-secret and top-secret')).toBe('a *** and ***');
    expect(masker.mask('key body AAAABBBB')).toBe('key body ***');
  });

  it('masks the URL-encoded form too', () => {
    const masker = new SecretMasker();
    masker.add('p@ss/word');
    expect(masker.mask('https://aws:p%40ss%2Fword@host/')).toBe('https://aws:***@host/');
  });
});
