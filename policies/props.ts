/**
 * The properties of the resources of an AnalyzeStack request, as the pack's server hands them to the stack
 * policies: read from the request on first use, behind an unknown-checking proxy that behaves as the SDK's.
 *
 * The SDK deserializes every property of every resource and provider before any policy runs, and its proxy
 * allocates on every read (the path so far, a new proxy for every object read, each time it is read). Many
 * of a stack's properties are never read by a policy (a dashboard's body, a topic's policy, the provider of
 * nearly every resource): here a resource's properties are deserialized when a policy first looks at them
 * (serve.ts says how), and a proxy keeps the proxies of what was read through it.
 *
 * What the proxy does is the SDK's `unknownCheckingProxy` (@pulumi/policy/proxy.js, 1.21.0): reading an
 * unknown value throws the SDK's `UnknownValueError` naming its path; an object read is wrapped in turn; a
 * non-configurable, non-writable own property is returned as is (the Proxy invariant); the SDK's special
 * keys give the proxy's marker and its target. tests/policies/props.spec.ts holds it to the SDK's proxy.
 */
const sdkProxy = require("@pulumi/policy/proxy") as {
    UnknownValueError: new (sentinel: unknown, path: PropertyKey[]) => Error;
    isSpecialProxy: string;
    getSpecialProxyTarget: string;
    unknownBooleanValue: string;
    unknownNumberValue: string;
    unknownStringValue: string;
    unknownArrayValue: string;
    unknownAssetValue: string;
    unknownArchiveValue: string;
    unknownObjectValue: string;
};

const UNKNOWNS = new Set<unknown>([
    sdkProxy.unknownBooleanValue,
    sdkProxy.unknownNumberValue,
    sdkProxy.unknownStringValue,
    sdkProxy.unknownArrayValue,
    sdkProxy.unknownAssetValue,
    sdkProxy.unknownArchiveValue,
    sdkProxy.unknownObjectValue,
]);

/** Properties not deserialized yet: what they are read from, and how. */
export class LazyProperties {
    constructor(
        readonly source: unknown,
        readonly deserialize: (source: unknown) => Record<string, unknown>,
    ) {}
}

/** The `get` of one proxy: its path (kept as parent and key, spelled out only for an error) and its children. */
class Reads implements ProxyHandler<object> {
    private children: Map<PropertyKey, { field: object; proxy: object }> | undefined;

    constructor(
        private readonly parent: Reads | undefined,
        private readonly key: PropertyKey | undefined,
    ) {}

    private path(): PropertyKey[] {
        return this.parent === undefined ? [] : [...this.parent.path(), this.key!];
    }

    get(target: object, key: PropertyKey): unknown {
        if (key === sdkProxy.isSpecialProxy) {
            return true;
        } else if (key === sdkProxy.getSpecialProxyTarget) {
            return target;
        }
        const field = (target as Record<PropertyKey, unknown>)[key];
        if (typeof field === "string" && UNKNOWNS.has(field)) {
            throw new sdkProxy.UnknownValueError(field, [...this.path(), key]);
        }
        if (!(field instanceof Object)) {
            return field;
        }
        const own = Object.getOwnPropertyDescriptor(target, key);
        if (own && "value" in own && own.configurable === false && own.writable === false) {
            return field;
        }
        this.children ??= new Map();
        const known = this.children.get(key);
        if (known?.field === field) {
            return known.proxy;
        }
        const proxy = new Proxy(field, new Reads(this, key));
        this.children.set(key, { field, proxy });
        return proxy;
    }
}

/**
 * The root of a resource's properties: an empty object until any operation on the proxy, which first
 * fills it with the deserialized properties (then every operation proceeds on it as on a plain object).
 */
class LazyReads extends Reads {
    private pending: LazyProperties | undefined;

    constructor(lazy: LazyProperties) {
        super(undefined, undefined);
        this.pending = lazy;
    }

    private fill(target: object): void {
        if (this.pending !== undefined) {
            const { source, deserialize } = this.pending;
            this.pending = undefined;
            Object.assign(target, deserialize(source));
        }
    }

    get(target: object, key: PropertyKey): unknown {
        if (key !== sdkProxy.isSpecialProxy) {
            this.fill(target);
        }
        return super.get(target, key);
    }

    has(target: object, key: PropertyKey): boolean {
        this.fill(target);
        return Reflect.has(target, key);
    }

    ownKeys(target: object): (string | symbol)[] {
        this.fill(target);
        return Reflect.ownKeys(target);
    }

    getOwnPropertyDescriptor(target: object, key: PropertyKey): PropertyDescriptor | undefined {
        this.fill(target);
        return Reflect.getOwnPropertyDescriptor(target, key);
    }

    set(target: object, key: PropertyKey, value: unknown): boolean {
        this.fill(target);
        return Reflect.set(target, key, value);
    }

    defineProperty(target: object, key: PropertyKey, descriptor: PropertyDescriptor): boolean {
        this.fill(target);
        return Reflect.defineProperty(target, key, descriptor);
    }

    deleteProperty(target: object, key: PropertyKey): boolean {
        this.fill(target);
        return Reflect.deleteProperty(target, key);
    }

    preventExtensions(target: object): boolean {
        this.fill(target);
        return Reflect.preventExtensions(target);
    }
}

/** The unknown-checking proxy of properties not deserialized yet. */
export function lazyPropertiesProxy(lazy: LazyProperties): Record<string, unknown> {
    return new Proxy({}, new LazyReads(lazy)) as Record<string, unknown>;
}
