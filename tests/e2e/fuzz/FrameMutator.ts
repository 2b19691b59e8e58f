import { RequestSchemas } from '@parley/protocol';
import type { Prng } from './Prng.js';

/** One frame ready to go on the wire, with a short label of what was done to it. */
export interface FuzzFrame {
  data: string | Buffer;
  label: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Path = (string | number)[];

/**
 * Every request type of the protocol (taken from its schemas, so a new request is fuzzed the day it
 * lands), server-to-client frame types a client must not send, and names that are not types at all.
 */
const TYPES = [
  ...Object.keys(RequestSchemas),
  'answer',
  'presence',
  'conv.stream',
  'protocolError',
  '',
  'CONV.JOIN',
  'conv.join\u0000',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'conv.',
  '.',
];

/** Fields whose schema takes any JSON (or any JSON object, for RECORDS). */
const FREEFORM = ['context', 'content', 'result', 'args', 'metadata', 'userData', 'constraints'];
const RECORDS = new Set(['context', 'metadata', 'userData']);
const HUGE = [1_000, 10_000, 60_000, 70_000, 200_000];
const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\udc00y\ud800',
  '\u202e\u200b\ufeff',
  'e\u0301\u0301\u0301',
  '\uffff\ufffe',
  '__proto__',
  'constructor',
  'prototype',
  '../../etc/passwd',
  '%s%n%x',
  '<script>alert(1)</script>',
  '-1',
  '0',
  '-0',
  'NaN',
  'Infinity',
  '1e308',
  ' 1',
  '0x10',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '\n',
  '🎥',
  'default',
  'a'.repeat(129),
  'a'.repeat(257),
];
/** Number literals written as text: some do not survive JSON.stringify (-0, overflow to Infinity, precision loss). */
const NUMBER_TEXTS = [
  '-0',
  '0',
  '-1',
  '1e308',
  '-1e308',
  '1e309',
  '-1e309',
  '1e-400',
  '9007199254740993',
  '-9007199254740993',
  '9007199254740991',
  '4294967296',
  '2147483648',
  '-2147483649',
  '0.5',
  '1.0',
  '1e21',
  '123456789012345678901234567890',
  '5e-324',
  '0.1e1',
  '-0.0',
];

/**
 * Turns a valid recorded frame into a hostile one: wrong types, missing, extra and duplicated
 * fields, deep nesting, huge and odd strings, edge numbers, wrong JSON shapes, truncated text,
 * binary garbage. Deterministic for a given Prng.
 */
export class FrameMutator {
  /** `avoidKeys`: free-form fields never made hostile (hunting past a known crash). */
  constructor(
    private readonly rng: Prng,
    private readonly avoidKeys: ReadonlySet<string> = new Set(),
  ) {}

  /** A mutated copy of `frame` (1–3 structural mutations, sometimes a textual one after them). */
  mutate(frame: unknown): FuzzFrame {
    const rng = this.rng;
    if (rng.chance(0.04)) return this.garbage();
    if (rng.chance(0.2)) return this.freeform(frame);
    let value = structuredClone(frame) as Json;
    const raw = new Map<string, string>(); // placeholder string → raw JSON text
    const labels: string[] = [];
    const count = rng.int(1, 3);
    for (let i = 0; i < count; i++) {
      const op = rng.weighted({ type: 2, remove: 3, add: 2, replace: 5, deep: 2, number: 3, id: 2, shape: 1 });
      labels.push(op);
      value = this.apply(op, value, raw);
    }
    let text = JSON.stringify(value);
    for (const [token, replacement] of raw) text = text.split(JSON.stringify(token)).join(replacement);
    const textual = rng.weighted({ none: 12, truncate: 2, dupKey: 2, whitespace: 1 });
    if (textual === 'truncate' && text.length > 1) text = text.slice(0, rng.int(0, text.length - 1));
    else if (textual === 'dupKey') text = this.duplicateKey(value, text);
    else if (textual === 'whitespace') text = `\u00a0 \t${text}\r\n`;
    if (textual !== 'none') labels.push(textual);
    return { data: text, label: labels.join('+') };
  }

