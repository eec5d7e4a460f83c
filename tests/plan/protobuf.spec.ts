/**
 * The plan's direct protobuf encoding (tools/plan/protobuf.ts, used by AnalyzerMessages) against the bytes
 * google-protobuf's generated classes produce for the same messages.
 */
import { expect } from "chai";
import { AnalyzerMessages, Writer, writeStruct } from "../../tools/plan/protobuf";
import { buildPair } from "../support/fixtures";
import { registered, Registration, resetRecords } from "../support/mocks";
import { oneWay } from "../policies/corpus";

const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");
const structProto = require("google-protobuf/google/protobuf/struct_pb");

/** What the generated class encodes for `value`, after JSON (which is what a Struct can carry). */
const generatedStruct = (value: unknown) => structProto.Struct.fromJavaScript(JSON.parse(JSON.stringify(value ?? {})));

function ours(value: unknown): Buffer {
    const w = new Writer(16); // small, to exercise growth
    writeStruct(w, 2, value);
    return Buffer.from(w.bytes());
}

function theirs(value: unknown): Buffer {
    const request = new analyzerProto.AnalyzeRequest();
    request.setProperties(generatedStruct(value));
    return Buffer.from(request.serializeBinary());
}

/** The messages as the generated classes build them: the plan's encoding before protobuf.ts. */
function generatedMessages(records: readonly Registration[]): { requests: Buffer[]; stack: Buffer } {
    const byUrn = new Map(records.map((r) => [r.urn, r]));
    const describe = (message: any, r: Registration, properties: unknown) => {
        message.setType(r.type);
        message.setName(r.name);
        message.setUrn(r.urn);
        message.setProperties(generatedStruct(properties));
        const options = new analyzerProto.AnalyzerResourceOptions();
        options.setParent(r.parent);
        message.setOptions(options);
        const p = byUrn.get(r.provider.split("::").slice(0, -1).join("::"));
        if (p) {
            const provider = new analyzerProto.AnalyzerProviderResource();
            provider.setType(p.type);
            provider.setName(p.name);
            provider.setUrn(p.urn);
            provider.setProperties(generatedStruct(p.inputs));
            message.setProvider(provider);
        }
        return message;
    };
    const stack = new analyzerProto.AnalyzeStackRequest();
    const requests = records.map((r) => {
        const resource = describe(new analyzerProto.AnalyzerResource(), r, r.outputs);
        resource.setParent(r.parent);
        resource.setDependenciesList([...r.dependencies]);
        for (const [key, urns] of Object.entries(r.propertyDependencies)) {
            const deps = new analyzerProto.AnalyzerPropertyDependencies();
            deps.setUrnsList([...urns]);
            resource.getPropertydependenciesMap().set(key, deps);
        }
        stack.addResources(resource);
        return Buffer.from(describe(new analyzerProto.AnalyzeRequest(), r, r.inputs).serializeBinary());
    });
    return { requests, stack: Buffer.from(stack.serializeBinary()) };
}

describe("the plan's protobuf encoding (tools/plan/protobuf.ts)", () => {
    it("encodes a Struct as the generated class does after JSON: every kind of value, keys sorted", () => {
        class Point {
            constructor(
                readonly x: number,
                readonly y: number,
            ) {}
        }
        const values: unknown[] = [
            {},
            undefined,
            { b: 1, a: "x", c: true, d: false, e: null, "": "empty key", é: "ü", "😀": ["emoji"] },
            { numbers: [0, -0, 1.5, -2, 1e300, 2 ** 53, Number.MAX_VALUE, NaN, Infinity, -Infinity] },
            { nested: { deeper: [[{ z: 1, y: [null, { x: [] }] }]], empty: {} } },
            { skipped: undefined, f: () => 1, s: Symbol("s"), kept: 1, list: [undefined, () => 1, Symbol("t"), 2] },
            { date: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), point: new Point(1, 2), json: { toJSON: () => "custom" } },
            { text: "x".repeat(5000), many: Array.from({ length: 300 }, (_, i) => ({ [`k${i}`]: i })) },
            Object.assign(Object.create(null), { noPrototype: true }),
        ];
        for (const value of values) {
            expect(ours(value).toString("hex"), JSON.stringify(value)).to.equal(theirs(value).toString("hex"));
        }
    });

    it("encodes each resource's Analyze request and the AnalyzeStack request byte for byte as the generated classes do", async () => {
        resetRecords();
        await buildPair("encoded");
        const records: Registration[] = [
            ...registered(),
            ...oneWay("p1", { kms: true, crossAccount: {}, previewPolicy: true }).records.map((r) => ({ ...r, custom: true, outputs: r.outputs ?? r.inputs })),
        ];
        const expected = generatedMessages(records);
        const messages = new AnalyzerMessages();
        const requests = records.map((r) => messages.add(r));
        expect(requests.map((b) => b.toString("hex"))).to.deep.equal(expected.requests.map((b) => b.toString("hex")));
        expect(messages.stackRequest().equals(expected.stack)).to.equal(true);
    });
});
