/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import type { PluginPageProps } from '@grafana/runtime';
import { useStyles2 } from '@grafana/ui';
import React from 'react';

/**
 * Stands in for Grafana's page chrome around an app page: the title, subtitle and actions
 * from pageNav, on the canvas background. Grafana sets its own through the same setter.
 */
export function HarnessPluginPage({ pageNav, subTitle, actions, children }: PluginPageProps): React.JSX.Element {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <h1 className={styles.title}>{pageNav?.text}</h1>
        {(subTitle ?? pageNav?.subTitle) && <div className={styles.subTitle}>{subTitle ?? pageNav?.subTitle}</div>}
        {actions}
      </header>
      <main className={styles.content}>{children}</main>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ minHeight: '100vh', background: theme.colors.background.canvas, padding: theme.spacing(2, 3) }),
  header: css({ marginBottom: theme.spacing(2) }),
  title: css({ margin: 0, fontSize: theme.typography.h2.fontSize }),
  subTitle: css({ color: theme.colors.text.secondary, marginTop: theme.spacing(0.5) }),
  content: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
});