  private apply(op: string, value: Json, raw: Map<string, string>): Json {
    const rng = this.rng;
    const placeholder = (text: string): string => {
      const token = `@@fuzz${raw.size}@@`;
      raw.set(token, text);
      return token;
    };
    switch (op) {
      case 'type':
        if (isObject(value)) value.type = rng.chance(0.8) ? rng.pick(TYPES) : this.value();
        return value;
      case 'remove': {
        const path = this.randomPath(value);
        if (path.length > 0) removeAt(value, path);
        return value;
      }
      case 'add': {
        const target = this.randomContainer(value);
        const key = rng.pick(['extra', '__proto__', 'constructor', 'type', 'id', 'conversation', 'streamId', 'then', 'toJSON', 'x'.repeat(rng.int(1, 300))]);
        if (Array.isArray(target)) target.push(this.value());
        else if (isObject(target)) target[key] = this.value();
        return value;
      }
      case 'replace':
        return setAt(value, this.randomPath(value), this.value());
      case 'deep': {
        // Depths up to what still fits under the 64 KiB frame limit ('[' + ']' = 2 bytes a level).
        const text = rng.chance(0.6)
          ? ((d: number) => '['.repeat(d) + ']'.repeat(d))(rng.pick([64, 1_000, 5_000, 20_000, 30_000]))
          : ((d: number) => '{"a":'.repeat(d) + '1' + '}'.repeat(d))(rng.pick([64, 1_000, 5_000, 12_000]));
        const path = this.randomPath(value, true);
        if (path.some((k) => typeof k === 'string' && this.avoidKeys.has(k))) return value;
        return setAt(value, path, placeholder(text));
      }
      case 'number':
        return setAt(value, this.randomPath(value), placeholder(rng.pick(NUMBER_TEXTS)));
      case 'id':
        if (isObject(value)) {
          if (rng.chance(0.3)) value.id = placeholder(rng.pick(NUMBER_TEXTS));
          else value.id = rng.pick<Json>([-1, 1.5, '1', null, [], {}, 2 ** 53 + 2, 0, 1, 1, 1, 2 ** 31]);
        }
        return value;
      case 'shape':
        return rng.pick<Json>([[value], JSON.stringify(value), null, 42, true, [], 'register', [value, value]]);
      default:
        return value;
    }
  }

