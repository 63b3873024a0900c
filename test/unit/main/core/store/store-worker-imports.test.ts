// The store's worker loads the store and nothing of the contract: the schemas (zod) cost its heap
// ~3 MB, and every garbage collection of that heap marks them again.
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');

describe('store worker', () => {
  it('bundles without zod or the schemas', () => {
    const { metafile } = buildSync({
      entryPoints: [join(ROOT, 'main', 'core', 'store', 'store-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      metafile: true,
      external: ['better-sqlite3'],
      logLevel: 'silent',
    });
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((p) => p.endsWith('store-engine.ts'))).toBe(true);
    expect(inputs.filter((p) => p.includes('node_modules/zod') || p.includes('common/schemas'))).toEqual([]);
  });
});
