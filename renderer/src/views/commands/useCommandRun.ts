// One run, live: the commands.live stream merged into the run and each host's output, as the core
// keeps it (the snapshot's tail first, then new output), with what was left out of the snapshot.
import { useEffect, useState } from 'react';
import type { CommandHostResult, CommandRun, OutputStream } from '../../../../common/schemas/commands';
import { useClient } from '../../api/context';

export interface HostLines {
  chunks: { stream: OutputStream; text: string }[];
  /** Bytes of kept output not shown (before the snapshot's tail, or past this view's own cap). */
  omitted: number;
}

export interface LiveRun {
  run: CommandRun | undefined;
  output: ReadonlyMap<string, HostLines>;
  error: string | undefined;
}

/** Output kept in the page per host; the core keeps up to its own limit, fetched on request. */
const VIEW_CAP = 512 * 1024;

export function mergeHosts(current: CommandHostResult[], changed: CommandHostResult[]): CommandHostResult[] {
  const byHost = new Map(changed.map((h) => [h.host, h]));
  return current.map((h) => byHost.get(h.host) ?? h);
}

export function appendOutput(
  output: Map<string, HostLines>,
  host: string,
  stream: OutputStream,
  text: string,
): void {
  const lines = output.get(host) ?? { chunks: [], omitted: 0 };
  const last = lines.chunks[lines.chunks.length - 1];
  if (last && last.stream === stream) last.text += text;
  else lines.chunks.push({ stream, text });
  // Past the cap, the oldest text goes (and is counted as left out).
  let size = lines.chunks.reduce((n, c) => n + c.text.length, 0);
  while (size > VIEW_CAP && lines.chunks.length > 0) {
    const first = lines.chunks[0]!;
    const cut = Math.min(first.text.length, size - VIEW_CAP);
    first.text = first.text.slice(cut);
    lines.omitted += cut;
    size -= cut;
    if (first.text.length === 0) lines.chunks.shift();
  }
  output.set(host, lines);
}

export function useCommandRun(runId: string | undefined): LiveRun {
  const client = useClient();
  const [state, setState] = useState<LiveRun>({ run: undefined, output: new Map(), error: undefined });
  useEffect(() => {
    if (!runId) return;
    setState({ run: undefined, output: new Map(), error: undefined });
    return client.subscribe(
      'commands.live',
      { run: runId },
      {
        onEvent: (event) =>
          setState((current) => {
            const output = new Map(event.snapshot ? [] : current.output);
            // Copy what changes, so React sees new objects.
            for (const chunk of event.output) {
              const before = output.get(chunk.host);
              if (before)
                output.set(chunk.host, {
                  chunks: before.chunks.map((c) => ({ ...c })),
                  omitted: before.omitted,
                });
              appendOutput(output, chunk.host, chunk.stream, chunk.text);
            }
            for (const [host, omitted] of Object.entries(event.omitted ?? {})) {
              const lines = output.get(host) ?? { chunks: [], omitted: 0 };
              output.set(host, { ...lines, omitted: lines.omitted + omitted });
            }
            const run =
              event.snapshot || !current.run
                ? event.run
                : { ...event.run, hosts: mergeHosts(current.run.hosts, event.run.hosts) };
            return { run, output, error: undefined };
          }),
        onError: (err) => setState((s) => ({ ...s, error: err.message })),
      },
    );
  }, [client, runId]);
  return state;
}
