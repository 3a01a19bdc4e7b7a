import { describe, expect, it } from 'vitest';
import { renderLegend } from './legend.js';

describe('renderLegend', () => {
  it('fills {{label}} from the series labels, empty when absent', () => {
    expect(renderLegend('{{rule}} · {{severity}}', { rule: 'reverse-shell', severity: 'critical' })).toBe('reverse-shell · critical');
    expect(renderLegend('{{ workload }}/{{container}}', { workload: 'redis' })).toBe('redis/');
  });
  it('names a series like Prometheus does without a format', () => {
    expect(renderLegend(undefined, { __name__: 'up', job: 'telltale' })).toBe('up{job="telltale"}');
    expect(renderLegend('', {})).toBe('{}');
  });
});
