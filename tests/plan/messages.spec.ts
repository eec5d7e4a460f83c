/**
 * The Analyzer messages of the plan (tools/plan/messages.ts), built with the SDK's generated classes: what
 * the pack receives about each resource, read back through those classes after a round trip through bytes.
 */
import { expect } from "chai";
import { AnalyzerMessages } from "../../tools/plan/messages";
import { Registration } from "../support/mocks";

const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");

const STACK = "urn:pulumi:dev::s3-crr";
const PROVIDER_URN = `${STACK}::pulumi:providers:aws::primary`;
const BUCKET_URN = `${STACK}::s3-crr:index:CrrPair$aws:s3/bucket:Bucket::crr-primary-bucket`;
const VERSIONING_URN = `${STACK}::s3-crr:index:CrrPair$aws:s3/bucketVersioning:BucketVersioning::crr-primary-versioning`;

const registration = (r: Partial<Registration> & Pick<Registration, "type" | "name" | "urn">): Registration => ({
    custom: true,
    parent: "",
    provider: "",
    dependencies: [],
    propertyDependencies: {},
    inputs: {},
    outputs: {},
    ...r,
});

const provider = registration({ type: "pulumi:providers:aws", name: "primary", urn: PROVIDER_URN, inputs: { region: "us-east-2", skipCredentialsValidation: "true" } });
const bucket = registration({
    type: "aws:s3/bucket:Bucket",
    name: "crr-primary-bucket",
    urn: BUCKET_URN,
    parent: `${STACK}::s3-crr:index:CrrPair::crr`,
    provider: `${PROVIDER_URN}::primary-0`,
    inputs: { bucket: "crr-dev-crrlab-us-east-2", forceDestroy: false, tags: undefined },
    outputs: { bucket: "crr-dev-crrlab-us-east-2", arn: "arn:aws:s3:::crr-dev-crrlab-us-east-2" },
});
const versioning = registration({
    type: "aws:s3/bucketVersioning:BucketVersioning",
    name: "crr-primary-versioning",
    urn: VERSIONING_URN,
    provider: `${PROVIDER_URN}::primary-0`,
    dependencies: [BUCKET_URN],
    propertyDependencies: { bucket: [BUCKET_URN], versioningConfiguration: [] },
    inputs: { bucket: "crr-dev-crrlab-us-east-2", versioningConfiguration: { status: "Enabled" } },
    outputs: { bucket: "crr-dev-crrlab-us-east-2", versioningConfiguration: { status: "Enabled" } },
});

/** A message as the pack decodes it: serialized, then read by the generated class. */
const roundTrip = (message: any, type: any) => type.deserializeBinary(message.serializeBinary());

describe("the plan's Analyzer messages (tools/plan/messages.ts)", () => {
    it("sends a resource's inputs to Analyze, with its parent and its provider's type, name, URN and inputs", () => {
        const messages = new AnalyzerMessages();
        messages.add(provider);
        const request = roundTrip(messages.add(bucket), analyzerProto.AnalyzeRequest);
        expect(request.getType()).to.equal("aws:s3/bucket:Bucket");
        expect(request.getName()).to.equal("crr-primary-bucket");
        expect(request.getUrn()).to.equal(BUCKET_URN);
        // An undefined input is left out, as JSON leaves it out.
        expect(request.getProperties().toJavaScript()).to.deep.equal({ bucket: "crr-dev-crrlab-us-east-2", forceDestroy: false });
        expect(request.getOptions().getParent()).to.equal(`${STACK}::s3-crr:index:CrrPair::crr`);
        const p = request.getProvider();
        expect([p.getType(), p.getName(), p.getUrn()]).to.deep.equal(["pulumi:providers:aws", "primary", PROVIDER_URN]);
        expect(p.getProperties().toJavaScript()).to.deep.equal({ region: "us-east-2", skipCredentialsValidation: "true" });
    });

    it("sends AnalyzeStack every resource's outputs in registration order, with dependencies and property dependencies", () => {
        const messages = new AnalyzerMessages();
        [provider, bucket, versioning].forEach((r) => messages.add(r));
        const resources = roundTrip(messages.stackRequest(), analyzerProto.AnalyzeStackRequest).getResourcesList();
        expect(resources.map((r: any) => r.getName())).to.deep.equal(["primary", "crr-primary-bucket", "crr-primary-versioning"]);
        const [, b, v] = resources;
        expect(b.getProperties().toJavaScript()).to.deep.equal({ bucket: "crr-dev-crrlab-us-east-2", arn: "arn:aws:s3:::crr-dev-crrlab-us-east-2" });
        expect(b.getParent()).to.equal(`${STACK}::s3-crr:index:CrrPair::crr`);
        expect(v.getDependenciesList()).to.deep.equal([BUCKET_URN]);
        const byProperty: Record<string, string[]> = {};
        v.getPropertydependenciesMap().forEach((deps: any, key: string) => (byProperty[key] = deps.getUrnsList()));
        expect(byProperty).to.deep.equal({ bucket: [BUCKET_URN], versioningConfiguration: [] });
        expect(v.getProvider().getUrn()).to.equal(PROVIDER_URN);
    });

    it("sends no provider for a resource whose provider did not register (a default provider)", () => {
        const messages = new AnalyzerMessages();
        const request = roundTrip(messages.add({ ...bucket, provider: `${STACK}::pulumi:providers:aws::default::default-id` }), analyzerProto.AnalyzeRequest);
        expect(request.hasProvider()).to.equal(false);
    });
});
