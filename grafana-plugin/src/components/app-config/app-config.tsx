import { css } from '@emotion/css';
import type { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { DataSourcePicker, getBackendSrv, locationService } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, Stack, useStyles2 } from '@grafana/ui';
import React, { useState, type FormEvent } from 'react';
import { readAppSettings, validateAlertThreshold, validateExporterUrl, type AppJsonData } from '../../app-settings.js';
import { ExporterApi } from '../../data/exporter-api.js';

export type AppConfigProps = PluginConfigPageProps<AppPluginMeta<AppJsonData>>;

interface ConnectionCheck {
  readonly ok: boolean;
  readonly text: string;
}

/**
 * Where the app reads its data: the Prometheus data source that scrapes the exporters, and
 * one exporter's API for profile contents (proxied by Grafana through the app's route).
 */
export function AppConfig({ plugin }: AppConfigProps): React.JSX.Element {
  const styles = useStyles2(getStyles);
  const saved = readAppSettings(plugin.meta.jsonData);
  const [datasourceUid, setDatasourceUid] = useState(saved.datasourceUid ?? '');
  const [exporterUrl, setExporterUrl] = useState(saved.exporterUrl ?? '');
  const [threshold, setThreshold] = useState(String(saved.alertThreshold));
  const [saveError, setSaveError] = useState<string>();
  const [check, setCheck] = useState<ConnectionCheck>();
  const urlError = exporterUrl === '' ? undefined : validateExporterUrl(exporterUrl);
  const thresholdError = validateAlertThreshold(threshold);
  const canSave = datasourceUid !== '' && exporterUrl !== '' && !urlError && !thresholdError;

  const onSubmit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!canSave) {
      return;
    }
    try {
      await saveSettings(plugin.meta, { datasourceUid, exporterUrl, alertThreshold: Number(threshold) });
      // Grafana hands jsonData to the app only when it loads the plugin.
      locationService.reload();
    } catch (error: unknown) {
      setSaveError(error instanceof Error ? error.message : String(error));
    }
  };

  const onCheck = async (): Promise<void> => {
    try {
      const page = await new ExporterApi().listProfiles({}, 0, 1);
      setCheck({ ok: true, text: `Reached the exporter API: ${page.total} profile${page.total === 1 ? '' : 's'}.` });
    } catch (error: unknown) {
      setCheck({ ok: false, text: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <form onSubmit={(e) => void onSubmit(e)} className={styles.form} data-testid="telltale-app-config">
      <FieldSet label="Telltale data">
        <Field label="Prometheus data source" description="The Prometheus that scrapes the Telltale exporters. Every number in the app comes from it.">
          <DataSourcePicker
            pluginId="prometheus"
            current={datasourceUid === '' ? null : datasourceUid}
            onChange={(ds) => setDatasourceUid(ds.uid)}
            width={60}
            noDefault
          />
        </Field>
        <Field
          label="Exporter API URL"
          htmlFor="exporter-url"
          description="Base URL of a Telltale exporter, e.g. http://telltale.telltale.svc:9310. Grafana's server reaches it through the app's proxy route."
          invalid={Boolean(urlError)}
          error={urlError}
        >
          <Input
            id="exporter-url"
            width={60}
            value={exporterUrl}
            placeholder="http://telltale.telltale.svc:9310"
            onChange={(e) => setExporterUrl(e.currentTarget.value.trim())}
          />
        </Field>
        <Field
          label="Alert threshold"
          htmlFor="alert-threshold"
          description="Deviation score at which Telltale alerts (the PrometheusRule default is 0.9); drawn on score charts."
          invalid={Boolean(thresholdError)}
          error={thresholdError}
        >
          <Input id="alert-threshold" width={12} value={threshold} onChange={(e) => setThreshold(e.currentTarget.value.trim())} />
        </Field>
        <Stack gap={1}>
          <Button type="submit" disabled={!canSave}>
            Save settings
          </Button>
          <Button type="button" variant="secondary" disabled={!saved.exporterUrl} onClick={() => void onCheck()}>
            Test exporter API
          </Button>
        </Stack>
        {saveError && (
          <Alert severity="error" title="Settings not saved" className={styles.alert}>
            {saveError}
          </Alert>
        )}
        {check && (
          <Alert severity={check.ok ? 'success' : 'error'} title={check.ok ? 'Exporter API reachable' : 'Exporter API not reachable'} className={styles.alert}>
            {check.text}
          </Alert>
        )}
      </FieldSet>
    </form>
  );
}

async function saveSettings(meta: AppPluginMeta<AppJsonData>, jsonData: AppJsonData): Promise<void> {
  const body: Partial<PluginMeta<AppJsonData>> = {
    enabled: meta.enabled ?? true,
    pinned: meta.pinned ?? true,
    jsonData: { ...meta.jsonData, ...jsonData },
  };
  await getBackendSrv().post(`/api/plugins/${encodeURIComponent(meta.id)}/settings`, body, { showErrorAlert: false });
}

const getStyles = (theme: GrafanaTheme2) => ({
  form: css({ maxWidth: 900, marginTop: theme.spacing(2) }),
  alert: css({ marginTop: theme.spacing(2) }),
});
