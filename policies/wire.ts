/**
 * The pack's reading of the Analyzer requests it answers, straight from the protobuf wire format.
 *
 * grpc-js decodes a request with the generated google-protobuf classes before the SDK's handler runs: at
 * 100 pairs the AnalyzeStack request is 9 MB of `Struct`s, decoded into one message object per value (and
 * their garbage) only to be turned into plain JavaScript by `toJavaScript()` right after. Here:
 * - an `AnalyzeRequest` is read for its type only; the rest is decoded by the generated class on first use,
 *   which the SDK makes only for the few resources a resource policy applies to;
 * - an `AnalyzeStackRequest` is read into views that answer the getters the SDK calls, with each `Struct`
 *   left encoded until it is asked for, then read straight into the plain value `toJavaScript()` gives (keys
 *   in the order of google-protobuf's maps, which iterate sorted).
 * tests/policies/wire.spec.ts holds both readings to the generated classes' on the same bytes.
 */

// The generated classes @pulumi/policy's server decodes with (the same modules it loads).
const analyzerProto = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [require.resolve("@pulumi/policy/server")] }));

/** Wire types of the protobuf encoding. */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/**
 * UTF-8 text of a byte range: `Buffer.prototype.utf8Slice`, what `toString("utf8", start, end)` calls after
 * normalizing its arguments, where Node has it: a request of 100 pairs holds over a hundred thousand short
 * strings, and the normalizing was a sixth of the time spent reading it.
 */
const utf8Slice: (this: Buffer, start: number, end: number) => string =
    (Buffer.prototype as { utf8Slice?: (this: Buffer, start: number, end: number) => string }).utf8Slice ??
    function (this: Buffer, start: number, end: number) {
        return this.toString("utf8", start, end);
    };

/** The tag of field `field` with wire type LENGTH_DELIMITED. */
const delimited = (field: number) => (field << 3) | LENGTH_DELIMITED;

/**
 * A cursor over protobuf-encoded bytes, up to `end`. Nested messages are read with the same cursor: the
 * caller saves `end`, sets it to the message's end, reads, and restores it.
 */
class Reader {
    pos: number;
    end: number;

    constructor(
        readonly bytes: Buffer,
        start = 0,
        end = bytes.length,
    ) {
        this.pos = start;
        this.end = end;
    }

    get done(): boolean {
        return this.pos >= this.end;
    }

    varint(): number {
        const bytes = this.bytes;
        let result = 0;
        let shift = 1;
        for (;;) {
            if (this.pos >= this.end) {
                throw new Error("protobuf: truncated varint");
            }
            const b = bytes[this.pos++];
            result += (b & 0x7f) * shift;
            if (b < 0x80) {
                return result;
            }
            shift *= 128;
        }
    }

    /** Reads a length prefix; returns where the field's content ends (the cursor is at its start). */
    delimitedEnd(): number {
        const length = this.varint();
        const end = this.pos + length;
        if (end > this.end) {
            throw new Error("protobuf: truncated field");
        }
        return end;
    }

    string(): string {
        const end = this.delimitedEnd();
        const value = utf8Slice.call(this.bytes, this.pos, end);
        this.pos = end;
        return value;
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
            this.pos = this.delimitedEnd();
        } else if (wireType === FIXED32) {
            this.pos += 4;
        } else {
            throw new Error(`protobuf: unexpected wire type ${wireType}`);
        }
    }
}

// google.protobuf.Value's kinds: the field numbers of its oneof.
const NULL_VALUE = 1;
const NUMBER_VALUE = 2;
const STRING_VALUE = 3;
const BOOL_VALUE = 4;
const STRUCT_VALUE = 5;
const LIST_VALUE = 6;

/** The `google.protobuf.Value` from the cursor to `end`, as `Value.prototype.toJavaScript` gives it. */
function readValue(r: Reader, end: number): unknown {
    const outer = r.end;
    r.end = end;
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
            value = readStructAt(r, r.delimitedEnd());
        } else if (field === LIST_VALUE && wireType === LENGTH_DELIMITED) {
            kind = field;
            value = readList(r, r.delimitedEnd());
        } else {
            r.skip(wireType);
        }
    }
    r.end = outer;
    if (kind === 0) {
        throw new Error("Unexpected struct type"); // what Value.prototype.toJavaScript throws for an unset kind
    }
    return value;
}

/** A `google.protobuf.ListValue` (values 1) as a plain array. */
function readList(r: Reader, end: number): unknown[] {
    const outer = r.end;
    r.end = end;
    const values: unknown[] = [];
    while (!r.done) {
        const tag = r.varint();
        if (tag === delimited(1)) {
            values.push(readValue(r, r.delimitedEnd()));
        } else {
            r.skip(tag & 7);
        }
    }
    r.end = outer;
    return values;
}

