import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, writeZip } from '../../../stacks/bundling/zip';

// Read back by an independent implementation: Python's zipfile (Python is already required for moto).
function pythonRead(zip: Buffer): { name: string; date: number[]; mode: number; text: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'zip-test-'));
  try {
    writeFileSync(join(dir, 'a.zip'), zip);
    const out = execFileSync(
      'python3',
      [
        '-c',
        'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\n' +
          'print(json.dumps([{"name":i.filename,"date":list(i.date_time),"mode":i.external_attr>>16,"text":z.read(i).decode()} for i in z.infolist()]))',
        join(dir, 'a.zip'),
      ],
      { encoding: 'utf8' },
    );
    return JSON.parse(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('writeZip', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('writes entries sorted by path with a fixed 1980 timestamp and mode 0644', () => {
    const zip = writeZip([
      { path: 'lib/b.js', data: Buffer.from('b'.repeat(1000)) },
      { path: 'index.js', data: Buffer.from('exports.handler = async () => "olá";') },
    ]);
    expect(pythonRead(zip)).toEqual([
      { name: 'index.js', date: [1980, 1, 1, 0, 0, 0], mode: 0o100644, text: 'exports.handler = async () => "olá";' },
      { name: 'lib/b.js', date: [1980, 1, 1, 0, 0, 0], mode: 0o100644, text: 'b'.repeat(1000) },
    ]);
  });

  it('gives the same bytes for the same files in any order', () => {
    const a = { path: 'a.js', data: Buffer.from('1') };
    const b = { path: 'b.js', data: Buffer.from('2') };
    expect(writeZip([a, b]).equals(writeZip([b, a]))).toBe(true);
  });

  it('refuses absolute, duplicate or backslash paths', () => {
    expect(() => writeZip([{ path: '/etc/x', data: Buffer.from('') }])).toThrow('zip: entry path must be relative, unique and use /, got "/etc/x"');
    expect(() => writeZip([{ path: 'a\\b', data: Buffer.from('') }])).toThrow('got "a\\\\b"');
    const dup = { path: 'x.js', data: Buffer.from('') };
    expect(() => writeZip([dup, dup])).toThrow('got "x.js"');
  });
});
