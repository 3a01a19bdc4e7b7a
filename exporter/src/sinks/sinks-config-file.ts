import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { locateYamlNode } from '../config/yaml-locate.js';
import { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions } from './delivery-options.js';
import { resolveDelivery, type ReportProblem, type SpecPath } from './resolve-sink-spec.js';
import { SINKS_FILE_SCHEMA, SINK_TYPES, type SinkSpec, type SinksFileSpec } from './sink-spec.js';
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

const validateFile = new Ajv({ allErrors: true, discriminator: true, strict: true, allowUnionTypes: true }).compile<SinksFileSpec>(SINKS_FILE_SCHEMA);

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


/**
 * Reads a sinks config file (YAML, or JSON, which is YAML too). Problems, with line and
 * column, go to `problems`: shape problems now (and no specs are returned), problems found
 * later by resolveSinkSpec through each spec's `report`.
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
    return [];
  }
  const defaults = resolveDelivery(data.defaults, DEFAULT_DELIVERY_OPTIONS, (path, message) =>
    reportAt(['defaults', ...path], message),
  );
  return (data.sinks ?? []).map((spec, index) => ({
    spec,
    defaults,
    baseDir,
    report: (path: SpecPath, message: string) => reportAt(['sinks', index, ...path], message),
  }));
}