/**
 * The entries of a `google.protobuf.Struct` (a `map<string, Value>`: one field 1 per entry, holding key 1
 * and value 2), as key and the extent of its value, in the order google-protobuf's maps iterate: sorted,
 * the last entry of a key given twice winning. An entry without a value has the extent [-1, -1].
 */
function structEntries(r: Reader, end: number): { keys: string[]; starts: number[]; ends: number[] } {
    const outer = r.end;
    r.end = end;
    const keys: string[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    let sorted = true;
    while (!r.done) {
        const tag = r.varint();
        if (tag !== delimited(1)) {
            r.skip(tag & 7);
            continue;
        }
        const entryEnd = r.delimitedEnd();
        const entryOuter = r.end;
        r.end = entryEnd;
        let key = "";
        let start = -1;
        let valueEnd = -1;
        while (!r.done) {
            const t = r.varint();
            if (t === delimited(1)) {
                key = r.string();
            } else if (t === delimited(2)) {
                valueEnd = r.delimitedEnd();
                start = r.pos;
                r.pos = valueEnd;
            } else {
                r.skip(t & 7);
            }
        }
        r.end = entryOuter;
        sorted &&= keys.length === 0 || keys[keys.length - 1] < key;
        keys.push(key);
        starts.push(start);
        ends.push(valueEnd);
    }
    r.end = outer;
    if (sorted) {
        return { keys, starts, ends }; // as google-protobuf and Go's deterministic encoding write them
    }
    const last = new Map<string, number>();
    keys.forEach((k, i) => last.set(k, i));
    const order = [...last.keys()].sort().map((k) => last.get(k)!);
    return { keys: order.map((i) => keys[i]), starts: order.map((i) => starts[i]), ends: order.map((i) => ends[i]) };
}

function readStructAt(r: Reader, end: number): Record<string, unknown> {
    const { keys, starts, ends } = structEntries(r, end);
    const result: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
        result[keys[i]] = valueAt(r, starts[i], ends[i]);
    }
    r.pos = end;
    return result;
}

/** The value of a Struct entry at [start, end) ([-1, -1]: the entry had none). */
function valueAt(r: Reader, start: number, end: number): unknown {
    if (start < 0) {
        throw new Error("Unexpected struct type"); // an unset Value, as Value.prototype.toJavaScript says
    }
    r.pos = start;
    return readValue(r, end);
}

/** A `google.protobuf.Struct` as `Struct.prototype.toJavaScript` gives it. */
export function readStruct(bytes: Buffer, start = 0, end = bytes.length): Record<string, unknown> {
    return readStructAt(new Reader(bytes, start, end), end);
}

/** A `Struct` field of a request, left encoded until it is asked for. */
export class StructView {
    constructor(
        private readonly bytes: Buffer,
        private readonly start: number,
        private readonly end: number,
    ) {}

    /** The whole value, as `Struct.prototype.toJavaScript` gives it. */
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

    constructor(r: Reader, end: number) {
        const outer = r.end;
        r.end = end;
        while (!r.done) {
            const tag = r.varint();
            if (tag === delimited(1)) {
                this.type = r.string();
            } else if (tag === delimited(2)) {
                const e = r.delimitedEnd();
                this.properties = new StructView(r.bytes, r.pos, e);
                r.pos = e;
            } else if (tag === delimited(3)) {
                this.urn = r.string();
            } else if (tag === delimited(4)) {
                this.name = r.string();
            } else {
                r.skip(tag & 7);
            }
        }
        r.end = outer;
    }

    getType(): string {
        return this.type;
    }

    getUrn(): string {
        return this.urn;
    }

    getName(): string {
        return this.name;
    }

    getProperties(): StructView | undefined {
        return this.properties;
    }
}

/** `AnalyzerResourceOptions.CustomTimeouts`: create 1, update 2, delete 3 (seconds, doubles). */
class CustomTimeoutsView {
    private create = 0;
    private update = 0;
    private delete = 0;

    constructor(r: Reader, end: number) {
        const outer = r.end;
        r.end = end;
        while (!r.done) {
            const tag = r.varint();
            if (tag === ((1 << 3) | FIXED64)) {
                this.create = r.double();
            } else if (tag === ((2 << 3) | FIXED64)) {
                this.update = r.double();
            } else if (tag === ((3 << 3) | FIXED64)) {
                this.delete = r.double();
            } else {
                r.skip(tag & 7);
            }
        }
        r.end = outer;
    }

