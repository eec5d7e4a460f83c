/**
 * The pack's reading of the Analyzer requests it answers, straight from the protobuf wire format.
 *
 * grpc-js decodes a request with the generated google-protobuf classes before the SDK's handler runs: at
 * 100 pairs the AnalyzeStack request is a few megabytes of `Struct`s, decoded into one message object per
 * value (and their garbage) only to be turned into plain JavaScript by `toJavaScript()` right after. Here:
 * - an `AnalyzeRequest` is read for its type only; the rest is decoded by the generated class on first use,
 *   which the SDK makes only for the few resources a resource policy applies to;
 * - an `AnalyzeStackRequest` is read into views that answer the getters the SDK calls, with each
 *   `Struct` read straight into the plain value `toJavaScript()` gives (keys in the order of google-protobuf's
 *   maps, which iterate sorted) and the options decoded by the generated class.
 * tests/policies/wire.spec.ts holds both readings to the generated classes' on the same bytes.
 */

// The generated classes @pulumi/policy's server decodes with (the same modules it loads).
const analyzerProto = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [require.resolve("@pulumi/policy/server")] }));

/** Wire types of the protobuf encoding. */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/** A cursor over protobuf-encoded bytes. */
class Reader {
    pos: number;

    constructor(
        readonly bytes: Buffer,
        start = 0,
        readonly end = bytes.length,
    ) {
        this.pos = start;
    }

    get done(): boolean {
        return this.pos >= this.end;
    }

    varint(): number {
        let result = 0;
        let shift = 1;
        for (;;) {
            if (this.pos >= this.end) {
                throw new Error("protobuf: truncated varint");
            }
            const b = this.bytes[this.pos++];
            result += (b & 0x7f) * shift;
            if (b < 0x80) {
                return result;
            }
            shift *= 128;
        }
    }

    /** The next length-delimited field's extent; the cursor moves past it. */
    extent(): [number, number] {
        const length = this.varint();
        const start = this.pos;
        this.pos += length;
        if (this.pos > this.end) {
            throw new Error("protobuf: truncated field");
        }
        return [start, this.pos];
    }

    string(): string {
        const [start, end] = this.extent();
        return this.bytes.toString("utf8", start, end);
    }

    double(): number {
        const value = this.bytes.readDoubleLE(this.pos);
        this.pos += 8;
        return value;
    }

    /** Moves past a field of `wireType` (groups, deprecated, are not in these messages). */
    skip(wireType: number): void {
        if (wireType === VARINT) {
            this.varint();
        } else if (wireType === FIXED64) {
            this.pos += 8;
        } else if (wireType === LENGTH_DELIMITED) {
            this.extent();
        } else if (wireType === FIXED32) {
            this.pos += 4;
        } else {
            throw new Error(`protobuf: unexpected wire type ${wireType}`);
        }
    }
}

// google.protobuf.Value's kinds (field numbers of its oneof).
const NULL_VALUE = 1;
const NUMBER_VALUE = 2;
const STRING_VALUE = 3;
const BOOL_VALUE = 4;
const STRUCT_VALUE = 5;
const LIST_VALUE = 6;

/** A `google.protobuf.Value` at the reader's extent, as `Value.prototype.toJavaScript` gives it. */
function readValue(bytes: Buffer, start: number, end: number): unknown {
    const r = new Reader(bytes, start, end);
    let kind = 0;
    let value: unknown;
    while (!r.done) {
        const tag = r.varint();
        const field = tag >>> 3;
        const wireType = tag & 7;
        if (field === NULL_VALUE && wireType === VARINT) {
            r.varint();
            kind = field;
            value = null;
        } else if (field === NUMBER_VALUE && wireType === FIXED64) {
            kind = field;
            value = r.double();
        } else if (field === STRING_VALUE && wireType === LENGTH_DELIMITED) {
            kind = field;
            value = r.string();
        } else if (field === BOOL_VALUE && wireType === VARINT) {
            kind = field;
            value = r.varint() !== 0;
        } else if (field === STRUCT_VALUE && wireType === LENGTH_DELIMITED) {
            kind = field;
            value = readStruct(bytes, ...r.extent());
        } else if (field === LIST_VALUE && wireType === LENGTH_DELIMITED) {
            kind = field;
            value = readList(bytes, ...r.extent());
        } else {
            r.skip(wireType);
        }
    }
    if (kind === 0) {
        throw new Error("Unexpected struct type"); // what Value.prototype.toJavaScript throws for an unset kind
    }
    return value;
}

