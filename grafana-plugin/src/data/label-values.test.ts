import { describe, expect, it } from 'vitest';
import { EMPTY_LABEL_TEXT, labelValueOptions } from './label-values.js';

const series: Array<Record<string, string>> = [{ namespace: 'shop' }, { namespace: 'payments' }, {}, { namespace: 'shop' }];

describe('labelValueOptions', () => {
  it('lists distinct values sorted', () => {
    expect(labelValueOptions(series, 'namespace', false)).toEqual([
      { label: 'payments', value: 'payments' },
      { label: 'shop', value: 'shop' },
    ]);
  });
  it('offers the empty value first when series lack the label and it is wanted', () => {
    expect(labelValueOptions(series, 'namespace', true)[0]).toEqual({ label: EMPTY_LABEL_TEXT, value: '' });
    expect(labelValueOptions([{ namespace: 'shop' }], 'namespace', true)).toEqual([{ label: 'shop', value: 'shop' }]);
  });
});
