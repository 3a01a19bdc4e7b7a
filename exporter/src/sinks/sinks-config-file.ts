import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { locateYamlNode } from '../config/yaml-locate.js';
import { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions } from './delivery-options.js';
import { resolveDelivery, type ReportProblem, type SpecPath } from './resolve-sink-spec.js';
import { SINKS_FILE_SCHEMA, SINK_TYPES, type DeliverySpec, type SinkSpec, type SinksFileSpec } from './sink-spec.js';
import type { ConfigProblem } from './sinks-config.js';

/** A sink spec with where it came from, so later checks can point at the right line. */
export interface LocatedSinkSpec {
  readonly spec: SinkSpec;
  /** Delivery options the spec's own fields override: the file's `defaults`, or the built-in ones. */
  readonly defaults: DeliveryOptions;
  readonly baseDir: string;
  /** Reports a problem at a path inside this spec. */
  readonly report: ReportProblem;
}

const ajv = new Ajv({ allErrors: true, discriminator: true, strict: true, allowUnionTypes: true });
const validateFile = ajv.compile<SinksFileSpec>(SINKS_FILE_SCHEMA);
// The parts on their own, to salvage what is well-formed from a file that is not (see salvage).
const validateDefaults = ajv.compile<DeliverySpec>(SINKS_FILE_SCHEMA.properties.defaults);
const validateSink = ajv.compile<SinkSpec>(SINKS_FILE_SCHEMA.properties.sinks.items);

/** `sinks[1].retry.maxDelay`, as a user would search for it in the file. */
export function fieldName(path: SpecPath): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key), '');
}

function ajvMessage(error: ErrorObject): { path: SpecPath; message: string; pointAtKey?: boolean } {
  const path: SpecPath = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: [...path, String(params.additionalProperty)], message: 'unknown field', pointAtKey: true };
    case 'required':
      return { path, message: `missing required field "${String(params.missingProperty)}"` };
    case 'discriminator':
      return { path: [...path, 'type'], message: `must be one of ${SINK_TYPES.join(', ')}` };
    case 'enum':
      return { path, message: `must be one of ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'type': {
      const type = String(params.type).replace(/,/g, ' or ');
      return { path, message: `must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}` };
    }
    default:
      return { path, message: error.message ?? error.keyword };
  }
}

/** Deletes the value at `path` (a list element takes its whole list, so later indexes keep pointing at the lines they came from). */
function removeAt(root: Record<string, unknown>, path: SpecPath): void {
  const keyPath = typeof path.at(-1) === 'number' ? path.slice(0, -1) : path;
  let parent: unknown = root;
  for (const key of keyPath.slice(0, -1)) parent = (parent as Record<string | number, unknown> | undefined)?.[key];
  const last = keyPath.at(-1);
  if (last !== undefined && parent !== null && typeof parent === 'object') delete (parent as Record<string | number, unknown>)[last];
}

/**
 * `value` without the parts the schema rejects, or undefined when what is wrong is the value
 * itself (a sink with an unknown type or without its url). Those parts are reported from the
 * whole-file check already; what remains still gets its values checked (URLs, durations,
 * names, token files), so one run reports a misspelled field and a bad URL together instead
 * of the URL only after the field is fixed.
 */
function salvage<T>(validate: ValidateFunction<T>, value: unknown): T | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const copy = structuredClone(value) as Record<string, unknown>;
  // Each round removes at least one rejected part; a handful of rounds covers any nesting the schema has.
  for (let round = 0; round < 8; round++) {
    if (validate(copy)) return copy;
    for (const error of validate.errors ?? []) {
      if (error.keyword === 'oneOf') continue;
      const { path } = ajvMessage(error);
      const atRoot = error.instancePath === '' && error.keyword !== 'additionalProperties';
      if (atRoot) return undefined;
      removeAt(copy, path);
    }
  }
  return undefined;
}

/**
 * Reads a sinks config file (YAML, or JSON, which is YAML too). Problems, with line and
 * column, go to `problems`: shape problems now, problems found later by resolveSinkSpec
 * through each spec's `report`. Specs are returned for every sink whose shape is usable
 * once its rejected fields are left out, so their values are checked in the same run; the
 * caller fails on any problem, so a salvaged spec never runs.
 */
export function parseSinksConfigText(
  text: string,
  source: string,
  baseDir: string,
  problems: ConfigProblem[],
): LocatedSinkSpec[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const [start] = error.linePos ?? [];
      problems.push({
        source,
        line: start?.line,
        column: start?.col,
        field: '',
        message: `not valid YAML: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
      });
    }
    return [];
  }
  const reportAt = (path: SpecPath, message: string, pointAtKey = false): void => {
    const node = locateYamlNode(doc, path, pointAtKey);
    const position = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
    problems.push({ source, line: position?.line, column: position?.col, field: fieldName(path), message });
  };

  const data: unknown = doc.toJS() ?? {};
  if (!validateFile(data)) {
    for (const error of validateFile.errors ?? []) {
      const { path, message, pointAtKey } = ajvMessage(error);
      // With a discriminator, an unknown type also fails the oneOf; one message is enough.
      if (error.keyword === 'oneOf') continue;
      reportAt(path, message, pointAtKey);
    }
  }
  const root = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const defaultsSpec = root.defaults === undefined ? undefined : salvage(validateDefaults, root.defaults);
  const defaults = resolveDelivery(defaultsSpec, DEFAULT_DELIVERY_OPTIONS, (path, message) => reportAt(['defaults', ...path], message));
  const sinks: readonly unknown[] = Array.isArray(root.sinks) ? root.sinks : [];
  return sinks.flatMap((raw, index) => {
    const spec = salvage(validateSink, raw);
    if (spec === undefined) return [];
    return [{ spec, defaults, baseDir, report: (path: SpecPath, message: string) => reportAt(['sinks', index, ...path], message) }];
  });
}
