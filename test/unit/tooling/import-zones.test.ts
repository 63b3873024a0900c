// The import table of DESIGN.md is enforced by ESLint: prove each zone refuses what it must.
import { ESLint } from 'eslint';
import { join } from 'node:path';

const eslint = new ESLint({ cwd: join(__dirname, '..', '..', '..') });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import zones', () => {
  it('keeps electron out of the core, the server and the contract', async () => {
    const code = "import { app } from 'electron';\nexport const x = app;\n";
    for (const file of ['main/core/x.ts', 'main/server/x.ts', 'common/x.ts']) {
      expect(await restrictedImports(file, code), file).toHaveLength(1);
    }
  });

  it('lets the Electron shell and the preload import electron', async () => {
    const code = "import { app } from 'electron';\nexport const x = app;\n";
    expect(await restrictedImports('main/electron/x.ts', code)).toEqual([]);
    expect(await restrictedImports('preload/x.ts', code)).toEqual([]);
  });

  it('lets the contract import only zod and itself', async () => {
    expect(
      await restrictedImports(
        'common/x.ts',
        "import { z } from 'zod';\nimport { api } from './api';\nexport const x = [z, api];\n",
      ),
    ).toEqual([]);
    expect(
      await restrictedImports(
        'common/x.ts',
        "import { WebSocket } from 'ws';\nexport const x = WebSocket;\n",
      ),
    ).toHaveLength(1);
    expect(
      await restrictedImports(
        'common/x.ts',
        "import { createCore } from '../main/core/core';\nexport const x = createCore;\n",
      ),
    ).toHaveLength(1);
  });

  it('gives the renderer no Node and no path into main', async () => {
    expect(
      await restrictedImports(
        'renderer/src/x.ts',
        "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
      ),
    ).toHaveLength(1);
    expect(
      await restrictedImports(
        'renderer/src/x.ts',
        "import { createCore } from '../../main/core/core';\nexport const x = createCore;\n",
      ),
    ).toHaveLength(1);
    expect(
      await restrictedImports(
        'renderer/src/x.ts',
        "import { api } from '../../common/api';\nexport const x = api;\n",
      ),
    ).toEqual([]);
  });

  it('keeps the core from importing its shells', async () => {
    expect(
      await restrictedImports(
        'main/core/x.ts',
        "import { startServer } from '../server/server';\nexport const x = startServer;\n",
      ),
    ).toHaveLength(1);
  });
});