  /**
   * The frame kept valid but for one free-form field (context, content, result, args, metadata,
   * userData, constraints) made deep, wide or big: what passes a schema that accepts any JSON there.
   */
  freeform(frame: unknown): FuzzFrame {
    const rng = this.rng;
    const value = structuredClone(frame) as Json;
    if (!isObject(value)) return { data: JSON.stringify(value), label: 'freeform-none' };
    const allowed = FREEFORM.filter((k) => !this.avoidKeys.has(k));
    const present = allowed.filter((k) => k in value);
    const key = present.length > 0 && rng.chance(0.8) ? rng.pick(present) : rng.pick(allowed);
    const kind = rng.weighted({ deepArray: 3, deepObject: 2, wide: 1, big: 1 });
    let text: string;
    if (kind === 'deepArray') text = ((d: number) => '['.repeat(d) + ']'.repeat(d))(rng.pick([1_000, 10_000, 20_000, 30_000]));
    else if (kind === 'deepObject') text = ((d: number) => '{"a":'.repeat(d) + '1' + '}'.repeat(d))(rng.pick([1_000, 5_000, 12_000]));
    else if (kind === 'wide') text = JSON.stringify(Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`k${i}`, i])));
    else text = JSON.stringify('x'.repeat(rng.pick([30_000, 60_000])));
    // Record-typed fields need an object at the top: put the hostile value one level down.
    const wrapped = RECORDS.has(key) && kind !== 'wide' ? `{"v":${text}}` : text;
    value[key] = '@@freeform@@';
    return { data: JSON.stringify(value).replace('"@@freeform@@"', wrapped), label: `freeform-${kind}` };
  }

  /** A hostile value: odd or huge strings, edge numbers, wrong containers. */
  value(): Json {
    const rng = this.rng;
    switch (rng.weighted({ string: 4, huge: 2, number: 3, container: 3, literal: 2 })) {
      case 'string':
        return rng.pick(ODD_STRINGS);
      case 'huge': {
        const n = rng.pick(HUGE);
        return rng.chance(0.5) ? 'x'.repeat(n) : '\ud83c\udfa5'.repeat(n / 2);
      }
      case 'number':
        return rng.pick([0, -1, 1, 0.5, -0.5, 2 ** 31, 2 ** 32, 2 ** 53, Number.MAX_SAFE_INTEGER, -(2 ** 53), 1e308, Number.MIN_VALUE, 1e21, -1e21]);
      case 'container': {
        const c = rng.int(0, 5);
        if (c === 0) return [];
        if (c === 1) return {};
        if (c === 2) return new Array<Json>(rng.pick([3, 1000, 20_000])).fill(0);
        if (c === 3) return Object.fromEntries(Array.from({ length: rng.pick([3, 1000, 5000]) }, (_, i) => [`k${i}`, i]));
        if (c === 4) return [{ type: 'conv.join' }, { a: [null] }];
        return { streamId: 1, conversation: 'x', nested: { deeper: [1, '2', null] } };
      }
      default:
        return rng.pick<Json>([null, true, false]);
    }
  }

  /** Not a JSON request at all: random bytes as text or binary, empty, whitespace, over the size limits. */
  garbage(): FuzzFrame {
    const rng = this.rng;
    const kind = rng.weighted({ text: 3, binary: 2, empty: 1, oversize: 1, giant: 0.05 });
    const bytes = Buffer.alloc(rng.int(1, 2048));
    for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(0, 255);
    switch (kind) {
      case 'text':
        return { data: bytes.toString('latin1'), label: 'garbage-text' };
      case 'binary':
        return { data: bytes, label: 'garbage-binary' };
      case 'empty':
        return { data: rng.pick(['', ' ', '\n', '{}', '[]', 'null', '{', '"']), label: 'garbage-empty' };
      case 'oversize':
        return { data: `{"type":"ping","id":1,"pad":"${'p'.repeat(70_000)}"}`, label: 'garbage-oversize' };
      default:
        return { data: `{"type":"ping","id":1,"pad":"${'p'.repeat(1_100_000)}"}`, label: 'garbage-giant' };
    }
  }

  /** Writes the top-level object again with one of its keys repeated (last one wins in JSON.parse). */
  private duplicateKey(value: Json, text: string): string {
    if (!isObject(value)) return text;
    const keys = Object.keys(value);
    if (keys.length === 0) return text;
    const key = this.rng.pick(keys);
    const extra = JSON.stringify(this.value());
    const body = text.slice(1, -1);
    return this.rng.chance(0.5) ? `{${JSON.stringify(key)}:${extra},${body}}` : `{${body},${JSON.stringify(key)}:${extra}}`;
  }

  /** A random path into `value` (possibly [] = the root); `forInsert` may name a new key. */
  private randomPath(value: Json, forInsert = false): Path {
    const paths: Path[] = [];
    const walk = (v: Json, path: Path, depth: number): void => {
      if (paths.length > 200 || depth > 6) return;
      if (Array.isArray(v))
        v.forEach((c, i) => {
          paths.push([...path, i]);
          walk(c, [...path, i], depth + 1);
        });
      else if (isObject(v))
        for (const k of Object.keys(v)) {
          paths.push([...path, k]);
          walk(v[k] as Json, [...path, k], depth + 1);
        }
    };
    walk(value, [], 0);
    if (forInsert && isObject(value) && this.rng.chance(0.3))
      return [this.rng.pick(['context', 'result', 'content', 'args', 'metadata', 'userData', 'payload', 'extra'])];
    return paths.length === 0 ? [] : this.rng.pick(paths);
  }

  private randomContainer(value: Json): Json {
    const containers: Json[] = [];
    const walk = (v: Json, depth: number): void => {
      if (depth > 6 || containers.length > 100) return;
      if (Array.isArray(v)) {
        containers.push(v);
        v.forEach((c) => walk(c, depth + 1));
      } else if (isObject(v)) {
        containers.push(v);
        Object.values(v).forEach((c) => walk(c, depth + 1));
      }
    };
    walk(value, 0);
    return containers.length === 0 ? value : this.rng.pick(containers);
  }
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sets the value at `path` (the root when empty) and returns the (possibly new) root. */
function setAt(root: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent) && typeof last === 'number') parent[last] = value;
  else if (isObject(parent)) parent[String(last)] = value;
  return root;
}

function removeAt(root: Json, path: Path): void {
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
  else if (isObject(parent)) delete parent[String(last)];
}

function getAt(root: Json, path: Path): Json | undefined {
  let v: Json | undefined = root;
  for (const k of path) {
    if (Array.isArray(v) && typeof k === 'number') v = v[k];
    else if (isObject(v)) v = v[String(k)];
    else return undefined;
  }
  return v;
}
