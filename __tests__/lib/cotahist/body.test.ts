import { readFileSync } from 'fs';
import { join } from 'path';
import { zipSync } from 'fflate';
import { CotahistArchiveError, CotahistFormatError } from '../../../lib/cotahist/errors';
import { TXT_2021_03_25, ZIP_2024_11_08, cotahistBytes, memberText, readAll } from './cotahist-fixtures';

const CLOUDFLARE_HTML = new Uint8Array(readFileSync(join(__dirname, '..', '..', 'fixtures', 'b3', 'cloudflare-challenge.html')));

function refusedWith(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    expect((error as Error).message).not.toMatch(/[\r\n]/);
    return error as Error;
  }
  throw new Error('test: expected a refusal, the body parsed');
}

describe('COTAHIST bodies: zip or text, told from the bytes', () => {
  const member = memberText(ZIP_2024_11_08);

  it('a zip we build from the real member reads as B3s own zip does', () => {
    const rezipped = zipSync({ 'COTAHIST_D08112024.TXT': member });
    expect(readAll(rezipped, '2024-11-08', ['zip']).quotes).toEqual(readAll(cotahistBytes(ZIP_2024_11_08), '2024-11-08', ['zip']).quotes);
  });

  it('a zip with no member', () => {
    const e = refusedWith(() => readAll(zipSync({}), '2024-11-08'));
    expect(e).toBeInstanceOf(CotahistArchiveError);
    expect(e.message).toBe('cotahist: the zip has no member, got 0 files');
  });

  it('a zip with several members', () => {
    const e = refusedWith(() => readAll(zipSync({ 'COTAHIST_D08112024.TXT': member, 'COTAHIST_D07112024.TXT': member }), '2024-11-08'));
    expect(e).toBeInstanceOf(CotahistArchiveError);
    expect(e.message).toBe('cotahist: a zip of one member, got several: "COTAHIST_D08112024.TXT", "COTAHIST_D07112024.TXT"');
  });

  it('a zip cut short, and a damaged deflate stream', () => {
    const zip = cotahistBytes(ZIP_2024_11_08);
    expect(refusedWith(() => readAll(zip.subarray(0, 200_000), '2024-11-08'))).toBeInstanceOf(CotahistArchiveError);
    const damaged = zip.slice();
    damaged.fill(0xff, 1_000, 1_400);
    const e = refusedWith(() => readAll(damaged, '2024-11-08'));
    expect(e.message).toMatch(/^cotahist: /);
  });

  it('a format error inside the zip is reported as the parser names it', () => {
    const e = refusedWith(() => readAll(cotahistBytes(ZIP_2024_11_08), '2024-11-07'));
    expect(e).toBeInstanceOf(CotahistFormatError);
    expect(e.message).toBe('cotahist: line 2 field DATPRE: not the session asked for (2024-11-07), got 2024-11-08');
  });

  it('a body that is not a zip: an HTML page, empty, the text where B3 serves a zip', () => {
    expect(refusedWith(() => readAll(CLOUDFLARE_HTML, '2024-11-08')).message).toBe(
      'cotahist: expected a zip, got an HTML page titled "Just a moment..." (Cloudflare challenge?)',
    );
    expect(refusedWith(() => readAll(new Uint8Array(0), '2024-11-08')).message).toBe('cotahist: expected a zip or a COTAHIST text, got an empty body');
    expect(refusedWith(() => readAll(cotahistBytes(TXT_2021_03_25), '2021-03-25', ['zip'])).message).toBe(
      'cotahist: expected zip, got a text body',
    );
  });
});
