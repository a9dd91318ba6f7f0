import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { describeHtml, excerpt, looksLikeHtml } from '../b3/errors';
import { CotahistArchiveError, CotahistFormatError } from './errors';
import { CotahistParser, type CotahistParserOptions } from './parser';
import type { CotahistSummary } from './quote';
import { cotahistPeriodOf } from './source';

/** B3 serves COTAHIST as a zip; a saved file may also be its text member. */
export type CotahistBodyKind = 'zip' | 'text';

export interface CotahistBodyOptions extends CotahistParserOptions {
  /** The kinds taken: B3's answer must be a zip; a replayed file may be either. */
  readonly accept: readonly CotahistBodyKind[];
  /**
   * B3's name of the file, when known (a saved text's file name): `COTAHIST_M…`/`COTAHIST_A…` hold
   * a month's or a year's sessions. A zip's member name says it instead. Ignored with `session`.
   */
  readonly fileName?: string;
}

export interface CotahistRead extends CotahistSummary {
  /** The zip member that was read, or null for a text body. */
  readonly member: string | null;
}

const SNIFF_BYTES = 16;
const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY_ARCHIVE = [0x50, 0x4b, 0x05, 0x06];

/** True when a saved file's first bytes are a zip or a COTAHIST text (a portfolio body is neither). */
export function looksLikeCotahist(head: Uint8Array): boolean {
  const starts = (magic: number[]) => magic.every((byte, i) => head[i] === byte);
  return starts(ZIP_LOCAL_HEADER) || starts(ZIP_EMPTY_ARCHIVE) || latin1(head.subarray(0, 10)) === '00COTAHIST';
}

/** What a body is, from its first bytes (never from a file name); anything else is refused in one line. */
export function cotahistBodyKind(head: Uint8Array): CotahistBodyKind | 'empty-zip' {
  const starts = (magic: number[]) => magic.every((byte, i) => head[i] === byte);
  if (starts(ZIP_LOCAL_HEADER)) return 'zip';
  if (starts(ZIP_EMPTY_ARCHIVE)) return 'empty-zip';
  const start = latin1(head.subarray(0, 512));
  if (start.startsWith('00COTAHIST')) return 'text';
  if (looksLikeHtml(start)) throw new CotahistArchiveError(`cotahist: expected a zip, got ${describeHtml(start)}`);
  throw new CotahistArchiveError(`cotahist: expected a zip or a COTAHIST text, got ${head.length === 0 ? 'an empty body' : excerpt(start)}`);
}

/**
 * Reads a COTAHIST body pushed in chunks: a zip is inflated as it arrives (fflate's streaming
 * Unzip) and its one member fed to the parser; a text body goes to the parser as is. Memory stays
 * flat in the file's size. `end` returns only when the file was whole and well-formed.
 */
export class CotahistBodyReader {
  private parser: CotahistParser | null = null;
  private kind: CotahistBodyKind | 'empty-zip' | null = null;
  private head: Uint8Array = new Uint8Array(0);
  private unzip: Unzip | null = null;
  private readonly members: string[] = [];
  private memberDone = false;
  private inflateError: Error | null = null;

  constructor(private readonly options: CotahistBodyOptions) {}

  push(chunk: Uint8Array): void {
    if (this.kind === null) {
      this.head = concatBytes(this.head, chunk);
      if (this.head.length < SNIFF_BYTES) return;
      this.start(this.head);
      return;
    }
    this.feed(chunk, false);
  }

  end(): CotahistRead {
    if (this.kind === null) this.start(this.head);
    this.feed(new Uint8Array(0), true);
    if (this.kind === 'zip' || this.kind === 'empty-zip') {
      if (this.members.length === 0) throw new CotahistArchiveError('cotahist: the zip has no member, got 0 files');
      if (!this.memberDone) throw new CotahistArchiveError(`cotahist: the zip member ${this.members[0]} is cut short, got a truncated zip`);
    }
    return { ...this.parser!.end(), member: this.kind === 'text' ? null : this.members[0] };
  }

  private start(head: Uint8Array): void {
    const kind = cotahistBodyKind(head);
    const asZip = kind === 'empty-zip' ? 'zip' : kind;
    if (!this.options.accept.includes(asZip)) {
      throw new CotahistArchiveError(`cotahist: expected ${this.options.accept.join(' or ')}, got a ${kind} body`);
    }
    this.kind = kind;
    if (kind === 'text') this.parser = this.parserFor(this.options.fileName);
    else {
      this.unzip = new Unzip((file) => this.member(file));
      this.unzip.register(UnzipInflate);
    }
    this.feed(head, false);
  }

  private member(file: UnzipFile): void {
    this.members.push(file.name);
    if (this.members.length > 1) {
      throw new CotahistArchiveError(`cotahist: a zip of one member, got several: ${this.members.map((m) => JSON.stringify(m)).join(', ')}`);
    }
    const parser = (this.parser = this.parserFor(file.name));
    file.ondata = (error, data, final) => {
      if (error) {
        this.inflateError = error;
        return;
      }
      parser.push(data);
      if (final) this.memberDone = true;
    };
    file.start();
  }

  /** A daily file's parser, or a monthly or yearly one's when B3's name says so (and no session is asked for). */
  private parserFor(name: string | undefined): CotahistParser {
    const within = this.options.session === undefined && name !== undefined ? cotahistPeriodOf(name) : null;
    return new CotahistParser(within === null ? this.options : { ...this.options, within });
  }

  private feed(chunk: Uint8Array, final: boolean): void {
    if (this.kind === 'text') {
      this.parser!.push(chunk);
      return;
    }
    try {
      this.unzip?.push(chunk, final);
    } catch (error) {
      if (error instanceof CotahistArchiveError || error instanceof CotahistFormatError) throw error;
      throw new CotahistArchiveError(`cotahist: the zip cannot be read, got ${(error as Error).message}`, { cause: error });
    }
    // fflate hands an exception thrown by the parser inside ondata back to ondata as its error.
    if (this.inflateError instanceof CotahistFormatError || this.inflateError instanceof CotahistArchiveError) throw this.inflateError;
    if (this.inflateError) {
      throw new CotahistArchiveError(`cotahist: the zip member cannot be inflated, got ${this.inflateError.message}`, { cause: this.inflateError });
    }
  }
}

/** Reads a whole body from any (async) iterable of chunks: a file stream, an HTTP body, a Buffer list. */
export async function readCotahistBody(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: CotahistBodyOptions,
): Promise<CotahistRead> {
  const reader = new CotahistBodyReader(options);
  for await (const chunk of chunks) reader.push(chunk);
  return reader.end();
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
