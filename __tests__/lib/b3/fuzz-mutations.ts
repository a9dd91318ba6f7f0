import fc from 'fast-check';

/**
 * Random damage to a real capture: truncation, byte and bit flips, deleted, duplicated or
 * replaced lines and fields, and (for JSON) edits that keep the JSON well-formed so they reach
 * validation. Mutations are plain data, so a failing case prints readably and can be kept as a
 * regression example. Text edits work on the bytes read as latin1, which maps each byte to one
 * character and back, so they apply to UTF-8 JSON and ISO-8859-1 CSV alike.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type Mutation =
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'setBytes'; readonly bytes: readonly (readonly [number, number])[] }
  | { readonly op: 'flipBits'; readonly bits: readonly (readonly [number, number])[] }
  | { readonly op: 'line'; readonly edit: 'delete' | 'duplicate'; readonly line: number }
  | { readonly op: 'field'; readonly edit: 'delete' | 'duplicate'; readonly line: number; readonly field: number; readonly sep: string }
  | { readonly op: 'setField'; readonly line: number; readonly field: number; readonly sep: string; readonly value: string }
  | { readonly op: 'json'; readonly edit: 'delete' | 'duplicate' | { readonly set: Json }; readonly at: number }
  | { readonly op: 'overwrite'; readonly line: number; readonly at: number; readonly value: string };

/** Values B3 might plausibly send in a field, and some it never would. */
const fieldValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '0', '0,000', '100,000', '100.000', '1.000.000', '1,000,000', '0,00000000', '-1', 'NaN', '1e308', '31/12/99', '12/31/99', 'PETR4', '\u00a0', '"'),
  fc.stringMatching(/^[0-9.,]{1,20}$/),
  fc.string({ maxLength: 12 }),
);

const jsonValue: fc.Arbitrary<Json> = fc.oneof(fieldValue, fc.constantFrom<Json>(null, [], {}, 0, -1, 1e308, true), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>);

const edit = fc.constantFrom<'delete' | 'duplicate'>('delete', 'duplicate');
const truncate = fc.nat().map((at): Mutation => ({ op: 'truncate', at }));
const setBytes = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }).map((bytes): Mutation => ({ op: 'setBytes', bytes }));
const flipBits = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }).map((bits): Mutation => ({ op: 'flipBits', bits }));
const line = fc.tuple(edit, fc.nat()).map(([e, l]): Mutation => ({ op: 'line', edit: e, line: l }));
const field = (sep: string) => fc.tuple(edit, fc.nat(), fc.nat()).map(([e, l, f]): Mutation => ({ op: 'field', edit: e, line: l, field: f, sep }));
const setField = (sep: string) => fc.tuple(fc.nat(), fc.nat(), fieldValue).map(([l, f, value]): Mutation => ({ op: 'setField', line: l, field: f, sep, value }));
const json = fc
  .tuple(fc.oneof(edit, jsonValue.map((set) => ({ set }))), fc.nat())
  .map(([e, at]): Mutation => ({ op: 'json', edit: e, at }));

/** One to three mutations of a CSV capture, applied in order; its fields are `;`-separated. */
export const csvMutations: fc.Arbitrary<Mutation[]> = fc.array(fc.oneof(truncate, setBytes, flipBits, line, line, field(';'), field(';'), setField(';'), setField(';')), {
  minLength: 1,
  maxLength: 3,
});

/** Fixed-width text (COTAHIST): a few characters written over a line at some position, digits or not. */
const overwrite = fc
  .tuple(fc.nat(), fc.integer({ min: 0, max: 250 }), fc.oneof(fc.stringMatching(/^[0-9]{1,13}$/), fc.constantFrom(' ', '-', 'A', '99', '00', '01', '\r'), fc.string({ maxLength: 6 })))
  .map(([l, at, value]): Mutation => ({ op: 'overwrite', line: l, at, value }));

