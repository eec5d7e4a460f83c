/**
 * The properties the pack's AnalyzeStack hands the stack policies (policies/props.ts): deserialized on first
 * use, behind a proxy that must behave as @pulumi/policy's unknown-checking proxy in everything a policy
 * can observe.
 */
import { expect } from "chai";
import { LazyProperties, lazyPropertiesProxy } from "../../policies/props";

const sdkProxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy<T>(v: T): T;
    UnknownValueError: new (...a: any[]) => Error;
    unknownStringValue: string;
    unknownArrayValue: string;
    unknownObjectValue: string;
    unknownBooleanValue: string;
    isSpecialProxy: string;
    getSpecialProxyTarget: string;
};

const U = { string: sdkProxy.unknownStringValue, array: sdkProxy.unknownArrayValue, object: sdkProxy.unknownObjectValue, bool: sdkProxy.unknownBooleanValue };

/** Properties as a preview may hold them: nested objects and arrays, unknown values at every depth. */
const properties = () => ({
    bucket: "b",
    arn: U.string,
    count: 3,
    enabled: false,
    nothing: null,
    tags: { env: "dev", owner: U.string },
    rules: [
        { id: "r1", status: "Enabled", filter: { prefix: "" }, destination: { bucket: "arn:aws:s3:::d", metrics: { status: "Enabled" } } },
        { id: U.string, status: U.string, filter: U.object },
    ],
    list: U.array,
    frozen: Object.freeze({ inner: Object.freeze({ deep: 1 }) }),
    policy: JSON.stringify({ Statement: [{ Effect: "Allow" }] }),
});

/** What a policy can do with a resource's props (each returns something comparable, or throws). */
const READS: Record<string, (p: any) => unknown> = {
    "a string": (p) => p.bucket,
    "an unknown string": (p) => p.arn,
    "a number, a boolean, null, an absent key": (p) => [p.count, p.enabled, p.nothing, p.absent],
    "an object's known member": (p) => p.tags.env,
    "an object's unknown member": (p) => p.tags.owner,
    "optional chaining past an absent key": (p) => p.absent?.deeper?.deepest,
    "a member of an absent key (TypeError)": (p) => p.absent.deeper,
    "an array element's members": (p) => [p.rules[0].id, p.rules[0].destination.metrics.status],
    "an unknown member of an array element": (p) => p.rules[1].id,
    "an unknown object's member": (p) => p.rules[1].filter.prefix,
    "an unknown array": (p) => p.list.length,
    "the array's length": (p) => p.rules.length,
    "Array.isArray": (p) => Array.isArray(p.rules),
    "map over known elements": (p) => p.rules.slice(0, 1).map((r: any) => r.status),
    "filter and find": (p) => [p.rules.filter((r: any) => r.id === "r1").length, p.rules.find((r: any) => r.status === "Enabled")?.id],
    "map reaching an unknown": (p) => p.rules.map((r: any) => r.status),
    "includes": (p) => p.rules[0].filter.prefix === "" && ["x"].includes(p.bucket),
    "Object.keys": (p) => Object.keys(p),
    "Object.keys of a member": (p) => Object.keys(p.rules[0]),
    "Object.entries of a known object": (p) => Object.entries(p.rules[0].filter),
    "Object.entries reaching an unknown": (p) => Object.entries(p.tags),
    "in": (p) => ["bucket" in p, "absent" in p, "env" in p.tags],
    "spread of a known object": (p) => ({ ...p.rules[0].destination }),
    "JSON.stringify of a known part": (p) => JSON.stringify(p.rules[0]),
    "JSON.stringify of it all": (p) => JSON.stringify(p),
    "a frozen object (the Proxy invariant)": (p) => [p.frozen.inner.deep, Object.isFrozen(p.frozen)],
    "JSON.parse of a document": (p) => JSON.parse(p.policy).Statement[0].Effect,
    "the special keys": (p) => [p[sdkProxy.isSpecialProxy], JSON.stringify(p[sdkProxy.getSpecialProxyTarget])],
    "typeof": (p) => [typeof p, typeof p.tags, typeof p.rules, typeof p.count, typeof p.absent],
    "for...of over an array": (p) => {
        const ids: unknown[] = [];
        for (const r of p.rules.slice(0, 1)) {
            ids.push(r.id);
        }
        return ids;
    },
};

/** The outcome of a read: its value (as JSON) or its error (kind and message). */
function outcome(read: (p: any) => unknown, props: unknown): unknown {
    try {
        return { value: JSON.parse(JSON.stringify(read(props)) ?? "null") };
    } catch (e) {
        const { name, message } = e as { name: string; message: string };
        return { error: e instanceof sdkProxy.UnknownValueError ? "UnknownValueError" : name, message };
    }
}

describe("the pack's resource properties (policies/props.ts)", () => {
    for (const [name, read] of Object.entries(READS)) {
        it(`reads as the SDK's proxy does: ${name}`, () => {
            const expected = outcome(read, sdkProxy.unknownCheckingProxy(properties()));
            expect(outcome(read, lazyPropertiesProxy(new LazyProperties(undefined, properties)))).to.deep.equal(expected);
        });
    }

    it("gives the same proxy for the same member read twice (the SDK makes a new one each time)", () => {
        const props: any = lazyPropertiesProxy(new LazyProperties(undefined, properties));
        expect(props.tags).to.equal(props.tags);
        expect(props.rules[0].destination).to.equal(props.rules[0].destination);
    });

    it("deserializes nothing until something is read, then once, whatever the first operation", () => {
        const operations: Record<string, (p: any) => unknown> = {
            get: (p) => p.bucket,
            has: (p) => "bucket" in p,
            ownKeys: (p) => Object.keys(p),
            getOwnPropertyDescriptor: (p) => Object.getOwnPropertyDescriptor(p, "bucket"),
            set: (p) => (p.added = 1),
            deleteProperty: (p) => delete p.count,
            specialTarget: (p) => p[sdkProxy.getSpecialProxyTarget],
        };
        for (const [name, operate] of Object.entries(operations)) {
            let calls = 0;
            const props: any = lazyPropertiesProxy(
                new LazyProperties(undefined, () => {
                    calls++;
                    return properties();
                }),
            );
            expect(props[sdkProxy.isSpecialProxy], name).to.equal(true);
            expect(calls, `${name}: before`).to.equal(0);
            operate(props);
            expect(calls, `${name}: after`).to.equal(1);
            expect(props.tags.env, name).to.equal("dev");
            expect(calls, `${name}: read again`).to.equal(1);
        }
    });
});
