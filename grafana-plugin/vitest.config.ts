import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const modules = fileURLToPath(new URL('../node_modules/', import.meta.url));

export default defineConfig({
  resolve: {
    // Grafana ships one copy of each; @grafana/ui's Link (react-router-dom-v5-compat) must see
    // the same Router context as the app, so load the compat package's ES build and dedupe.
    dedupe: ['react', 'react-dom', 'react-router'],
    alias: [
      {
        find: /^react-router-dom-v5-compat$/,
        replacement: `${modules}@grafana/ui/node_modules/react-router-dom-v5-compat/dist/index.js`,
      },
    ],
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}', 'provisioning/**/*.test.ts'],
    setupFiles: ['./test/vitest-setup.ts'],
    // @grafana/ui ships ESM that imports CSS and expects a bundler; let Vite transform it.
    server: { deps: { inline: [/@grafana\//, /react-calendar/, /rc-/, /@rc-component/, /react-router/] } },
    css: false,
    testTimeout: 30_000,
  },
});
