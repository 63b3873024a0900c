// Headers of a POSIX (pax) tar stream, so that a folder downloads to a browser as one .tar while its
// files stream through: ustar blocks, with a pax record for names, link targets and sizes that do not
// fit (long or non-ASCII names, newlines, files over 8 GiB).

export const BLOCK = 512;

export interface TarEntry {
  /** Path inside the archive, "/"-separated, no leading "/"; folders end without "/". */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  size: number;
  mode: number;
  mtimeSec: number;
  uid: number;
  gid: number;
  uname?: string | null;
  gname?: string | null;
  linkTarget?: string;
}

const encoder = new TextEncoder();

function isPlainAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

function writeString(block: Buffer, offset: number, length: number, value: string): void {
  block.write(value, offset, Math.min(length, Buffer.byteLength(value)), 'utf8');
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  // length - 1 digits and a NUL, zero-padded, as GNU and BSD tar write them.
  block.write(
    Math.floor(value)
      .toString(8)
      .padStart(length - 1, '0') + '\0',
    offset,
    length,
    'ascii',
  );
}

/** One pax record: "<len> key=value\n", where len counts the whole record itself. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyBytes = encoder.encode(body).length;
  let len = bodyBytes + String(bodyBytes).length;
  if (String(len).length + bodyBytes !== len) len = bodyBytes + String(len).length;
  return `${len}${body}`;
}

function headerBlock(fields: {
  name: string;
  prefix: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeSec: number;
  typeflag: string;
  linkname: string;
  uname: string;
  gname: string;
}): Buffer {
  const block = Buffer.alloc(BLOCK);
  writeString(block, 0, 100, fields.name);
  writeOctal(block, 100, 8, fields.mode & 0o7777);
  writeOctal(block, 108, 8, Math.min(fields.uid, 0o7777777));
  writeOctal(block, 116, 8, Math.min(fields.gid, 0o7777777));
  writeOctal(block, 124, 12, fields.size);
  writeOctal(block, 136, 12, Math.max(0, fields.mtimeSec));
  block.fill(0x20, 148, 156); // the checksum counts itself as spaces
  block.write(fields.typeflag, 156, 1, 'ascii');
  writeString(block, 157, 100, fields.linkname);
  block.write('ustar\x0000', 257, 8, 'binary');
  writeString(block, 265, 32, fields.uname);
  writeString(block, 297, 32, fields.gname);
  writeString(block, 345, 155, fields.prefix);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return block;
}

/** Splits a path into ustar's prefix (≤ 155 bytes) and name (≤ 100 bytes) when it can. */
function splitUstar(path: string): { prefix: string; name: string } | undefined {
  if (!isPlainAscii(path)) return undefined;
  if (path.length <= 100) return { prefix: '', name: path };
  for (let cut = path.indexOf('/'); cut >= 0; cut = path.indexOf('/', cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (prefix.length <= 155 && name.length <= 100 && name.length > 0) return { prefix, name };
  }
  return undefined;
}

const MAX_USTAR_SIZE = 0o77777777777;

/** The header block(s) of one entry: a pax extended header first when ustar cannot say it all. */
export function tarHeader(entry: TarEntry): Buffer {
  const path = entry.type === 'dir' ? `${entry.path}/` : entry.path;
  const split = splitUstar(path);
  const link = entry.linkTarget ?? '';
  const records: string[] = [];
  if (!split) records.push(paxRecord('path', path));
  if (link && (!isPlainAscii(link) || link.length > 100)) records.push(paxRecord('linkpath', link));
  const size = entry.type === 'file' ? entry.size : 0;
  if (size > MAX_USTAR_SIZE) records.push(paxRecord('size', String(size)));
  if (entry.uname && !isPlainAscii(entry.uname)) records.push(paxRecord('uname', entry.uname));
  if (entry.gname && !isPlainAscii(entry.gname)) records.push(paxRecord('gname', entry.gname));
  const fallbackName = (split?.name ?? path.replace(/[^\x20-\x7e]/g, '_').slice(-100)) || 'entry';
  const main = headerBlock({
    name: fallbackName,
    prefix: split?.prefix ?? '',
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    size: size > MAX_USTAR_SIZE ? 0 : size,
    mtimeSec: entry.mtimeSec,
    typeflag: entry.type === 'file' ? '0' : entry.type === 'dir' ? '5' : '2',
    linkname: isPlainAscii(link) && link.length <= 100 ? link : '',
    uname: entry.uname && isPlainAscii(entry.uname) ? entry.uname.slice(0, 31) : '',
    gname: entry.gname && isPlainAscii(entry.gname) ? entry.gname.slice(0, 31) : '',
  });
  if (records.length === 0) return main;
  const body = Buffer.from(records.join(''), 'utf8');
  const pax = headerBlock({
    name: `PaxHeaders/${fallbackName}`.slice(0, 100),
    prefix: '',
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: body.length,
    mtimeSec: entry.mtimeSec,
    typeflag: 'x',
    linkname: '',
    uname: '',
    gname: '',
  });
  return Buffer.concat([pax, body, padding(body.length), main]);
}

/** Zero bytes that round `size` up to a whole block. */
export function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest);
}

/** Two zero blocks end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2);
