/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

type Factory = (...deps: unknown[]) => unknown;

interface PendingDefine {
  readonly deps: readonly string[];
  readonly factory: Factory;
}

/** The module record Grafana's SystemJS hands a plugin for its `module` dependency. */
export interface AmdModuleMeta {
  readonly id: string;
  readonly uri: string;
}

/**
 * The part of Grafana's plugin loader that the built plugin needs: a global AMD `define` that
 * resolves the plugin's externals (`react`, `@grafana/*`, …) to the modules Grafana shares,
 * and `module` to the plugin's own URL (webpack derives its public path from it).
 */
export function installAmdLoader(shared: Readonly<Record<string, unknown>>): (url: string) => Promise<unknown> {
  let pending: PendingDefine | undefined;
  const define = (deps: readonly string[] | Factory, factory?: Factory): void => {
    if (typeof deps === 'function') {
      pending = { deps: [], factory: deps };
    } else if (factory) {
      pending = { deps, factory };
    } else {
      throw new Error('define() without a factory');
    }
  };
  Object.assign(define, { amd: {} });
  Object.assign(window, { define });

  return (url: string) =>
    new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = url;
      script.onerror = () => reject(new Error(`could not load plugin module ${url}`));
      script.onload = () => {
        const definition = pending;
        pending = undefined;
        if (!definition) {
          reject(new Error(`${url} did not call define(): it is not an AMD module`));
          return;
        }
        try {
          const meta: AmdModuleMeta = { id: url, uri: url };
          const missing = definition.deps.filter((d) => d !== 'module' && !(d in shared));
          if (missing.length > 0) {
            throw new Error(`${url} needs modules the harness does not share: ${missing.join(', ')}`);
          }
          const resolved = definition.deps.map((d) => (d === 'module' ? meta : shared[d]));
          // A plugin with top-level await exports a promise of its exports.
          Promise.resolve(definition.factory(...resolved)).then(resolve, reject);
        } catch (error: unknown) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      };
      document.head.appendChild(script);
    });
}

/**
 * A module namespace as an ES-module interop object with live bindings: webpack reads a
 * default import from `.default` when `__esModule` is set, and named imports as properties,
 * which must stay live (scenes reads `PluginPage` from @grafana/runtime at render time).
 */
export function asEsModule(namespace: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(namespace)) {
    Object.defineProperty(out, key, { enumerable: true, get: () => (namespace as Record<string, unknown>)[key] });
  }
  Object.defineProperty(out, '__esModule', { value: true });
  return out;
}
