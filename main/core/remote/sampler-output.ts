// Splits the sampler's output stream into readings: one per tick, each a map of section → text.
import { MARK } from './sampler-script';

export interface SamplerReading {
  tick: number;
  sections: ReadonlyMap<string, string>;
  /** Bytes of output this reading took on the channel (before SSH compression). */
  bytes: number;
}

/** Beyond this a reading is garbage (a runaway section): it is dropped, the stream goes on. */
const MAX_READING_BYTES = 4 * 1024 * 1024;

export class SamplerOutputParser {
  private partial = '';
  private sections = new Map<string, string[]>();
  private current: string[] | undefined;
  private tick = -1;
  private bytes = 0;

  constructor(private readonly onReading: (reading: SamplerReading) => void) {}

  push(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    this.bytes += line.length + 1;
    if (this.bytes > MAX_READING_BYTES) this.reset();
    if (!line.startsWith(MARK)) {
      this.current?.push(line);
      return;
    }
    const [name = '', arg] = line.slice(MARK.length).split(' ', 2);
    if (name === 'tick') {
      this.reset();
      this.tick = Number(arg);
      this.bytes = line.length + 1;
    } else if (name === 'end') {
      if (this.tick >= 0 && Number(arg) === this.tick) {
        const sections = new Map<string, string>();
        for (const [key, value] of this.sections)
          sections.set(key, value.length ? `${value.join('\n')}\n` : '');
        this.onReading({ tick: this.tick, sections, bytes: this.bytes });
      }
      this.reset();
    } else if (this.tick >= 0) {
      this.current = [];
      this.sections.set(name, this.current);
    }
  }

  private reset(): void {
    this.sections = new Map();
    this.current = undefined;
    this.tick = -1;
    this.bytes = 0;
  }
}
