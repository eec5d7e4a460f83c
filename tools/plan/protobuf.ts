/**
 * Protobuf encoding of the Analyzer messages the plan sends, written directly: the bytes google-protobuf's
 * generated classes produce (fields in number order, map entries sorted by key, defaults left out), without
 * building one message object per value first. At 100 pairs the analysis worker encodes 6,400 resources
 * twice (inputs for `Analyze`, outputs for `AnalyzeStack`) while the program registers them; through the
 * generated classes that kept it busier than the pack. tests/plan/protobuf.spec.ts holds the bytes to the
 * generated classes'.
 */

import type { Registration } from "../mocking";

/** Wire types. */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;

/** A growing buffer of protobuf fields. */
export class Writer {
    private buffer: Buffer;
    private pos = 0;

    constructor(initialSize = 1024) {
        this.buffer = Buffer.allocUnsafe(initialSize);
    }

    /** The bytes written so far (a view of the buffer, valid until the next write). */
    bytes(): Buffer {
        return this.buffer.subarray(0, this.pos);
    }

    /** Forgets what was written after the first `length` bytes. */
    truncate(length: number): void {
        this.pos = Math.min(this.pos, length);
    }

    private reserve(n: number): void {
        if (this.pos + n > this.buffer.length) {
            const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.pos + n));
            this.buffer.copy(grown, 0, 0, this.pos);
            this.buffer = grown;
        }
    }

    varint(n: number): void {
        this.reserve(10);
        while (n > 0x7f) {
            this.buffer[this.pos++] = (n % 128) | 0x80;
            n = Math.floor(n / 128);
        }
        this.buffer[this.pos++] = n;
    }

    tag(field: number, wireType: number): void {
        this.varint(field * 8 + wireType);
    }

    /** A string field, left out when empty (proto3's default). */
    string(field: number, value: string): void {
        if (value !== "") {
            this.stringAlways(field, value);
        }
    }

    /** A string field even when empty (a repeated element, a map key). */
    stringAlways(field: number, value: string): void {
        this.tag(field, LENGTH_DELIMITED);
        const length = Buffer.byteLength(value);
        this.varint(length);
        this.reserve(length);
        this.pos += this.buffer.write(value, this.pos, "utf8");
    }

    double(field: number, value: number): void {
        this.tag(field, FIXED64);
        this.reserve(8);
        this.pos = this.buffer.writeDoubleLE(value, this.pos);
    }

    bool(field: number, value: boolean): void {
        this.tag(field, VARINT);
        this.varint(value ? 1 : 0);
    }

    /** Bytes already encoded, as a length-delimited field. */
    raw(field: number, bytes: Uint8Array): void {
        this.tag(field, LENGTH_DELIMITED);
        this.varint(bytes.length);
        this.reserve(bytes.length);
        this.buffer.set(bytes, this.pos);
        this.pos += bytes.length;
    }

    /** A length-delimited field whose content `write` writes (its length is filled in after). */
    message(field: number, write: () => void): void {
        this.tag(field, LENGTH_DELIMITED);
        // Room for the longest length prefix; the content moves back once its length is known.
        this.reserve(5);
        const start = this.pos + 5;
        this.pos = start;
        write();
        const length = this.pos - start;
        const prefix = varintLength(length);
        const at = start - 5;
        this.buffer.copyWithin(at + prefix, start, this.pos);
        this.pos = at;
        this.varint(length);
        this.pos += length;
    }
}

function varintLength(n: number): number {
    let length = 1;
    while (n > 0x7f) {
        n = Math.floor(n / 128);
        length++;
    }
    return length;
}

/** A value JSON would not carry as is (undefined aside): the encoding falls back to a JSON round trip. */
class NotPlain extends Error {}

/** JSON's values, the only ones a `google.protobuf.Struct` holds. */
type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

const isPlainObject = (v: object): boolean => {
    const proto = Object.getPrototypeOf(v);
    return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== "function";
};

/** `google.protobuf.Value` (null 1, number 2, string 3, bool 4, struct 5, list 6) of a JSON value. */
function writeValue(w: Writer, value: unknown, depth: number): void {
    if (value === null) {
        w.tag(1, VARINT);
        w.varint(0);
    } else if (typeof value === "number") {
        if (Number.isFinite(value)) {
            w.double(2, value === 0 ? 0 : value); // JSON writes -0 as 0
        } else {
            w.tag(1, VARINT); // JSON writes NaN and the infinities as null
            w.varint(0);
        }
    } else if (typeof value === "string") {
        w.stringAlways(3, value);
    } else if (typeof value === "boolean") {
        w.bool(4, value);
    } else if (Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype) {
        w.message(6, () => {
            for (const element of value) {
                // JSON writes an element it cannot carry as null.
                const carried = element === undefined || typeof element === "function" || typeof element === "symbol" ? null : element;
                w.message(1, () => writeValue(w, carried, depth + 1));
            }
        });
    } else if (typeof value === "object" && isPlainObject(value)) {
        w.message(5, () => writeFields(w, value as Record<string, unknown>, depth + 1));
    } else {
        throw new NotPlain();
    }
}