/** A `google.protobuf.ListValue` as a plain array. */
function readList(bytes: Buffer, start: number, end: number): unknown[] {
    const r = new Reader(bytes, start, end);
    const values: unknown[] = [];
    while (!r.done) {
        const tag = r.varint();
        if (tag === ((1 << 3) | LENGTH_DELIMITED)) {
            values.push(readValue(bytes, ...r.extent()));
        } else {
            r.skip(tag & 7);
        }
    }
    return values;
}

/**
 * Reads the entries of a protobuf map (`map<string, M>`: one length-delimited field per entry, key 1 and
 * value 2) into `into`: a later entry of a key replaces an earlier one, as google-protobuf's maps do; an
 * entry without a value gets `missing()`.
 */
function readMapEntry<V>(bytes: Buffer, start: number, end: number, into: Map<string, V>, value: (start: number, end: number) => V, missing: () => V): void {
    const r = new Reader(bytes, start, end);
    let key = "";
    let extent: [number, number] | undefined;
    while (!r.done) {
        const tag = r.varint();
        if (tag === ((1 << 3) | LENGTH_DELIMITED)) {
            key = r.string();
        } else if (tag === ((2 << 3) | LENGTH_DELIMITED)) {
            extent = r.extent();
        } else {
            r.skip(tag & 7);
        }
    }
    into.set(key, extent ? value(...extent) : missing());
}

/** The entries of a map, by key in the order google-protobuf's maps iterate (sorted). */
const sortedEntries = <V>(map: Map<string, V>): [string, V][] => [...map.keys()].sort().map((k) => [k, map.get(k)!]);

/** A `google.protobuf.Struct` as `Struct.prototype.toJavaScript` gives it. */
export function readStruct(bytes: Buffer, start = 0, end = bytes.length): Record<string, unknown> {
    const r = new Reader(bytes, start, end);
    // Values stay encoded until the last entry of each key is known.
    const fields = new Map<string, [number, number] | undefined>();
    while (!r.done) {
        const tag = r.varint();
        if (tag === ((1 << 3) | LENGTH_DELIMITED)) {
            readMapEntry(bytes, ...r.extent(), fields, (s, e): [number, number] => [s, e], () => undefined);
        } else {
            r.skip(tag & 7);
        }
    }
    const result: Record<string, unknown> = {};
    for (const [key, extent] of sortedEntries(fields)) {
        if (extent === undefined) {
            throw new Error("Unexpected struct type");
        }
        result[key] = readValue(bytes, ...extent);
    }
    return result;
}

/** A `Struct` field, read when the SDK asks for its value. */
class StructView {
    constructor(
        private readonly bytes: Buffer,
        private readonly start: number,
        private readonly end: number,
    ) {}

    toJavaScript(): Record<string, unknown> {
        return readStruct(this.bytes, this.start, this.end);
    }
}

/** `AnalyzerProviderResource`: type 1, properties 2, urn 3, name 4. */
class ProviderView {
    private type = "";
    private urn = "";
    private name = "";
    private properties: StructView | undefined;

    constructor(bytes: Buffer, start: number, end: number) {
        const r = new Reader(bytes, start, end);
        while (!r.done) {
            const tag = r.varint();
            const wireType = tag & 7;
            if (wireType !== LENGTH_DELIMITED) {
                r.skip(wireType);
                continue;
            }
            switch (tag >>> 3) {
                case 1:
                    this.type = r.string();
                    break;
                case 2:
                    this.properties = new StructView(bytes, ...r.extent());
                    break;
                case 3:
                    this.urn = r.string();
                    break;
                case 4:
                    this.name = r.string();
                    break;
                default:
                    r.skip(wireType);
            }
        }
    }

    getType = () => this.type;
    getUrn = () => this.urn;
    getName = () => this.name;
    getProperties = () => this.properties;
}

/** `AnalyzerPropertyDependencies`: urns 1. */
class PropertyDependenciesView {
    constructor(private readonly urns: string[]) {}

