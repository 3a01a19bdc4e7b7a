import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDashboards, serialize } from './generate.js';

// Regenerates the checked-in dashboard JSON: `npm run generate -w @telltale/dashboards`.
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const [file, dashboard] of Object.entries(generateDashboards())) {
  writeFileSync(join(outDir, file), serialize(dashboard));
  console.log(`wrote dashboards/${file}`);
}
