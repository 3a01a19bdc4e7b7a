import type { BadgeColor, IconName } from '@grafana/ui';

export const STATE_BADGES: Readonly<Record<string, { color: BadgeColor; icon: IconName }>> = {
  learning: { color: 'blue', icon: 'book-open' },
  ready: { color: 'green', icon: 'check' },
  locked: { color: 'purple', icon: 'lock' },
};