    getUrnsList = () => this.urns;
}

function readUrns(bytes: Buffer, start: number, end: number): PropertyDependenciesView {
    const r = new Reader(bytes, start, end);
    const urns: string[] = [];
    while (!r.done) {
        const tag = r.varint();
        if (tag === ((1 << 3) | LENGTH_DELIMITED)) {
            urns.push(r.string());
        } else {
            r.skip(tag & 7);
        }
    }
    return new PropertyDependenciesView(urns);
}

/**
 * `AnalyzerResource` (type 1, properties 2, urn 3, name 4, options 5, provider 6, parent 7, dependencies 8,
 * propertyDependencies 9), answering the generated class's getters that the SDK calls.
 */
class ResourceView {
    private type = "";
    private urn = "";
    private name = "";
    private parent = "";
    private readonly dependencies: string[] = [];
    private readonly propertyDependencies = new Map<string, PropertyDependenciesView>();
    private properties: StructView | undefined;
    private options: Buffer | undefined;
    private provider: ProviderView | undefined;

    constructor(bytes: Buffer, start: number, end: number) {
        const r = new Reader(bytes, start, end);
        while (!r.done) {
            const tag = r.varint();
            const wireType = tag & 7;
            if (wireType !== LENGTH_DELIMITED) {
                r.skip(wireType);
                continue;
            }
            switch (tag >>> 3) {
                case 1:
                    this.type = r.string();
                    break;
                case 2:
                    this.properties = new StructView(bytes, ...r.extent());
                    break;
                case 3:
                    this.urn = r.string();
                    break;
                case 4:
                    this.name = r.string();
                    break;
                case 5:
                    this.options = bytes.subarray(...r.extent());
                    break;
                case 6:
                    this.provider = new ProviderView(bytes, ...r.extent());
                    break;
                case 7:
                    this.parent = r.string();
                    break;
                case 8:
                    this.dependencies.push(r.string());
                    break;
                case 9:
                    readMapEntry(bytes, ...r.extent(), this.propertyDependencies, (s, e) => readUrns(bytes, s, e), () => new PropertyDependenciesView([]));
                    break;
                default:
                    r.skip(wireType);
            }
        }
    }

    getType = () => this.type;
    getUrn = () => this.urn;
    getName = () => this.name;
    getParent = () => this.parent;
    getDependenciesList = () => this.dependencies;
    getProperties = () => this.properties;
    getProvider = () => this.provider;
    /** Options are small and read once: the generated class decodes them, defaults and all. */
    getOptions = () => (this.options ? analyzerProto.AnalyzerResourceOptions.deserializeBinary(this.options) : undefined);
    getPropertydependenciesMap = () => ({ entries: () => sortedEntries(this.propertyDependencies) });
}

/** An `AnalyzeStackRequest` (resources 1), as views of its resources. */
export class AnalyzeStackRequestView {
    private readonly resources: ResourceView[] = [];

    constructor(bytes: Buffer) {
        const r = new Reader(bytes);
        while (!r.done) {
            const tag = r.varint();
            if (tag === ((1 << 3) | LENGTH_DELIMITED)) {
                this.resources.push(new ResourceView(bytes, ...r.extent()));
            } else {
                r.skip(tag & 7);
            }
        }
    }

    getResourcesList = () => this.resources;
}

/**
 * An `AnalyzeRequest` whose type is read at once, and whose other fields the generated class decodes on
 * the first call of any other getter.
 */
export function lazyAnalyzeRequest(bytes: Buffer): object {
    let type = "";
    const r = new Reader(bytes);
    while (!r.done) {
        const tag = r.varint();
        if (tag === ((1 << 3) | LENGTH_DELIMITED)) {
            type = r.string(); // a repeated field 1 ends with its last value, as in the generated class
        } else {
            r.skip(tag & 7);
        }
    }
    let decoded: any;
    return new Proxy(
        {},
        {
            get(_target, key) {
                if (key === "getType") {
                    return () => type;
                }
                decoded ??= analyzerProto.AnalyzeRequest.deserializeBinary(bytes);
                const value = decoded[key];
                return typeof value === "function" ? value.bind(decoded) : value;
            },
        },
    );
}
