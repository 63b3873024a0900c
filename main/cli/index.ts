// The `hyperion` command line: parses arguments and dispatches to a command.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { productVersion } from '../core/version';
import { defaultDataDir } from '../core/paths';
import { formatSample, takeLocalSample } from './sample';
import { runAlerts } from './alerts';
import { runAudit } from './audit';
import { runUsers } from './users';
import { runExec } from './exec';
import { runExport } from './export';
import { takeRemoteSample } from './sample-remote';
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

function glueNegativeValues(args: string[], flags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (flags.includes(arg) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** Like parse(), with positional arguments allowed (a command's target). */
function parseWithTarget(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  // "--from -24h": a relative time looks like an option to parseArgs, so glue it to its flag.
  args = glueNegativeValues(args, ['--from', '--to']);
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
    return { values: values as Record<string, string | boolean | string[] | undefined>, positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The flags of `audit` and `alerts`: a host, one more filter, a time range, paging and output. */
function parseLogQuery(command: string, sub: string | undefined, flags: string[], filterFlag: string) {
  const { values, positionals } = parseWithTarget(flags, {
    host: { type: 'string' },
    [filterFlag]: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    limit: { type: 'string' },
    format: { type: 'string' },
    output: { type: 'string' },
    'data-dir': { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`${command} ${sub ?? ''} takes no "${positionals[0]}"`);
  const text = (name: string) => values[name] as string | undefined;
  return {
    dataDir: text('data-dir') ?? defaultDataDir(),
    host: text('host'),
    filter: text(filterFlag),
    from: text('from'),
    to: text('to'),
    limit: parseIntegerFlag('limit', text('limit'), 1, 10_000, 50),
    format: text('format'),
    output: text('output'),
  };
}

/** Prints a command's text (and its note on stderr) and returns its exit status. */
function printResult(result: { status: number; text: string; note?: string }): number {
  if (result.note) process.stderr.write(`${result.note}\n`);
  process.stdout.write(result.text);
  return result.status;
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
          'tls-cert': { type: 'string' },
          'tls-key': { type: 'string' },
          'allow-host': { type: 'string', multiple: true },
        });
        const bind = (values.bind as string | undefined) ?? '127.0.0.1';
        if (!bind.trim()) throw new UsageError('--bind needs an address, such as 127.0.0.1');
        const allowHosts = (values['allow-host'] as unknown as string[] | undefined) ?? [];
        for (const host of allowHosts) {
          if (!/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host)) {
            throw new UsageError(`--allow-host takes a host name or host:port, not "${host}"`);
          }
        }
        await runServe({
          port: parseIntegerFlag('port', values.port as string | undefined, 0, 65535, 7420),
          bind,
          dataDir: values['data-dir'] as string | undefined,
          tlsCert: values['tls-cert'] as string | undefined,
          tlsKey: values['tls-key'] as string | undefined,
          allowHosts,
        });
        return -1; // keeps running until a signal
      }
      case 'sample': {
        const { values, positionals } = parseWithTarget(rest, {
          json: { type: 'boolean' },
          interval: { type: 'string' },
          identity: { type: 'string' },
          'known-hosts': { type: 'string' },
          'accept-key': { type: 'string' },
          'data-dir': { type: 'string' },
        });
        const interval = parseIntegerFlag(
          'interval',
          values.interval as string | undefined,
          100,
          60_000,
          1000,
        );
        if (positionals.length > 1) throw new UsageError('sample takes one host at a time');
        const target = positionals[0];
        const acceptKey = values['accept-key'] as string | undefined;
        if (acceptKey !== undefined && !/^SHA256:[A-Za-z0-9+/]{43}$/.test(acceptKey)) {
          throw new UsageError(
            '--accept-key takes a fingerprint such as SHA256:abc… (43 characters after the colon)',
          );
        }
        const sample = target
          ? await takeRemoteSample({
              target,
              intervalMs: interval,
              dataDir: (values['data-dir'] as string | undefined) ?? defaultDataDir(),
              identity: values.identity as string | undefined,
              knownHosts: values['known-hosts'] as string | undefined,
              acceptKey,
            })
          : await takeLocalSample(interval);
        process.stdout.write(values.json ? `${JSON.stringify(sample, null, 2)}\n` : formatSample(sample));
        return 0;
      }
      case 'export': {
        const { values, positionals } = parseWithTarget(rest, {
          from: { type: 'string' },
          to: { type: 'string' },
          label: { type: 'string', multiple: true },
          format: { type: 'string' },
          output: { type: 'string' },
          'data-dir': { type: 'string' },
        });
        if (positionals.length !== 2)
          throw new UsageError('export needs a host and a metric, e.g. hyperion export web-1 cpu.usage');
        const labels = (values.label as unknown as string[] | undefined) ?? [];
        const { rows, text } = runExport({
          host: positionals[0]!,
          metric: positionals[1]!,
          labels,
          from: (values.from as string | undefined) ?? '-24h',
          to: (values.to as string | undefined) ?? 'now',
          format: (values.format as string | undefined) ?? 'csv',
          output: values.output as string | undefined,
          dataDir: (values['data-dir'] as string | undefined) ?? defaultDataDir(),
        });
        if (values.output) process.stderr.write(`${rows} rows written to ${String(values.output)}\n`);
        else process.stdout.write(text);
        return 0;
      }
      case 'audit': {
        const [sub, ...flags] = rest;
        const { filter, ...query } = parseLogQuery('audit', sub, flags, 'action');
        return printResult(runAudit({ sub, ...query, action: filter }));
      }
      case 'alerts': {
        const [sub, ...flags] = rest;
        const { filter, ...query } = parseLogQuery('alerts', sub, flags, 'severity');
        return printResult(runAlerts({ sub, ...query, severity: filter }));
      }
      case 'users': {
        const [sub, ...flags] = rest;
        const { values, positionals } = parseWithTarget(flags, { 'data-dir': { type: 'string' } });
        if (positionals.length > 1) throw new UsageError(`users ${sub ?? ''} takes one name`);
        const result = await runUsers({
          sub,
          name: positionals[0],
          dataDir: (values['data-dir'] as string | undefined) ?? defaultDataDir(),
        });
        process.stdout.write(result.text);
        return result.status;
      }
      case 'exec': {
        const dash = rest.indexOf('--');
        if (dash < 0) throw new UsageError('exec needs -- before the command: hyperion exec web-1 -- uptime');
        const { values, positionals } = parseWithTarget(rest.slice(0, dash), {
          timeout: { type: 'string' },
          concurrency: { type: 'string' },
          group: { type: 'boolean' },
          'data-dir': { type: 'string' },
        });
        if (positionals.length !== 1)
          throw new UsageError('exec takes one list of hosts, e.g. web-1,web-2 or tag:web or all');
        const command = rest.slice(dash + 1);
        if (command.length === 0) throw new UsageError('exec needs a command after --');
        const cancel = new AbortController();
        const onSignal = () => cancel.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          const status = await runExec({
            hosts: positionals[0]!,
            command,
            dataDir: (values['data-dir'] as string | undefined) ?? defaultDataDir(),
            timeoutSec: parseIntegerFlag('timeout', values.timeout as string | undefined, 1, 86_400, 300),
            concurrency: parseIntegerFlag(
              'concurrency',
              values.concurrency as string | undefined,
              1,
              100,
              10,
            ),
            group: values.group === true,
            signal: cancel.signal,
          });
          return cancel.signal.aborted ? 130 : status;
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
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
