import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderWorkloadProfileSchema } from './profile-schema.js';

/** Where the published schema is checked in, relative to this module (src/ or dist/). */
export const SCHEMA_FILE = fileURLToPath(new URL('../../schema/workload-profile.schema.json', import.meta.url));

// `npx tsx exporter/src/profiles/profile-schema-generate.ts` rewrites the checked-in schema.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, renderWorkloadProfileSchema());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
