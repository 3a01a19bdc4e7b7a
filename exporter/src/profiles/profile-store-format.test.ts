import { describe, expect, it } from 'vitest';
import { profileId } from './profile-id.js';
import { formatProfileProblem, parseProfileText, parseProfileYaml, profileEnvelope, renderProfileYaml, renderProfilesYaml, renderStoredProfile } from './profile-store-format.js';
import { fixtureProfiles } from './test-fixtures/profile-fixtures.js';

const fixtures = fixtureProfiles();
const sample = fixtures[0]!;
const text = renderProfileYaml(profileEnvelope(sample.id, 4, sample.document));
const lines = text.split('\n');
const lineOf = (pattern: RegExp, from = 0): number => lines.findIndex((l, i) => i >= from && pattern.test(l)) + 1;

describe('profile YAML format', () => {
  it('writes a canonical layout that reads back to the same document', () => {
    expect(text.startsWith(`apiVersion: telltale.dev/v1alpha1\nkind: WorkloadProfile\nmetadata:\n  name: ${sample.id}\n  revision: 4\nspec:\n  schemaVersion: 1\n`)).toBe(true);
    expect(text).toMatch(/\n {10}- tokens: \[nginx, -g, daemon off;\]\n/);
    expect(text).not.toMatch(/[&*]a\d/);
    const { profiles, problems } = parseProfileYaml(text, 'a.yaml');
    expect(problems).toEqual([]);
    expect(profiles).toHaveLength(1);
    expect(profiles[0]?.document).toEqual(sample.document);
    expect(profiles[0]?.envelope.metadata).toEqual({ name: sample.id, revision: 4 });
  });

  it('reads several profiles from one stream, and JSON too', () => {
    const stream = renderProfilesYaml(fixtures.map((f) => profileEnvelope(f.id, undefined, f.document)));
    const { profiles, problems } = parseProfileYaml(stream, 'all.yaml');
    expect(problems).toEqual([]);
    expect(profiles.map((p) => p.envelope.metadata.name)).toEqual(fixtures.map((f) => f.id));
    expect(profiles[1]?.line).toBe(stream.split('\n').indexOf('---') + 2);
    const json = parseProfileYaml(JSON.stringify(profileEnvelope(sample.id, 1, sample.document)), 'a.json');
    expect(json.problems).toEqual([]);
    expect(parseProfileYaml(stream, 'all.yaml', { single: true }).problems).toEqual([
      { source: 'all.yaml', line: stream.split('\n').indexOf('---') + 2, field: '', message: `holds ${fixtures.length} profiles; a stored profile file holds exactly one` },
    ]);
  });

  it('fills in what a hand-written profile leaves out', () => {
    const workload = { namespace: 'shop', workload: 'frontend', workloadType: 'deployment', container: 'nginx' };
    const minimal = [
      'apiVersion: telltale.dev/v1alpha1',
      'kind: WorkloadProfile',
      'metadata:',
      `  name: ${profileId(workload)}`,
      'spec:',
      '  schemaVersion: 1',
      `  workload: { namespace: shop, workload: frontend, workloadType: deployment, container: nginx }`,
      '  state: locked',
      '  learningPeriodSeconds: 86400',
      '  epochs: 1',
      '  generalization: {}',
      '  entries:',
      '    exec:',
      '      - { path: /usr/sbin/nginx, support: 1, firstSeen: 2026-11-28T10:00:00Z, lastSeen: 2026-11-28T10:00:00Z, addedAfterReady: false,',
      '          argv: [{ tokens: [nginx, "**"], support: 1, firstSeen: 2026-11-28T10:00:00Z, lastSeen: 2026-11-28T10:00:00Z, addedAfterReady: false }] }',
      '',
    ].join('\n');
    const { profiles, problems } = parseProfileYaml(minimal, 'hand.yaml');
    expect(problems).toEqual([]);
    const document = profiles[0]!.document;
    // One binary with one argv pattern: one row, as the Profile API lists it.
    expect(document.entryCounts).toEqual({ exec: 1, file: 0, syscall: 0, syscall_sequence: 0, network: 0, dns: 0, capability: 0 });
    expect(document).toMatchObject({ readyAt: null, lockedAt: null, learnAfterReady: false, calibration: null, overflowFilter: null });
    expect(document.generalization.ngramLength).toBe(6);
    expect(document.entries.exec[0]?.firstSeen).toBe('2026-11-28T10:00:00.000Z');
  });

  it('locates every problem by line, column and field', () => {
    const broken = text
      .replace('  state: ready\n', '  state: finished\n')
      .replace('  learnAfterReady: true\n', '  learnAfterReady: true\n  colour: blue\n')
      .replace(/( {6}- nr: )\d+\n/, '$1600\n')
      .replace(/(calls: )(\d+ \d+ \d+ \d+ \d+ \d+)\n/, '$1"1 2 3"\n');
    const brokenLines = broken.split('\n');
    const at = (pattern: RegExp) => brokenLines.findIndex((l) => pattern.test(l)) + 1;
    const { profiles, problems } = parseProfileYaml(broken, 'bad.yaml');
    expect(profiles).toEqual([]);
    expect(problems.map(formatProfileProblem)).toEqual([
      `bad.yaml:${at(/^ {2}state: finished$/)}:10: spec.state: must be one of learning, ready, locked, got "finished"`,
      `bad.yaml:${at(/^ {2}colour: blue$/)}:3: spec.colour: unknown field`,
      `bad.yaml:${at(/^ {6}- nr: 600$/)}:13: spec.entries.syscall[0].nr: must be <= 511, got 600`,
    ]);
    // Cross-field rules are checked once the shape is right.
    const shortGram = text.replace(/(calls: )(\d+ \d+ \d+ \d+ \d+ \d+)\n/, '$1"1 2 3"\n');
    expect(parseProfileYaml(shortGram, 'bad.yaml').problems.map(formatProfileProblem)).toEqual([
      `bad.yaml:${lineOf(/calls: /)}:16: spec.entries.syscall_sequence[0].calls: has 3 system calls, but generalization.ngramLength is 6`,
    ]);
  });

  it('reports YAML syntax errors, duplicate keys, aliases and empty input', () => {
    const syntax = text.replace('  epochs: ', '  epochs: [');
    expect(parseProfileYaml(syntax, 's.yaml').problems[0]).toMatchObject({ source: 's.yaml', line: expect.any(Number), message: expect.stringMatching(/^not valid YAML: /) });
    const duplicate = text.replace('  state: ready\n', '  state: ready\n  state: locked\n');
    expect(parseProfileYaml(duplicate, 'd.yaml').problems.map(formatProfileProblem)).toEqual([`d.yaml:${lineOf(/^ {2}state: ready$/) + 1}:3: not valid YAML: Map keys must be unique`]);
    expect(parseProfileYaml('a: &x [1]\nb: *x\n', 'x.yaml').problems[0]?.message).toMatch(/anchors and aliases/);
    expect(parseProfileYaml('', 'e.yaml').problems).toEqual([{ source: 'e.yaml', field: '', message: 'contains no profile (the file is empty)' }]);
    expect(parseProfileYaml('- 1\n', 'l.yaml').problems.map(formatProfileProblem)).toEqual(['l.yaml:1:1: must be an object, got [1]']);
  });

  it('insists that the name is the id of the workload, unless told the profile is being re-targeted', () => {
    const renamed = text.replace(`  name: ${sample.id}\n`, '  name: prod-frontend-00000000\n');
    expect(parseProfileYaml(renamed, 'r.yaml').problems.map(formatProfileProblem)).toEqual([
      `r.yaml:4:9: metadata.name: is "prod-frontend-00000000", but the id of spec.workload is "${sample.id}"; names are derived from the workload identity (change the name, or import with --as to re-target)`,
    ]);
    expect(parseProfileYaml(renamed, 'r.yaml', { checkName: false }).problems).toEqual([]);
    expect(parseProfileYaml(text, 'r.yaml', { expectedName: 'other-00000000' }).problems.map((p) => p.field)).toEqual(['metadata.name']);
  });

  it('reads the store\'s JSON layout like YAML, and still locates problems in it by line', () => {
    const json = renderStoredProfile(profileEnvelope(sample.id, 4, sample.document));
    const fast = parseProfileText(json, 's.yaml');
    const slow = parseProfileYaml(json, 's.yaml');
    expect(fast.problems).toEqual([]);
    expect(fast.profiles.map((p) => [p.envelope, p.document, p.line])).toEqual(slow.profiles.map((p) => [p.envelope, p.document, p.line]));
    expect(fast.profiles[0]?.document).toEqual(sample.document);
    expect(parseProfileText(text, 'b.yaml').profiles[0]?.document).toEqual(sample.document);
    const broken = json.replace('"state": "ready"', '"state": "done"');
    const line = broken.split('\n').findIndex((l) => l.includes('"state": "done"')) + 1;
    expect(parseProfileText(broken, 's.yaml').problems.map(formatProfileProblem)).toEqual([`s.yaml:${line}:14: spec.state: must be one of learning, ready, locked, got "done"`]);
    const truncated = json.slice(0, json.length / 2);
    expect(parseProfileText(truncated, 's.yaml').problems[0]).toMatchObject({ line: expect.any(Number), message: expect.stringMatching(/^not valid YAML/) });
  });
});
