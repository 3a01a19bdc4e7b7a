import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where a packaged install keeps the loader. */
export const INSTALLED_LOADER = '/usr/lib/telltale/telltale-loader';

/** The loader built in this checkout (bpf/build), relative to exporter/{src,dist}/sensor. */
export function checkoutLoaderPath(): string {
  return fileURLToPath(new URL('../../../bpf/build/telltale-loader', import.meta.url));
}

export function defaultLoaderPath(): string {
  for (const candidate of [checkoutLoaderPath(), INSTALLED_LOADER]) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next place
    }
  }
  return checkoutLoaderPath();
}
