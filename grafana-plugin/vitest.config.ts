import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    setupFiles: ['./test/vitest-setup.ts'],
    // @grafana/ui ships ESM that imports CSS and expects a bundler; let Vite transform it.
    server: { deps: { inline: [/@grafana\//, /react-calendar/, /rc-/, /@rc-component/] } },
    css: false,
    testTimeout: 30_000,
  },
});
