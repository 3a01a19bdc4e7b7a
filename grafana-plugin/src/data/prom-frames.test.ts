// @vitest-environment jsdom
import { FieldType } from '@grafana/data';
import { describe, expect, it } from 'vitest';
import { frameLabels, frameValue, instantSamplesToFrames, rangeSeriesToFrames } from './prom-frames.js';

describe('rangeSeriesToFrames', () => {
  it('puts every series on the full step grid with nulls where Prometheus had no sample', () => {
    const [frame] = rangeSeriesToFrames(
      [{ labels: { category: 'exec' }, points: [[100, 0.5], [130, 0.7]] }],
      { refId: 'B', legendFormat: '{{category}}' },
      { start: 100, end: 130, step: 10 },
    );
    expect(frame?.refId).toBe('B');
    expect(frame?.fields[0]?.type).toBe(FieldType.time);
    expect(frame?.fields[0]?.values).toEqual([100_000, 110_000, 120_000, 130_000]);
    expect(frame?.fields[1]?.values).toEqual([0.5, null, null, 0.7]);
    expect(frame?.fields[1]?.config.displayNameFromDS).toBe('exec');
    expect(frame?.fields[1]?.labels).toEqual({ category: 'exec' });
  });
});

describe('instantSamplesToFrames', () => {
  it('makes one single-value frame per sample, keeping labels and value', () => {
    const frames = instantSamplesToFrames(
      [
        { labels: { state: 'ready' }, time: 200, value: 3 },
        { labels: { state: 'learning' }, time: 200, value: 2 },
      ],
      { refId: 'A', legendFormat: '{{state}}' },
    );
    expect(frames.map((f) => f.name)).toEqual(['ready', 'learning']);
    expect(frames.map(frameValue)).toEqual([3, 2]);
    expect(frameLabels(frames[1]!)).toEqual({ state: 'learning' });
  });
});
