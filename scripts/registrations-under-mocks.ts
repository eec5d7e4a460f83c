/**
 * The Pulumi runtime's own cost of registrations under the test mocks, with no component code:
 * - `N` (argv[2], default 3200, as many as 50 CrrPairs): N `aws.s3.BucketVersioning` resources, a resource
 *   with few inputs and outputs, on one provider;
 * - `--replay FILE`: the registrations scripts/pairs-under-mocks.ts recorded, each registered again as a
 *   plain resource of its type with its recorded inputs, parent and provider (no Outputs between them,
 *   no component logic): the runtime's cost of exactly the registrations the pairs made.
 * Waits until all have finished; prints "<N> registrations of <what>, <ms> ms in-process".
 * scripts/bench.ts runs it beside pairs-under-mocks.ts: what the pairs cost beyond it is the component's.
 */
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { registered, settle, withoutStackCapture } from "../tests/support/mocks";
import * as aws from "../components/model/aws";
import { plural } from "../tools/text";

interface Recorded {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly parent: string;
    readonly provider: string;
    readonly custom: boolean;
    readonly inputs: Record<string, unknown>;
}

/** A provider of any package, and a resource of any type: the SDK's classes are abstract. */
class AnyProvider extends pulumi.ProviderResource {}
class AnyResource extends pulumi.CustomResource {}

/** Registers `recorded` again in order, each with its recorded parent and provider. */
function replay(recorded: readonly Recorded[]): void {
    const byUrn = new Map<string, pulumi.Resource>();
    for (const r of recorded) {
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        const provider = r.provider ? (byUrn.get(r.provider.split("::").slice(0, -1).join("::")) as pulumi.ProviderResource | undefined) : undefined;
        let resource: pulumi.Resource;
        if (r.type.startsWith("pulumi:providers:")) {
            resource = new AnyProvider(r.type.slice("pulumi:providers:".length), r.name, r.inputs as pulumi.Inputs, { parent });
        } else if (!r.custom) {
            resource = new pulumi.ComponentResource(r.type, r.name, {}, { parent });
        } else {
            resource = new AnyResource(r.type, r.name, r.inputs as pulumi.Inputs, { parent, provider });
        }
        byUrn.set(r.urn, resource);
    }
}

async function main(argv: readonly string[]): Promise<void> {
    const replaying = argv[0] === "--replay";
    const recorded: Recorded[] = replaying ? JSON.parse(fs.readFileSync(argv[1], "utf8")) : [];
    const count = replaying ? recorded.length : Number(argv[0] ?? "3200");
    const start = process.hrtime.bigint();
    await withoutStackCapture(async () => {
        if (replaying) {
            replay(recorded);
        } else {
            const provider = new aws.Provider("bare", { region: "us-east-2" });
            for (let i = 0; i < count; i++) {
                new aws.s3.BucketVersioning(`v${i}`, { bucket: `bucket-${i}`, versioningConfiguration: { status: "Enabled" } }, { provider });
            }
        }
        await settle();
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const what = replaying ? "the recorded resources, replayed" : "BucketVersioning";
    const n = replaying ? registered().length : registered().filter((r) => r.type === "aws:s3/bucketVersioning:BucketVersioning").length;
    console.log(`${plural(n, "registration")} of ${what}, ${ms.toFixed(0)} ms in-process`);
}

main(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
});
