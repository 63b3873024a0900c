import { forEachLine, LineFields, numberAt } from '../../../../../../main/core/collectors/linux/fields';

describe('numberAt', () => {
  it('reads what Number() reads, in place for plain digits', () => {
    for (const text of [
      '0',
      '7',
      '123456789012345',
      '1234567890123456789',
      '18446744073709551615',
      '-5',
      '1.5',
      '1e3',
      'x1',
      '',
      '12a',
    ]) {
      expect(numberAt(`<${text}>`, 1, text.length + 1), JSON.stringify(text)).toBe(Number(text));
    }
  });
});

describe('LineFields', () => {
  it('finds fields between any run of spaces and tabs, and reads them as numbers or text', () => {
    const text = 'skip\n   8       0 sda\t 1 2  3 \nnext';
    const line = new LineFields().scan(text, 5, text.indexOf('\nnext'));
    expect(line.count).toBe(6);
    expect([0, 1, 3, 4, 5].map((i) => line.number(i))).toEqual([8, 0, 1, 2, 3]);
    expect(line.string(2)).toBe('sda');
    expect(line.number(2)).toBeNaN();
    expect(line.number(6)).toBeUndefined();
    expect(line.string(6)).toBeUndefined();
    expect(line.is(2, 'sda')).toBe(true);
    expect(line.is(2, 'sd')).toBe(false);
    // Reused for the next line: nothing of the last one remains.
    expect(line.scan(text, 0, 4).count).toBe(1);
    expect(line.string(0)).toBe('skip');
    expect(line.scan('   ', 0, 3).count).toBe(0);
  });
});

describe('forEachLine', () => {
  it('gives each line without its newline, and stops when told', () => {
    const text = 'a\nbb\n\nccc';
    const seen: string[] = [];
    forEachLine(text, (from, to) => {
      seen.push(text.slice(from, to));
    });
    expect(seen).toEqual(['a', 'bb', '', 'ccc']);
    const first: string[] = [];
    forEachLine(text, (from, to) => {
      first.push(text.slice(from, to));
      return first.length < 2;
    });
    expect(first).toEqual(['a', 'bb']);
  });
});