/** One to three mutations of a COTAHIST text or zip. */
export const cotahistMutations: fc.Arbitrary<Mutation[]> = fc.array(fc.oneof(truncate, setBytes, flipBits, line, line, overwrite, overwrite, overwrite), {
  minLength: 1,
  maxLength: 3,
});

/** The same for JSON (one line; its members are `,`-separated), plus structural edits. */
export const jsonMutations: fc.Arbitrary<Mutation[]> = fc.array(fc.oneof(truncate, setBytes, flipBits, line, field(','), field(','), json, json, json), {
  minLength: 1,
  maxLength: 3,
});

const latin1 = (b: Buffer): string => b.toString('latin1');
const bytesOf = (text: string): Buffer => Buffer.from(text, 'latin1');
/** Lines with their line ends, so joining them gives the text back. */
const linesOf = (b: Buffer): string[] => latin1(b).split(/(?<=\n)/);

function editList<T>(list: T[], i: number, e: 'delete' | 'duplicate'): void {
  if (e === 'delete') list.splice(i, 1);
  else list.splice(i, 0, list[i]);
}

type Slot = { readonly parent: Json[] | { [key: string]: Json }; readonly key: string | number };

/** Every value's place in a JSON document, depth first. */
function slots(doc: Json, out: Slot[] = []): Slot[] {
  if (Array.isArray(doc)) doc.forEach((v, i) => (out.push({ parent: doc, key: i }), slots(v, out)));
  else if (doc !== null && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) out.push({ parent: doc, key: k }), slots(v, out);
  return out;
}

function applyJson(b: Buffer, m: Extract<Mutation, { op: 'json' }>): Buffer {
  let doc: Json;
  try {
    doc = JSON.parse(b.toString('utf8')) as Json;
  } catch {
    return b; // an earlier mutation broke the JSON: nothing to edit structurally
  }
  const all = slots(doc);
  if (all.length === 0) return b;
  const { parent, key } = all[m.at % all.length];
  if (Array.isArray(parent)) {
    if (typeof m.edit === 'string') editList(parent, key as number, m.edit);
    else parent[key as number] = m.edit.set;
  } else if (m.edit === 'delete') {
    delete parent[key];
  } else if (m.edit === 'duplicate') {
    // JSON.stringify cannot repeat a key (the text edits do), so the value is copied onto its next sibling.
    const keys = Object.keys(parent);
    parent[keys[(keys.indexOf(key as string) + 1) % keys.length]] = structuredClone(parent[key]);
  } else {
    parent[key] = m.edit.set;
  }
  return Buffer.from(JSON.stringify(doc), 'utf8');
}

export function applyMutation(b: Buffer, m: Mutation): Buffer {
  switch (m.op) {
    case 'truncate':
      return b.subarray(0, m.at % (b.length + 1));
    case 'setBytes':
    case 'flipBits': {
      const out = Buffer.from(b);
      if (out.length === 0) return out;
      if (m.op === 'setBytes') for (const [p, v] of m.bytes) out[p % out.length] = v;
      else for (const [p, k] of m.bits) out[p % out.length] ^= 1 << k;
      return out;
    }
    case 'line': {
      const lines = linesOf(b);
      editList(lines, m.line % lines.length, m.edit);
      return bytesOf(lines.join(''));
    }
    case 'field':
    case 'setField': {
      const lines = linesOf(b);
      const i = m.line % lines.length;
      const fields = lines[i].split(m.sep);
      const j = m.field % fields.length;
      if (m.op === 'field') editList(fields, j, m.edit);
      else fields[j] = m.value;
      lines[i] = fields.join(m.sep);
      return bytesOf(lines.join(''));
    }
    case 'json':
      return applyJson(b, m);
    case 'overwrite': {
      const lines = linesOf(b);
      const i = m.line % lines.length;
      lines[i] = lines[i].slice(0, m.at) + m.value + lines[i].slice(m.at + m.value.length);
      return bytesOf(lines.join(''));
    }
  }
}

export function applyAll(bytes: Buffer, mutations: readonly Mutation[]): Buffer {
  return mutations.reduce(applyMutation, bytes);
}
