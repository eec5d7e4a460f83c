/**
 * How the pack is served (policies/serve.ts): its AnalyzeStack builds the stack's resources once and hands
 * every stack policy that one array, through @pulumi/policy 1.21.0's own handler. What that relies on in the
 * SDK is pinned here, so that an upgrade that changes it fails these tests instead of the pack.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import type * as Http2 from "http2";
import { Policies, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { PACK_NAME, POLICIES } from "../../policies/lib";
import { deserializeLazily, RECEIVE_WINDOW, receiveInLargeWindows, sharedAnalyzeStack, sharingStackResources, withPackServer } from "../../policies/serve";
import { AnalyzeStackRequestView, StructView } from "../../policies/wire";
import { AnalyzerMessages } from "../../tools/plan/protobuf";
import { buildPair } from "../support/fixtures";
import { registered, Registration, resetRecords } from "../support/mocks";
import { oneWay, minimalStatements, changeStatement, withoutAction, Built } from "./corpus";

const http2 = require("http2") as typeof Http2;
const sdkDir = path.dirname(require.resolve("@pulumi/policy/server"));
const sdkServer = require("@pulumi/policy/server");
const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const { getSpecialProxyTarget } = require("@pulumi/policy/proxy") as { getSpecialProxyTarget: string };
/** What a proxied value holds (JSON.stringify of the proxy would throw on an unknown value). */
const unproxied = (props: unknown) => JSON.parse(JSON.stringify((props as Record<string, unknown>)[getSpecialProxyTarget]));

type Handler = (call: { request: unknown }, callback: (err: unknown, response?: any) => void) => void;

/** The diagnostics of an AnalyzeResponse, as plain objects in the order given. */
function answer(handler: Handler, request: unknown): Promise<unknown[]> {
    return new Promise((resolve, reject) =>
        handler({ request }, (err, response) => (err ? reject(err) : resolve(response.getDiagnosticsList().map((d: any) => d.toObject())))),
    );
}

/** The AnalyzeStackRequest the engine would send for `records`. */
function stackRequestBytes(records: readonly Registration[]): Buffer {
    const messages = new AnalyzerMessages();
    records.forEach((r) => messages.add(r));
    return messages.stackRequest();
}

/** The request decoded as the SDK's server decodes it by default (its generated class). */
const stackRequest = (records: readonly Registration[]): unknown => analyzerProto.AnalyzeStackRequest.deserializeBinary(stackRequestBytes(records));

const fromCorpus = (built: Built): Registration[] => built.records.map((r) => ({ ...r, custom: true, outputs: r.outputs ?? r.inputs }));

