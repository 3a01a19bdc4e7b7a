import { defineConfig } from 'vitest/config';

// Several tests run promtool, amtool, Prometheus or Alertmanager: generous limits on a shared machine.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
