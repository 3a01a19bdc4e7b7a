import { DEFAULT_ALERT_THRESHOLD } from './queries/metrics.js';

/** What the Config page stores in the app's jsonData. */
export interface AppJsonData {
  /** UID of the Prometheus data source that scrapes the exporters. */
  datasourceUid?: string;
  /** Base URL of an exporter's API, e.g. http://telltale.telltale.svc:9310; the proxy route's target. */
  exporterUrl?: string;
  /** Alert threshold on the deviation score, drawn on score charts. */
  alertThreshold?: number;
}

export interface AppSettings {
  readonly datasourceUid: string | undefined;
  readonly exporterUrl: string | undefined;
  readonly alertThreshold: number;
}

/** Reads jsonData defensively: it is whatever an admin (or provisioning file) saved. */
export function readAppSettings(jsonData: AppJsonData | undefined): AppSettings {
  const threshold = jsonData?.alertThreshold;
  return {
    datasourceUid: nonEmpty(jsonData?.datasourceUid),
    exporterUrl: nonEmpty(jsonData?.exporterUrl),
    alertThreshold:
      typeof threshold === 'number' && Number.isFinite(threshold) && threshold > 0 && threshold <= 1
        ? threshold
        : DEFAULT_ALERT_THRESHOLD,
  };
}

/** Checks an alert threshold typed by a human; returns an error message or undefined. */
export function validateAlertThreshold(text: string): string | undefined {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    return `Alert threshold must be a number between 0 and 1, got "${text}"`;
  }
  if (value <= 0 || value > 1) {
    return `Alert threshold must be above 0 and at most 1, got ${value}`;
  }
  return undefined;
}

/** Checks an exporter URL typed by a human; returns an error message or undefined. */
export function validateExporterUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `Exporter URL must be an absolute http(s) URL, got "${text}"`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `Exporter URL must use http or https, got "${url.protocol}"`;
  }
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
