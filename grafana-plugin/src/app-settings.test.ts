import { describe, expect, it } from 'vitest';
import { readAppSettings, validateAlertThreshold, validateExporterUrl } from './app-settings.js';

describe('readAppSettings', () => {
  it('defaults the alert threshold to the README value of 0.9', () => {
    expect(readAppSettings(undefined)).toEqual({ datasourceUid: undefined, exporterUrl: undefined, alertThreshold: 0.9 });
    expect(readAppSettings({ alertThreshold: 7 }).alertThreshold).toBe(0.9);
  });
  it('keeps valid settings and trims blanks away', () => {
    expect(readAppSettings({ datasourceUid: ' prom ', exporterUrl: 'http://x:9310', alertThreshold: 0.8 })).toEqual({
      datasourceUid: 'prom',
      exporterUrl: 'http://x:9310',
      alertThreshold: 0.8,
    });
    expect(readAppSettings({ datasourceUid: '  ' }).datasourceUid).toBeUndefined();
  });
});

describe('validation', () => {
  it('explains a bad threshold', () => {
    expect(validateAlertThreshold('0.85')).toBeUndefined();
    expect(validateAlertThreshold('abc')).toBe('Alert threshold must be a number between 0 and 1, got "abc"');
    expect(validateAlertThreshold('0')).toBe('Alert threshold must be above 0 and at most 1, got 0');
  });
  it('explains a bad exporter URL', () => {
    expect(validateExporterUrl('http://telltale.telltale.svc:9310')).toBeUndefined();
    expect(validateExporterUrl('telltale:9310')).toMatch(/http or https|absolute/);
    expect(validateExporterUrl('not a url')).toBe('Exporter URL must be an absolute http(s) URL, got "not a url"');
  });
});