describe("the pack's AnalyzeStack (policies/serve.ts) over @pulumi/policy's server", () => {
    let stack: Registration[];
    before(async () => {
        deserializeLazily(); // as the served pack does (withPackServer)
        resetRecords();
        await buildPair("served");
        // A CrrPair, and one-way replications that fail in several ways, some during a preview.
        stack = [
            ...registered(),
            ...fromCorpus(oneWay("s1", { kms: true, rule: (a) => ({ sourceSelectionCriteria: undefined, destination: { bucket: a.destination } }) })),
            ...fromCorpus(oneWay("s2", { statements: (a) => changeStatement(minimalStatements(a), "Replicate", withoutAction("s3:ReplicateTags")) })),
            ...fromCorpus(oneWay("s3", { crossAccount: {}, destinationVersioning: "Suspended" })),
            ...fromCorpus(oneWay("s4", { kms: true, previewPolicy: true })),
            ...fromCorpus(oneWay("s5", { inline: true, externalRole: true })),
        ];
    });

    it("is served by @pulumi/policy 1.21.0, whose internals it was written against", () => {
        const { version } = JSON.parse(fs.readFileSync(path.join(sdkDir, "package.json"), "utf8"));
        expect(version, "upgrading @pulumi/policy: check policies/serve.ts against its server.js, then update this pin").to.equal("v1.21.0");
    });

    it("PolicyPack starts the server through the module's exported serve, which registers AnalyzeStack with addService and builds resources through the modules' exports", () => {
        const policySource = fs.readFileSync(path.join(sdkDir, "policy.js"), "utf8");
        const serverSource = fs.readFileSync(path.join(sdkDir, "server.js"), "utf8");
        expect(policySource).to.contain("server_1.serve(this.name, version, enforcementLevel, args, initialConfig)");
        expect(serverSource).to.match(/server\.addService\(analyzerrpc\.AnalyzerService, \{[^}]*analyzeStack: makeAnalyzeStackRpcFun\(/);
        // The SDK's handler reads the resources from the request once, through getResourcesList().
        expect(serverSource.match(/getResourcesList\(\)/g)).to.have.length(1);
        // It deserializes and proxies each resource's properties, and its provider's, through the modules'
        // exports (which deserializeLazily replaces), not through local bindings.
        expect(serverSource).to.contain("const deserd = deserialize_1.deserializeProperties(r.getProperties(), false);\n                            const props = proxy_1.unknownCheckingProxy(deserd);");
        expect(serverSource).to.contain("const deserd = deserialize_1.deserializeProperties(prov.getProperties(), false);\n    const props = proxy_1.unknownCheckingProxy(deserd);");
    });

    it("answers exactly as the SDK's own handler does, diagnostic for diagnostic", async () => {
        const bytes = stackRequestBytes(stack);
        const sdk = sdkServer.makeAnalyzeStackRpcFun(PACK_NAME, "0.1.0", "advisory", POLICIES);
        const shared = sharedAnalyzeStack(sdkServer.makeAnalyzeStackRpcFun(PACK_NAME, "0.1.0", "advisory", sharingStackResources(POLICIES)), PACK_NAME, "0.1.0");
        const expected = await answer(sdk, analyzerProto.AnalyzeStackRequest.deserializeBinary(bytes));
        expect(expected.length, "the stack fails several policies").to.be.greaterThan(10);
        // Over the request as the pack's server reads it (wire.ts), and as the generated class decodes it.
        expect(await answer(shared, new AnalyzeStackRequestView(bytes))).to.deep.equal(expected);
        expect(await answer(shared, analyzerProto.AnalyzeStackRequest.deserializeBinary(bytes))).to.deep.equal(expected);
    });

    it("hands every stack policy the same resources, as the SDK builds them", async () => {
        const seen: PolicyResource[][] = [];
        const keep = (name: string): StackValidationPolicy => ({
            name,
            description: name,
            enforcementLevel: "advisory",
            validateStack: (args) => {
                seen.push(args.resources);
            },
        });
        const policies: Policies = [keep("first"), keep("second")];
        const bytes = stackRequestBytes(stack);
        await answer(sdkServer.makeAnalyzeStackRpcFun(PACK_NAME, "0.1.0", "advisory", policies), analyzerProto.AnalyzeStackRequest.deserializeBinary(bytes));
        const [sdkFirst, sdkSecond] = seen.splice(0);
        expect(sdkFirst, "the SDK builds afresh for each policy").not.to.equal(sdkSecond);

        const shared = sharedAnalyzeStack(sdkServer.makeAnalyzeStackRpcFun(PACK_NAME, "0.1.0", "advisory", sharingStackResources(policies)), PACK_NAME, "0.1.0");
        await answer(shared, new AnalyzeStackRequestView(bytes));
        const [first, second] = seen;
        expect(first).to.equal(second);
        expect(first.map((r) => r.urn)).to.deep.equal(sdkFirst.map((r) => r.urn));
        const plain = (r: PolicyResource) => ({
            type: r.type,
            name: r.name,
            props: unproxied(r.props),
            opts: r.opts,
            parent: r.parent?.urn,
            provider: r.provider && { ...r.provider, props: unproxied(r.provider.props) },
            dependencies: r.dependencies.map((d) => d.urn),
            propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map((d) => d.urn)])),
        });
        expect(first.map(plain)).to.deep.equal(sdkFirst.map(plain));
    });

    it("outside a served AnalyzeStack, a stack policy reads its arguments' own resources", async () => {
        let given: PolicyResource[] | undefined;
        const [policy] = sharingStackResources([
            { name: "p", description: "p", enforcementLevel: "advisory", validateStack: (args) => void (given = args.resources) },
        ]) as StackValidationPolicy[];
        const resources: PolicyResource[] = [];
        await policy.validateStack({ resources, getConfig: () => ({}) as any, stackTags: new Map(), notApplicable: () => undefined as never } as any, () => undefined);
        expect(given).to.equal(resources);
    });

    it("replaces the AnalyzeStack handler of a server set up within withPackServer, and only there", async () => {
        const seen: PolicyResource[][] = [];
        const policies = sharingStackResources(
            ["first", "second"].map((name): StackValidationPolicy => ({ name, description: name, enforcementLevel: "advisory", validateStack: (args) => void seen.push(args.resources) })),
        );
        const handlers = (p: Policies) => ({
            analyzeStack: sdkServer.makeAnalyzeStackRpcFun(PACK_NAME, "0.1.0", "advisory", p),
            analyze: sdkServer.makeAnalyzeRpcFun(PACK_NAME, "0.1.0", "advisory", p),
        });
        const serve = () => {
            const server = new grpc.Server();
            server.addService(analyzerGrpc.AnalyzerService, handlers(policies) as any);
            return server;
        };
        const request = stackRequest(stack);
        const call = async (server: grpc.Server) => {
            const port = await new Promise<number>((resolve, reject) =>
                server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
            );
            const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
            try {
                await new Promise((resolve, reject) =>
                    client.analyzeStack(request, (err: unknown, r: unknown) => (err ? reject(err) : resolve(r))),
                );
            } finally {
                client.close();
                server.forceShutdown();
            }
        };
        await call(withPackServer(PACK_NAME, "0.1.0", serve));
        expect(seen).to.have.length(2);
        expect(seen[0]).to.equal(seen[1]);
        expect(seen[0]).to.have.length(stack.length);

        seen.splice(0);
        await call(serve());
        expect(seen[0], "addService is restored afterwards").not.to.equal(seen[1]);
    });
    it("has the process's HTTP/2 servers receive in windows of 64 MiB, per stream and per connection", async () => {
        receiveInLargeWindows();
        receiveInLargeWindows(); // once is enough: twice changes nothing
        const server = http2.createServer();
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const client = http2.connect(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
        try {
            // grpc-js makes its server's HTTP/2 server with http2.createServer, looked up when it binds.
            const grpcServer = fs.readFileSync(require.resolve("@grpc/grpc-js/build/src/server.js", { paths: [sdkDir] }), "utf8");
            expect(grpcServer).to.contain("http2Server = http2.createServer(this.commonServerOptions);");
            await new Promise((resolve) => client.once("remoteSettings", resolve));
            expect(client.remoteSettings.initialWindowSize).to.equal(RECEIVE_WINDOW);
            // The connection's window grows by a WINDOW_UPDATE after the settings.
            for (let i = 0; i < 50 && client.state.remoteWindowSize! < RECEIVE_WINDOW; i++) {
                await new Promise((resolve) => setTimeout(resolve, 10));
            }
            expect(client.state.remoteWindowSize).to.equal(RECEIVE_WINDOW);
        } finally {
            client.close();
            server.close();
        }
    });
    it("deserializes a property Struct read by wire.ts as the SDK does, assets, archives and secrets included", async () => {
        deserializeLazily();
        const rpc = require("@pulumi/pulumi/runtime/rpc");
        const sdkDeserialize = require("@pulumi/policy/deserialize");
        const sdkProxy = require("@pulumi/policy/proxy");
        const signed = (sig: string, rest: object) => ({ [rpc.specialSigKey]: sig, ...rest });
        const cases: Record<string, unknown>[] = [
            { plain: "x", n: 1, list: [{ a: null }, true], nested: { deeper: { k: "v" } } },
            { password: signed(rpc.specialSecretSig, { value: "hunter2" }), list: [signed(rpc.specialSecretSig, { value: { inner: 1 } })] },
            { code: signed(rpc.specialAssetSig, { text: "print(1)" }), file: signed(rpc.specialAssetSig, { path: "/tmp/f" }) },
            { bundle: signed(rpc.specialArchiveSig, { assets: { a: signed(rpc.specialAssetSig, { text: "a" }) } }), remote: signed(rpc.specialArchiveSig, { uri: "https://x" }) },
        ];
        for (const value of cases) {
            const struct = require("google-protobuf/google/protobuf/struct_pb").Struct.fromJavaScript(value);
            const expected = sdkDeserialize.deserializeProperties(struct, false);
            const view = new StructView(Buffer.from(struct.serializeBinary()), 0, struct.serializeBinary().length);
            const props = sdkProxy.unknownCheckingProxy(sdkDeserialize.deserializeProperties(view, false));
            const actual = props[sdkProxy.getSpecialProxyTarget];
            // Plain values (a secret is unwrapped to one) compare as they are; an asset or archive by its class
            // and what it holds (its fields are promises).
            const shape = async (v: unknown): Promise<unknown> =>
                v instanceof Promise
                    ? ["promise", await shape(await v)]
                    : v !== null && typeof v === "object"
                      ? [v.constructor?.name, await Promise.all(Object.entries(v as object).map(async ([k, x]) => [k, await shape(x)]))]
                      : v;
            expect(await shape(actual)).to.deep.equal(await shape(expected));
        }
    });
});
