import { describe, it, expect } from '@jest/globals';
import { FileCommandError, parseKeyValueFile } from './file-commands.js';

describe('parseKeyValueFile', () => {
  it('reads name=value lines and keeps = inside values', () => {
    expect(parseKeyValueFile('a=1\nurl=https://x/?q=1\n', 'GITHUB_OUTPUT')).toEqual({
      a: '1',
      url: 'https://x/?q=1'
    });
  });

  it('reads heredoc blocks with several lines', () => {
    const content = 'notes<<EOF_1\nline one\nline two=2\nEOF_1\nafter=yes\n';
    expect(parseKeyValueFile(content, 'GITHUB_ENV')).toEqual({ notes: 'line one\nline two=2', after: 'yes' });
  });

  it('accepts CRLF line endings', () => {
    expect(parseKeyValueFile('x<<D\r\nv\r\nD\r\ny=2\r\n', 'GITHUB_ENV')).toEqual({ x: 'v', y: '2' });
  });

  it('fails on a heredoc without its closing delimiter', () => {
    expect(() => parseKeyValueFile('x<<END\nvalue\n', 'GITHUB_OUTPUT')).toThrow(
      /Matching delimiter not found 'END'/
    );
  });

  it('fails on a line that is neither form', () => {
    expect(() => parseKeyValueFile('just text\n', 'GITHUB_ENV')).toThrow(FileCommandError);
  });
});
