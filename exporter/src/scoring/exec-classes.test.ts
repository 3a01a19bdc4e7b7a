import { describe, expect, it } from 'vitest';
import { classifyExec, programName } from './exec-classes.js';

describe('programName', () => {
  it('names busybox applets by argv, other binaries by their basename', () => {
    expect(programName('/usr/bin/busybox', ['/tmp/x/bin/ls', '/'])).toBe('ls');
    expect(programName('/bin/busybox', ['busybox', 'nc', '1.2.3.4', '80'])).toBe('nc');
    expect(programName('/bin/busybox', ['busybox', '--list'])).toBe('busybox');
    expect(programName('/usr/bin/python3.11', ['python3'])).toBe('python');
    expect(programName('/usr/bin/cat', ['sh'])).toBe('cat');
  });
});

describe('classifyExec', () => {
  it('classifies by the program, not by the multi-call binary', () => {
    expect(classifyExec('/bin/busybox', ['ls'])).toBe('other');
    expect(classifyExec('/bin/busybox', ['sh', '-i'])).toBe('shell');
    expect(classifyExec('/bin/busybox', ['busybox', 'wget', 'http://x'])).toBe('network-tool');
    expect(classifyExec('/usr/bin/bash')).toBe('shell');
  });
});
