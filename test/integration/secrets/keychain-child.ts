// Run in a child process by keychain.test.ts (bundled by esbuild, keytar left external): performs the
// operations given as JSON in argv[2] against the real keychain and prints one JSON line per result.
import { SecretError } from '../../../main/core/secrets/errors';
import { KeytarSecretStore } from '../../../main/core/secrets/keytar-store';
import { parseSecretRef } from '../../../main/core/secrets/port';
import { chooseSecretStore } from '../../../main/core/secrets/select';

export type ChildOp =
  | { op: 'set'; ref: string; value: string }
  | { op: 'get'; ref: string }
  | { op: 'delete'; ref: string }
  | { op: 'choose'; dataDir: string };

export type ChildResult =
  | { ok: true; op: ChildOp['op']; value: unknown }
  | { ok: false; op: ChildOp['op']; reason: string; message: string };

async function run(op: ChildOp): Promise<unknown> {
  const store = new KeytarSecretStore({ timeoutMs: 10_000 });
  switch (op.op) {
    case 'set':
      return store.set(parseSecretRef(op.ref), op.value);
    case 'get':
      return (await store.get(parseSecretRef(op.ref))) ?? null;
    case 'delete':
      return store.delete(parseSecretRef(op.ref));
    case 'choose': {
      const choice = await chooseSecretStore({ dataDir: op.dataDir, env: process.env });
      return {
        kind: choice.store.kind,
        description: choice.store.description,
        keychainUnavailable: choice.keychainUnavailable,
      };
    }
  }
}

async function main(): Promise<void> {
  const ops = JSON.parse(process.argv[2] ?? '[]') as ChildOp[];
  for (const op of ops) {
    let result: ChildResult;
    try {
      result = { ok: true, op: op.op, value: (await run(op)) ?? null };
    } catch (err) {
      result = {
        ok: false,
        op: op.op,
        reason: err instanceof SecretError ? err.reason : 'unexpected',
        message: err instanceof Error ? err.message : String(err),
      };
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(2);
  },
);