    getCreate(): number {
        return this.create;
    }

    getUpdate(): number {
        return this.update;
    }

    getDelete(): number {
        return this.delete;
    }
}

/**
 * The empty list of an absent repeated option, one for every resource (three per resource otherwise, kept
 * to the end of the request): frozen, since the SDK hands it to the policies as, say, `opts.aliases`.
 */
const NONE = Object.freeze([]) as unknown as string[];

/**
 * `AnalyzerResourceOptions`: protect 1, ignoreChanges 2, deleteBeforeReplace 3, deleteBeforeReplaceDefined 4,
 * additionalSecretOutputs 5, aliases 6, customTimeouts 7, parent 8; absent fields read as the generated
 * class's defaults (false, [], "", no timeouts).
 */
class OptionsView {
    private protect = false;
    private ignoreChanges: string[] = NONE;
    private deleteBeforeReplace = false;
    private deleteBeforeReplaceDefined = false;
    private additionalSecretOutputs: string[] = NONE;
    private aliases: string[] = NONE;
    private customTimeouts: CustomTimeoutsView | undefined;
    private parent = "";

    constructor(r: Reader, end: number) {
        const outer = r.end;
        r.end = end;
        while (!r.done) {
            const tag = r.varint();
            if (tag === ((1 << 3) | VARINT)) {
                this.protect = r.varint() !== 0;
            } else if (tag === delimited(2)) {
                this.ignoreChanges = [...this.ignoreChanges, r.string()];
            } else if (tag === ((3 << 3) | VARINT)) {
                this.deleteBeforeReplace = r.varint() !== 0;
            } else if (tag === ((4 << 3) | VARINT)) {
                this.deleteBeforeReplaceDefined = r.varint() !== 0;
            } else if (tag === delimited(5)) {
                this.additionalSecretOutputs = [...this.additionalSecretOutputs, r.string()];
            } else if (tag === delimited(6)) {
                this.aliases = [...this.aliases, r.string()];
            } else if (tag === delimited(7)) {
                this.customTimeouts = new CustomTimeoutsView(r, r.delimitedEnd());
            } else if (tag === delimited(8)) {
                this.parent = r.string();
            } else {
                r.skip(tag & 7);
            }
        }
        r.end = outer;
    }

    getProtect(): boolean {
        return this.protect;
    }

    getIgnorechangesList(): string[] {
        return this.ignoreChanges;
    }

    getDeletebeforereplace(): boolean {
        return this.deleteBeforeReplace;
    }

    getDeletebeforereplacedefined(): boolean {
        return this.deleteBeforeReplaceDefined;
    }

    getAdditionalsecretoutputsList(): string[] {
        return this.additionalSecretOutputs;
    }

    getAliasesList(): string[] {
        return this.aliases;
    }

    getCustomtimeouts(): CustomTimeoutsView | undefined {
        return this.customTimeouts;
    }

    getParent(): string {
        return this.parent;
    }
}

/** `AnalyzerPropertyDependencies`: urns 1. */
class PropertyDependenciesView {
    constructor(private readonly urns: string[]) {}

    getUrnsList(): string[] {
        return this.urns;
    }
}

/**
 * `AnalyzerResource` (type 1, properties 2, urn 3, name 4, options 5, provider 6, parent 7, dependencies 8,
 * propertyDependencies 9), answering the generated class's getters that the SDK calls. A field given twice
 * keeps its last value, as in the generated class (which does not merge a message given twice either).
 */
class ResourceView {
    private type = "";
    private urn = "";
    private name = "";
    private parent = "";
    private readonly dependencies: string[] = [];
    /** The propertyDependencies map's entries, in the order read: keys, and each key's URNs. */
    private readonly dependencyKeys: string[] = [];
    private readonly dependencyUrns: string[][] = [];
    private properties: StructView | undefined;
    private options: OptionsView | undefined;
    private provider: ProviderView | undefined;

    constructor(r: Reader, end: number, providers: Providers) {
        const outer = r.end;
        r.end = end;
        while (!r.done) {
            const tag = r.varint();
            if (tag === delimited(1)) {
                this.type = r.string();
            } else if (tag === delimited(2)) {
                const e = r.delimitedEnd();
                this.properties = new StructView(r.bytes, r.pos, e);
                r.pos = e;
            } else if (tag === delimited(3)) {
                this.urn = r.string();
            } else if (tag === delimited(4)) {
                this.name = r.string();
            } else if (tag === delimited(5)) {
                this.options = new OptionsView(r, r.delimitedEnd());
            } else if (tag === delimited(6)) {
                this.provider = providers.at(r, r.delimitedEnd());
            } else if (tag === delimited(7)) {
                this.parent = r.string();
            } else if (tag === delimited(8)) {
                this.dependencies.push(r.string());
            } else if (tag === delimited(9)) {
                this.readPropertyDependencies(r, r.delimitedEnd());
            } else {
                r.skip(tag & 7);
            }
        }
        r.end = outer;
    }

