import { defineConfig } from 'vitest/config';

// Cross-component tests start real processes (BPF loaders, Prometheus, Chromium) and
// share one kernel, so files run one at a time and waits get generous limits.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', 'artifacts/**'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
