/**
 * The Pulumi runtime's own cost per registration under the test mocks: registers N (argv[2], default
 * 3200, as many as 50 CrrPairs) `aws.s3.BucketVersioning` resources, a resource with few inputs and
 * outputs, on one provider, and waits until all have finished; prints
 * "<N> registrations of BucketVersioning, <ms> ms in-process". scripts/bench.ts runs it beside
 * pairs-under-mocks.ts: what 50 pairs cost beyond this is the component's own work.
 */
import { registered, settle, withoutStackCapture } from "../tests/support/mocks";
import * as aws from "../components/model/aws";
import { plural } from "../tools/text";

async function main(count: number): Promise<void> {
    const start = process.hrtime.bigint();
    await withoutStackCapture(async () => {
        const provider = new aws.Provider("bare", { region: "us-east-2" });
        for (let i = 0; i < count; i++) {
            new aws.s3.BucketVersioning(`v${i}`, { bucket: `bucket-${i}`, versioningConfiguration: { status: "Enabled" } }, { provider });
        }
        await settle();
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const n = registered().filter((r) => r.type === "aws:s3/bucketVersioning:BucketVersioning").length;
    console.log(`${plural(n, "registration")} of BucketVersioning, ${ms.toFixed(0)} ms in-process`);
}

main(Number(process.argv[2] ?? "3200")).catch((e) => {
    console.error(e);
    process.exit(1);
});
