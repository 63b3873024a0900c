// The `hyperion` command line: parses arguments and dispatches to a command.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { productVersion } from '../core/version';
import { formatSample, takeLocalSample } from './sample';
import { runServe } from './serve';
import { USAGE, UsageError } from './usage';

function parseIntegerFlag(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return Number(value);
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
    return { values: values as Record<string, string | boolean | undefined> };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve': {
        const { values } = parse(rest, {
          port: { type: 'string' },
          bind: { type: 'string' },
          'data-dir': { type: 'string' },
        });
        const bind = (values.bind as string | undefined) ?? '127.0.0.1';
        if (!bind.trim()) throw new UsageError('--bind needs an address, such as 127.0.0.1');
        await runServe({
          port: parseIntegerFlag('port', values.port as string | undefined, 0, 65535, 7420),
          bind,
          dataDir: values['data-dir'] as string | undefined,
        });
        return -1; // keeps running until a signal
      }
      case 'sample': {
        const { values } = parse(rest, { json: { type: 'boolean' }, interval: { type: 'string' } });
        const interval = parseIntegerFlag(
          'interval',
          values.interval as string | undefined,
          100,
          60_000,
          1000,
        );
        const sample = await takeLocalSample(interval);
        process.stdout.write(values.json ? `${JSON.stringify(sample, null, 2)}\n` : formatSample(sample));
        return 0;
      }
      case 'version':
      case '--version':
        process.stdout.write(`${productVersion()}\n`);
        return 0;
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return 0;
      case undefined:
        throw new UsageError('no command given');
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`hyperion: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`hyperion: ${(err as Error).message}\n`);
    return 1;
  }
}
