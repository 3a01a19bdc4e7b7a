import { describe, expect, it } from 'vitest';
import { generalizeToken, globMatches, truncate } from './generalize-token.js';

describe('generalizeToken', () => {
  it.each([
    ['4242', '*'],
    ['passwd', 'passwd'],
    ['libc.so.6', 'libc.so.6'],
    ['python3.11', 'python3.11'],
    ['3f2504e0-4f89-11d3-9a0c-0305e82c3301', '*'],
    ['job-3f2504e0-4f89-11d3-9a0c-0305e82c3301.log', 'job-*.log'],
    ['app-20240101.log', 'app-*.log'],
    ['tmpa8Fk2Zq', 'tmp*'],
    ['sh-thd.a8Jkq2', 'sh-thd.*'],
    ['config', 'config'],
    ['d41d8cd98f00b204e9800998ecf8427e', '*'],
    ['0x7ffd5e8a1c20', '*'],
    ['Makefile', 'Makefile'],
  ])('%s → %s', (input, expected) => {
    expect(generalizeToken(input)).toBe(expected);
  });
});

describe('globMatches', () => {
  it('treats * as any run inside one token', () => {
    expect(globMatches('job-*.log', 'job-17.log')).toBe(true);
    expect(globMatches('job-*.log', 'job-17.txt')).toBe(false);
    expect(globMatches('a.b', 'axb')).toBe(false);
    expect(globMatches('plain', 'plain')).toBe(true);
  });
  it('truncates and says so', () => {
    expect(truncate('abcdef', 3)).toEqual({ value: 'abc', truncated: true });
    expect(truncate('ab', 3)).toEqual({ value: 'ab', truncated: false });
  });
});