/** The entries of a `google.protobuf.Struct` (fields 1: key 1, value 2), sorted by key. */
function writeFields(w: Writer, object: Record<string, unknown>, depth: number): void {
    if (depth > 200) {
        throw new NotPlain(); // JSON says whether it is a cycle
    }
    for (const key of Object.keys(object).sort()) {
        const value = object[key];
        if (value === undefined || typeof value === "function" || typeof value === "symbol") {
            continue; // JSON leaves these members out
        }
        w.message(1, () => {
            w.stringAlways(1, key);
            w.message(2, () => writeValue(w, value, depth));
        });
    }
}

/**
 * `value` (an object, or undefined for none) as the `google.protobuf.Struct` of its JSON form: what
 * `Struct.fromJavaScript(JSON.parse(JSON.stringify(value ?? {})))` encodes to.
 */
export function writeStruct(w: Writer, field: number, value: unknown): void {
    const object = (value ?? {}) as Record<string, unknown>;
    const mark = w.bytes().length;
    try {
        if (typeof object !== "object" || !isPlainObject(object)) {
            throw new NotPlain();
        }
        w.message(field, () => writeFields(w, object, 0));
    } catch (e) {
        if (!(e instanceof NotPlain)) {
            throw e;
        }
        // A date, a class instance, a toJSON: what JSON makes of it, encoded again from the start (what
        // Struct.fromJavaScript makes of a JSON value that is not an object: its enumerable keys, if any).
        w.truncate(mark);
        const plain = JSON.parse(JSON.stringify(object)) as Plain;
        w.message(field, () => writeFields(w, Object(plain) as Record<string, unknown>, 0));
    }
}

/**
 * The Analyzer messages about registered resources, encoded: `AnalyzeRequest` (a resource's
 * inputs) and its entry of `AnalyzeStackRequest` (outputs, parent, dependencies), each with the resource's
 * provider as the engine sends it. The providers must be added before the resources they serve (the order
 * they register in).
 */
export class AnalyzerMessages {
    private readonly byUrn = new Map<string, Registration>();
    /** Each provider's `AnalyzerProviderResource`, encoded once: every resource of a region carries it. */
    private readonly providers = new Map<string, Buffer>();
    /** The `AnalyzeStackRequest` so far: one `resources` field (1) per resource added. */
    private readonly stack = new Writer(1 << 20);
    /** Where each `AnalyzeRequest` is encoded before it is copied out. */
    private readonly request = new Writer();

    /** Records `r` and encodes its `AnalyzeStackRequest` entry; returns its `AnalyzeRequest`. */
    add(r: Registration): Buffer {
        this.byUrn.set(r.urn, r);
        const provider = this.providerOf(r);
        // AnalyzerResource: the fields it shares with AnalyzeRequest (1-6), parent 7, dependencies 8, and
        // propertyDependencies 9 (a map: an entry of key 1 and AnalyzerPropertyDependencies 2, urns 1).
        const w = this.stack;
        w.message(1, () => {
            describe(w, r, r.outputs, provider);
            w.string(7, r.parent);
            r.dependencies.forEach((urn) => w.stringAlways(8, urn));
            for (const key of Object.keys(r.propertyDependencies).sort()) {
                w.message(9, () => {
                    w.stringAlways(1, key);
                    w.message(2, () => r.propertyDependencies[key].forEach((urn) => w.stringAlways(1, urn)));
                });
            }
        });
        this.request.truncate(0);
        describe(this.request, r, r.inputs, provider);
        return Buffer.from(this.request.bytes());
    }

    /** The encoded `AnalyzeStackRequest` over every resource added (a view, valid until the next `add`). */
    stackRequest(): Buffer {
        return this.stack.bytes();
    }

    /** `AnalyzerProviderResource`: type 1, properties 2 (its inputs), urn 3, name 4. */
    private providerOf(r: Registration): Buffer | undefined {
        const urn = r.provider.split("::").slice(0, -1).join("::");
        const p = this.byUrn.get(urn);
        if (!p) {
            return undefined;
        }
        let provider = this.providers.get(urn);
        if (!provider) {
            const w = new Writer();
            w.string(1, p.type);
            writeStruct(w, 2, p.inputs);
            w.string(3, p.urn);
            w.string(4, p.name);
            provider = Buffer.from(w.bytes());
            this.providers.set(urn, provider);
        }
        return provider;
    }
}

/**
 * What Analyze and AnalyzeStack both carry about a resource: type 1, properties 2, urn 3, name 4, options 5
 * (its parent, 8, the only one recorded) and provider 6.
 */
function describe(w: Writer, r: Registration, properties: Record<string, unknown>, provider: Buffer | undefined): void {
    w.string(1, r.type);
    writeStruct(w, 2, properties);
    w.string(3, r.urn);
    w.string(4, r.name);
    w.message(5, () => w.string(8, r.parent));
    if (provider) {
        w.raw(6, provider);
    }
}
