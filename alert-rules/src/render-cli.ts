import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { DEFAULT_CONFIG, RENDERED_DIR } from './paths.js';
import { writeRendered } from './render.js';

const usage = `usage: npm run render -w alert-rules [-- --config <file> ... --out-dir <dir>]
  --config <file>   config file; repeat to overlay (later wins). Default: alert-rules/config.yaml
  --out-dir <dir>   where to write telltale.rules.yaml and prometheusrule.yaml. Default: alert-rules/rendered`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', multiple: true },
      'out-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) {
    console.log(usage);
    return;
  }
  // npm runs workspace scripts in the workspace folder; resolve against where the user typed.
  const base = process.env.INIT_CWD ?? process.cwd();
  const configs = values.config?.map((file) => resolve(base, file)) ?? [DEFAULT_CONFIG];
  const outDir = values['out-dir'] === undefined ? RENDERED_DIR : resolve(base, values['out-dir']);
  const config = await loadConfig(configs);
  for (const path of await writeRendered(config, outDir)) console.log(`wrote ${path}`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`render: ${error.message}`);
  } else if (error instanceof Error) {
    console.error(`render: ${error.message}\n${usage}`);
  } else {
    console.error(`render: ${String(error)}`);
  }
  process.exitCode = 1;
});
