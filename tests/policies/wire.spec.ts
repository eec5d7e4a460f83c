/**
 * The pack's reading of Analyzer requests (policies/wire.ts) against the generated classes the SDK's server
 * decodes with by default, on the same bytes.
 */
import { expect } from "chai";
import { PACK_NAME, POLICIES } from "../../policies/lib";
import { AnalyzeStackRequestView, lazyAnalyzeRequest, readStruct } from "../../policies/wire";
import { AnalyzerMessages } from "../../tools/plan/protobuf";
import { buildPair } from "../support/fixtures";
import { registered, Registration, resetRecords } from "../support/mocks";
import { oneWay } from "./corpus";

const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");
const structProto = require("google-protobuf/google/protobuf/struct_pb");
const sdkServer = require("@pulumi/policy/server");

const encode = (value: Record<string, unknown>): Buffer => Buffer.from(structProto.Struct.fromJavaScript(value).serializeBinary());
const generated = (bytes: Buffer): unknown => structProto.Struct.deserializeBinary(bytes).toJavaScript();

/** What the SDK reads of a resource message (AnalyzerResource, or a view of one). */
function read(r: any) {
    const provider = r.getProvider();
    return {
        type: r.getType(),
        urn: r.getUrn(),
        name: r.getName(),
        parent: r.getParent(),
        dependencies: r.getDependenciesList(),
        propertyDependencies: [...r.getPropertydependenciesMap().entries()].map(([k, v]: [string, any]) => [k, v.getUrnsList()]),
        properties: r.getProperties()?.toJavaScript(),
        options: ((o) =>
            o && {
                protect: o.getProtect(),
                ignoreChanges: o.getIgnorechangesList(),
                deleteBeforeReplace: o.getDeletebeforereplace(),
                deleteBeforeReplaceDefined: o.getDeletebeforereplacedefined(),
                additionalSecretOutputs: o.getAdditionalsecretoutputsList(),
                aliases: o.getAliasesList(),
                customTimeouts: ((t) => t && [t.getCreate(), t.getUpdate(), t.getDelete()])(o.getCustomtimeouts()),
                parent: o.getParent(),
            })(r.getOptions()),
        provider: provider && { type: provider.getType(), urn: provider.getUrn(), name: provider.getName(), properties: provider.getProperties()?.toJavaScript() },
    };
}

describe("the pack's reading of Analyzer requests (policies/wire.ts)", () => {
    let stack: Registration[];
    before(async () => {
        resetRecords();
        await buildPair("wire");
        stack = [...registered(), ...oneWay("w1", { kms: true, crossAccount: {}, previewPolicy: true }).records.map((r) => ({ ...r, custom: true, outputs: r.outputs ?? r.inputs }))];
    });

    it("reads a Struct as Struct.toJavaScript gives it: every kind of value, keys in the same order", () => {
        const value = {
            b: 1,
            a: [1, -2.5, 1e300, 0, "x", true, false, null, [], {}, [[{ z: 1, y: [null] }]]],
            B: { "10": "ten", "2": "two", é: "accent", "": "empty", "😀": "emoji", "a.b": { c: "d" } },
            text: "line\nbreak, quote \" and ünïcödé",
            nothing: null,
            empty: {},
            nested: { deeper: { deepest: { list: ["a", "b"], n: -0.125 } } },
        };
        const bytes = encode(value);
        const ours = readStruct(bytes);
        expect(ours).to.deep.equal(generated(bytes));
        expect(JSON.stringify(ours), "same key order").to.equal(JSON.stringify(generated(bytes)));
        expect(readStruct(encode({}))).to.deep.equal({});
    });

    it("keeps the last entry of a key given twice, as the generated class does", () => {
        // Concatenated messages merge: the map gets both entries of "k".
        const bytes = Buffer.concat([encode({ k: "first", a: 1 }), encode({ k: "second" })]);
        expect(readStruct(bytes)).to.deep.equal(generated(bytes));
        expect(readStruct(bytes)).to.deep.equal({ a: 1, k: "second" });
    });

    it("refuses a Value without a kind, as Value.toJavaScript does", () => {
        const fields = new structProto.Struct();
        fields.getFieldsMap().set("unset", new structProto.Value());
        const bytes = Buffer.from(fields.serializeBinary());
        expect(() => generated(bytes)).to.throw("Unexpected struct type");
        expect(() => readStruct(bytes)).to.throw("Unexpected struct type");
    });

    it("reads an AnalyzeStackRequest into views that answer every getter the SDK calls as the generated class does", () => {
        const messages = new AnalyzerMessages();
        stack.forEach((r) => messages.add(r));
        // A resource with nothing but its type (no properties, options or provider), and one with every option.
        const bare = new analyzerProto.AnalyzerResource();
        bare.setType("test:index:Bare");
        const full = new analyzerProto.AnalyzerResource();
        full.setType("test:index:Full");
        const options = new analyzerProto.AnalyzerResourceOptions();
        options.setProtect(true);
        options.setIgnorechangesList(["a", "b"]);
        options.setDeletebeforereplace(true);
        options.setDeletebeforereplacedefined(true);
        options.setAdditionalsecretoutputsList(["secret"]);
        options.setAliasesList(["urn:old"]);
        const timeouts = new analyzerProto.AnalyzerResourceOptions.CustomTimeouts();
        timeouts.setCreate(60);
        options.setCustomtimeouts(timeouts);
        options.setParent("urn:parent");
        full.setOptions(options);
        const extra = new analyzerProto.AnalyzeStackRequest();
        extra.setResourcesList([bare, full]);
        const bytes = Buffer.concat([messages.stackRequest(), Buffer.from(extra.serializeBinary())]);

        const expected = analyzerProto.AnalyzeStackRequest.deserializeBinary(bytes).getResourcesList().map(read);
        expect(expected).to.have.length(stack.length + 2);
        expect(new AnalyzeStackRequestView(bytes).getResourcesList().map(read)).to.deep.equal(expected);
    });

    it("reads an AnalyzeRequest's type at once, and the rest through the generated class: the SDK's Analyze answers the same", async () => {
        const messages = new AnalyzerMessages();
        const analyze = sdkServer.makeAnalyzeRpcFun(PACK_NAME, "0.1.0", "advisory", POLICIES);
        const answer = (request: unknown) =>
            new Promise<unknown>((resolve, reject) => analyze({ request }, (err: unknown, response: any) => (err ? reject(err) : resolve(response.toObject()))));
        for (const r of stack) {
            const bytes = messages.add(r);
            const lazy: any = lazyAnalyzeRequest(bytes);
            expect(lazy.getType()).to.equal(r.type);
            expect(await answer(lazyAnalyzeRequest(bytes))).to.deep.equal(await answer(analyzerProto.AnalyzeRequest.deserializeBinary(bytes)));
        }
        const sample: any = lazyAnalyzeRequest(messages.add(stack[stack.length - 1]));
        expect(sample.getProperties().toJavaScript()).to.deep.equal(JSON.parse(JSON.stringify(stack[stack.length - 1].inputs)));
    });
});
