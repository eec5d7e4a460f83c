import { expect } from "chai";
import { readSettings, unknownConfigKeys } from "../program/settings";
import { find, PROJECT, resetRecords, settle, withoutStackCapture } from "./support/mocks";
import { errorOf, getter } from "./support/program";
import * as pulumi from "@pulumi/pulumi";


const ENTRY = {
    bucket: "acme-orders-data",
    policyStatements: [{ Sid: "AnalyticsRead", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/analytics" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::acme-orders-data/*" }],
    lifecycleRules: [{ id: "expire-tmp", status: "Enabled", filter: { prefix: "tmp/" }, expiration: { days: 3 } }],
    notifications: { queues: [{ queueArn: "arn:aws:sqs:us-east-2:123456789012:orders-ingest", events: ["s3:ObjectCreated:*"] }] },
};

describe("stack configuration s3-crr:existingBuckets", () => {
    it("reads one entry per region, with what the bucket carries", () => {
        const settings = readSettings(getter({ namingPrefix: "acme-data", existingBuckets: JSON.stringify({ "us-east-2": ENTRY }) }), PROJECT);
        expect(settings.existingBuckets).to.deep.equal({ "us-east-2": ENTRY });
    });

    it("is a key of the program: not reported as unknown", () => {
        expect(unknownConfigKeys({ "s3-crr:namingPrefix": "acme-data", "s3-crr:existingBuckets": "{}" }, PROJECT)).to.deep.equal([]);
    });

    it("refuses a region that is not one of the stack's, naming the key", () => {
        const error = errorOf(() => readSettings(getter({ namingPrefix: "acme-data", existingBuckets: JSON.stringify({ "eu-west-1": ENTRY }) }), PROJECT));
        expect(error.message).to.contain("s3-crr:existingBuckets.eu-west-1: 'eu-west-1' is not one of the stack's regions (us-east-2, us-west-2)");
    });

    it("names every bad field: the bucket name, a component Sid, a rule id, a notification target, an unknown field", () => {
        const bad = {
            "us-east-2": {
                bucket: "Orders",
                policyStatements: [{ Sid: "DenyInsecureTransport", Effect: "Deny" }],
                lifecycleRules: [{ id: "expire-noncurrent-versions", status: "Enabled" }],
                notifications: { queues: [{ arn: "x" }] },
                cors: [],
            },
        };
        const message = errorOf(() => readSettings(getter({ namingPrefix: "acme-data", existingBuckets: JSON.stringify(bad) }), PROJECT)).message;
        expect(message).to.contain("s3-crr:existingBuckets.us-east-2.cors is not a field of an existing bucket's entry (fields: bucket, policyStatements, lifecycleRules, notifications)");
        expect(message).to.contain("s3-crr:existingBuckets.us-east-2.bucket 'Orders' is not an S3 bucket name");
        expect(message).to.contain("s3-crr:existingBuckets.us-east-2.policyStatements[0].Sid is 'DenyInsecureTransport', a Sid of the component's own statements");
        expect(message).to.contain("s3-crr:existingBuckets.us-east-2.lifecycleRules[0].id is 'expire-noncurrent-versions', the id of the component's own rule");
        expect(message).to.contain("s3-crr:existingBuckets.us-east-2.notifications.queues must be a list of { queueArn, events: [...], filterPrefix?, filterSuffix? }");
    });

    it("refuses a mesh region leaving with 'empty' whose bucket is adopted", () => {
        const message = errorOf(() =>
            readSettings(getter({ namingPrefix: "acme-data", regions: '["us-east-2=empty","us-west-2","eu-west-1"]', existingBuckets: JSON.stringify({ "us-east-2": { bucket: "acme-orders-data" } }) }), PROJECT),
        ).message;
        expect(message).to.contain("s3-crr:regions marks us-east-2=empty, but s3-crr:existingBuckets.us-east-2 is an adopted bucket, which the stack never deletes: use us-east-2=retain");
    });

    it("gives the program's side the bucket, its statements, rules and targets", async () => {
        resetRecords();
        pulumi.runtime.setAllConfig({ "s3-crr:namingPrefix": "acme-data", "s3-crr:existingBuckets": JSON.stringify({ "us-east-2": ENTRY }) }, []);
        const entry = require.resolve("../index");
        delete require.cache[entry];
        await withoutStackCapture(async () => {
            require(entry);
            await settle();
        });
        const bucket = find("aws:s3/bucket:Bucket", "crr-primary-bucket");
        expect(bucket.read).to.equal(true);
        expect(bucket.outputs.bucket).to.equal("acme-orders-data");
        expect(JSON.parse(find("aws:s3/bucketPolicy:BucketPolicy", "crr-primary-bucket-policy").inputs.policy).Statement[1]).to.deep.equal(ENTRY.policyStatements[0]);
        expect(find("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "crr-primary-bucket-lifecycle").inputs.rules[1]).to.deep.equal(ENTRY.lifecycleRules[0]);
        expect(find("aws:s3/bucketNotification:BucketNotification", "crr-primary-bucket-notification").inputs.queues).to.deep.equal(ENTRY.notifications.queues);
    });
});
