import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const schemaPath = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'plugin.schema.json');

/** Grafana's plugin.json schema (vendored, see fixtures/README.md), validated with ajv; [] when valid. */
export function pluginJsonErrors(candidate: unknown): string[] {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
  // The schema names draft-07 without the trailing '#', which ajv does not know by that key,
  // and its patterns escape '-' (fine in JavaScript regexes, not in unicode mode).
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, unicodeRegExp: false });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  return validate(candidate) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
