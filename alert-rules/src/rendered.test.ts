import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { DEFAULT_CONFIG, RENDERED_DIR } from './paths.js';
import { renderAll } from './render.js';

describe('rendered/', () => {
  it('is exactly what config.yaml renders to (run `npm run render -w alert-rules` after changing either)', async () => {
    const fresh = renderAll(await loadConfig([DEFAULT_CONFIG]));
    for (const [fileName, text] of Object.entries(fresh)) {
      const checkedIn = await readFile(join(RENDERED_DIR, fileName), 'utf8');
      expect(checkedIn, `rendered/${fileName} is stale: run npm run render -w alert-rules and commit the result`).toBe(text);
    }
  });
});
