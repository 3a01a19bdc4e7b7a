/**
 * Build of the app plugin, after @grafana/create-plugin 7.1.7's webpack config: an AMD module
 * (`dist/module.js`) that Grafana loads with its shared modules as externals, plus the files
 * Grafana reads from the plugin folder (plugin.json, logo, README, bundled dashboards).
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack, { type Configuration } from 'webpack';
import VirtualModulesPlugin from 'webpack-virtual-modules';

const root = path.dirname(fileURLToPath(import.meta.url));
const pluginJson = JSON.parse(readFileSync(path.join(root, 'src/plugin.json'), 'utf8')) as { id: string };
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

/** Modules Grafana provides to plugins at runtime (create-plugin's list). */
export const GRAFANA_SHARED_MODULES: Array<string | RegExp> = [
  'lodash',
  'jquery',
  'moment',
  'slate',
  'emotion',
  '@emotion/react',
  '@emotion/css',
  'prismjs',
  'slate-plain-serializer',
  '@grafana/slate-react',
  'react',
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
  'react-dom',
  'react-redux',
  'redux',
  'rxjs',
  'i18next',
  'react-router',
  'd3',
  'angular',
  /^@grafana\/ui/i,
  /^@grafana\/runtime/i,
  /^@grafana\/data/i,
];

// Grafana's SystemJS gives each plugin module its own URL as `module.uri`; chunks load from
// next to it, which keeps the app working behind a CDN or a sub-path.
const publicPathModule = new VirtualModulesPlugin({
  'node_modules/grafana-public-path.js': `
import amdMetaModule from 'amd-module';
__webpack_public_path__ =
  amdMetaModule && amdMetaModule.uri
    ? amdMetaModule.uri.slice(0, amdMetaModule.uri.lastIndexOf('/') + 1)
    : 'public/plugins/${pluginJson.id}/';
`,
});

function fillPlaceholders(content: Buffer): string {
  return content
    .toString()
    .replace(/%VERSION%/g, packageJson.version)
    .replace(/%TODAY%/g, new Date().toISOString().substring(0, 10))
    .replace(/%PLUGIN_ID%/g, pluginJson.id);
}

export default (env: Record<string, unknown>): Configuration => {
  const production = Boolean(env['production']);
  return {
    context: path.join(root, 'src'),
    mode: production ? 'production' : 'development',
    devtool: production ? 'source-map' : 'eval-source-map',
    cache: { type: 'filesystem', buildDependencies: { config: [fileURLToPath(import.meta.url)] } },
    entry: { module: './module.tsx' },
    externals: [{ 'amd-module': 'module' }, ...GRAFANA_SHARED_MODULES],
    module: {
      rules: [
        {
          test: /src\/module\.tsx$/,
          use: [{ loader: 'imports-loader', options: { imports: 'side-effects grafana-public-path' } }],
        },
        {
          exclude: /node_modules/,
          test: /\.[tj]sx?$/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                target: 'es2020',
                parser: { syntax: 'typescript', tsx: true, decorators: false, dynamicImport: true },
                transform: { react: { runtime: 'automatic' } },
              },
            },
          },
        },
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
        { test: /\.(png|jpe?g|gif|svg)$/, type: 'asset/resource', generator: { filename: 'img/[name][ext]' } },
        { test: /\.(woff2?|eot|ttf|otf)$/, type: 'asset/resource', generator: { filename: 'fonts/[hash][ext]' } },
      ],
    },
    optimization: { minimize: production },
    output: {
      clean: true,
      filename: '[name].js',
      chunkFilename: production ? '[name].js?_cache=[contenthash]' : '[name].js',
      library: { type: 'amd' },
      path: path.join(root, 'dist'),
      publicPath: `public/plugins/${pluginJson.id}/`,
      uniqueName: pluginJson.id,
      crossOriginLoading: 'anonymous',
    },
    plugins: [
      publicPathModule,
      new webpack.BannerPlugin({ banner: `/* ${pluginJson.id}@${packageJson.version} */`, raw: true, entryOnly: true }),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'plugin.json', to: '.', transform: fillPlaceholders },
          { from: 'img', to: 'img' },
          { from: '../README.md', to: '.', transform: fillPlaceholders },
          { from: '../CHANGELOG.md', to: '.' },
          { from: '../../LICENSE', to: '.' },
          { from: '../../dashboards/telltale-*.json', to: 'dashboards/[name][ext]', noErrorOnMissing: true },
        ],
      }),
    ],
    resolve: {
      extensions: ['.js', '.jsx', '.ts', '.tsx'],
      // Sources import siblings as `./x.js` (Node ESM style) so that Node-side tests can share them.
      extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
    },
    performance: { hints: false },
  };
};
