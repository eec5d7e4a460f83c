/**
 * The Analyzer messages the plan sends about registered resources, built with the SDK's generated classes
 * (`@pulumi/pulumi/proto/analyzer_pb`): an `AnalyzeRequest` of a resource's inputs as it registers, and its
 * `AnalyzerResource` entry of the `AnalyzeStackRequest` (outputs, parent, dependencies, property
 * dependencies). Each carries the resource's provider as the engine sends it: the provider's type, name,
 * URN and inputs. Providers register before the resources they serve, so they are always known here first.
 */
import type { Registration } from "../mocking";

const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");
const structProto = require("google-protobuf/google/protobuf/struct_pb");

/** `value` as a `google.protobuf.Struct` of its JSON form (a Struct refuses `undefined`). */
export function struct(value: unknown): any {
    return structProto.Struct.fromJavaScript(JSON.parse(JSON.stringify(value ?? {})));
}

/** What Analyze and AnalyzeStack both carry about a resource: identity, properties, options, provider. */
function describe<T>(message: T & Record<string, (v: any) => void>, r: Registration, properties: Record<string, unknown>, provider: unknown): T {
    message.setType(r.type);
    message.setName(r.name);
    message.setUrn(r.urn);
    message.setProperties(struct(properties));
    const options = new analyzerProto.AnalyzerResourceOptions();
    options.setParent(r.parent);
    message.setOptions(options);
    if (provider !== undefined) {
        message.setProvider(provider);
    }
    return message;
}

/** One run's messages: `add` each registration in the order it registered, then `stackRequest`. */
export class AnalyzerMessages {
    private readonly registered = new Map<string, Registration>();
    /** Each provider's `AnalyzerProviderResource`, built once: every resource of a region carries it. */
    private readonly providers = new Map<string, unknown>();
    private readonly stackResources: unknown[] = [];

    /** Records `r` and builds its `AnalyzeStackRequest` entry; returns its `AnalyzeRequest`. */
    add(r: Registration): any {
        this.registered.set(r.urn, r);
        const provider = this.providerOf(r);
        const entry = describe(new analyzerProto.AnalyzerResource(), r, r.outputs, provider);
        entry.setParent(r.parent);
        entry.setDependenciesList([...r.dependencies]);
        const byProperty = entry.getPropertydependenciesMap();
        for (const [key, urns] of Object.entries(r.propertyDependencies)) {
            const dependencies = new analyzerProto.AnalyzerPropertyDependencies();
            dependencies.setUrnsList([...urns]);
            byProperty.set(key, dependencies);
        }
        this.stackResources.push(entry);
        return describe(new analyzerProto.AnalyzeRequest(), r, r.inputs, provider);
    }

    /** The `AnalyzeStackRequest` over every resource added. */
    stackRequest(): any {
        const request = new analyzerProto.AnalyzeStackRequest();
        request.setResourcesList(this.stackResources);
        return request;
    }

    /** The `AnalyzerProviderResource` of `r`'s provider (`<urn>::<id>`), if it registered. */
    private providerOf(r: Registration): unknown {
        const urn = r.provider.split("::").slice(0, -1).join("::");
        const p = this.registered.get(urn);
        if (p === undefined) {
            return undefined;
        }
        let provider = this.providers.get(urn);
        if (provider === undefined) {
            const message = new analyzerProto.AnalyzerProviderResource();
            message.setType(p.type);
            message.setName(p.name);
            message.setUrn(p.urn);
            message.setProperties(struct(p.inputs));
            provider = message;
            this.providers.set(urn, provider);
        }
        return provider;
    }
}