    /** One entry of the `map<string, AnalyzerPropertyDependencies>`: key 1, value 2 (urns 1). */
    private readPropertyDependencies(r: Reader, end: number): void {
        const outer = r.end;
        r.end = end;
        let key = "";
        let urns: string[] = [];
        while (!r.done) {
            const tag = r.varint();
            if (tag === delimited(1)) {
                key = r.string();
            } else if (tag === delimited(2)) {
                urns = [];
                const valueEnd = r.delimitedEnd();
                const entryEnd = r.end;
                r.end = valueEnd;
                while (!r.done) {
                    const t = r.varint();
                    if (t === delimited(1)) {
                        urns.push(r.string());
                    } else {
                        r.skip(t & 7);
                    }
                }
                r.end = entryEnd;
            } else {
                r.skip(tag & 7);
            }
        }
        r.end = outer;
        this.dependencyKeys.push(key);
        this.dependencyUrns.push(urns);
    }

    getType(): string {
        return this.type;
    }

    getUrn(): string {
        return this.urn;
    }

    getName(): string {
        return this.name;
    }

    getParent(): string {
        return this.parent;
    }

    getDependenciesList(): string[] {
        return this.dependencies;
    }

    getProperties(): StructView | undefined {
        return this.properties;
    }

    getProvider(): ProviderView | undefined {
        return this.provider;
    }

    getOptions(): OptionsView | undefined {
        return this.options;
    }

    /**
     * The map as google-protobuf's maps iterate it: by key, sorted, a key given twice keeping its last
     * entry. Entries come sorted, each key once (google-protobuf writes maps so; so does Go's deterministic
     * encoding): then they are read in order.
     */
    getPropertydependenciesMap(): { entries(): [string, PropertyDependenciesView][] } {
        const keys = this.dependencyKeys;
        const urns = this.dependencyUrns;
        const entries = () => {
            if (keys.every((k, i) => i === 0 || keys[i - 1] < k)) {
                return keys.map((k, i): [string, PropertyDependenciesView] => [k, new PropertyDependenciesView(urns[i])]);
            }
            const last = new Map<string, number>();
            keys.forEach((k, i) => last.set(k, i));
            return [...last.keys()].sort().map((k): [string, PropertyDependenciesView] => [k, new PropertyDependenciesView(urns[last.get(k)!])]);
        };
        return { entries };
    }
}

/**
 * The providers of a request, one view for each distinct encoding: every resource carries its provider, and
 * the resources of a region share one (200 providers for 6,400 resources at 100 pairs). The SDK still
 * deserializes a provider's properties for each resource that reads them.
 */
class Providers {
    /** Views by a hash of their bytes. */
    private readonly byHash = new Map<number, { start: number; end: number; view: ProviderView }[]>();

    /** The view of the provider message from the cursor to `end`. */
    at(r: Reader, end: number): ProviderView {
        const bytes = r.bytes;
        const start = r.pos;
        let hash = 0x811c9dc5; // FNV-1a
        for (let i = start; i < end; i++) {
            hash = Math.imul(hash ^ bytes[i], 0x01000193);
        }
        const same = this.byHash.get(hash);
        const known = same?.find((p) => bytes.compare(bytes, p.start, p.end, start, end) === 0);
        if (known) {
            r.pos = end;
            return known.view;
        }
        const view = new ProviderView(r, end);
        this.byHash.set(hash, [...(same ?? []), { start, end, view }]);
        return view;
    }
}

/** An `AnalyzeStackRequest` (resources 1), as views of its resources. */
export class AnalyzeStackRequestView {
    private readonly resources: ResourceView[] = [];

    constructor(bytes: Buffer) {
        const r = new Reader(bytes);
        const providers = new Providers();
        while (!r.done) {
            const tag = r.varint();
            if (tag === delimited(1)) {
                this.resources.push(new ResourceView(r, r.delimitedEnd(), providers));
            } else {
                r.skip(tag & 7);
            }
        }
    }

    getResourcesList(): ResourceView[] {
        return this.resources;
    }
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
        if (tag === delimited(1)) {
            type = r.string(); // a field given twice keeps its last value, as in the generated class
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
