import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FilesystemProfileStore } from '../filesystem-profile-store.js';
import { profileEnvelope, renderProfileYaml } from '../profile-store-format.js';
import { fixtureProfiles } from './profile-fixtures.js';

/**
 * Writes the fixture profiles (learning, ready and locked; cgroup, container and Kubernetes
 * workloads; every category; some entries learned after ready) for tests outside this
 * workspace, e.g. the Grafana app's browser test:
 *
 *   npx tsx exporter/src/profiles/test-fixtures/write-fixture-profiles.ts --state-dir DIR
 *       stores them in DIR/profiles, as `telltale run --no-sensor --state-dir DIR` serves them
 *   npx tsx exporter/src/profiles/test-fixtures/write-fixture-profiles.ts --files DIR
 *       writes one WorkloadProfile YAML file each, for `telltale profiles import`
 *
 * Prints a JSON list of { id, namespace, workload, workloadType, container, state, file? }.
 */
export async function writeFixtureProfiles(options: { stateDir?: string; filesDir?: string }): Promise<{ id: string; state: string; file?: string }[]> {
  const written = [];
  const store = options.stateDir ? new FilesystemProfileStore({ stateDir: options.stateDir }) : undefined;
  if (options.filesDir) await mkdir(options.filesDir, { recursive: true });
  for (const { id, document } of fixtureProfiles()) {
    if (store) {
      const existing = await store.load(id);
      await store.save(id, document, existing?.revision ?? null);
    }
    const file = options.filesDir ? join(options.filesDir, `${id}.yaml`) : undefined;
    if (file) await writeFile(file, renderProfileYaml(profileEnvelope(id, undefined, document)));
    written.push({ id, ...document.workload, state: document.state, ...(file ? { file } : {}) });
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const { values } = parseArgs({ options: { 'state-dir': { type: 'string' }, files: { type: 'string' } }, strict: true });
  if (!values['state-dir'] && !values.files) {
    process.stderr.write('usage: write-fixture-profiles.ts [--state-dir DIR] [--files DIR]\n');
    process.exit(2);
  }
  const written = await writeFixtureProfiles({ stateDir: values['state-dir'], filesDir: values.files });
  process.stdout.write(`${JSON.stringify(written, null, 2)}\n`);
}
