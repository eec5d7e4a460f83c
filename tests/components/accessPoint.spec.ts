import { expect } from "chai";
import * as aws from "../../components/model/aws";
import { CrrMesh, crrMeshArgProblems, crrPairArgProblems } from "../../components";
import { accessPointPolicy, initialRoutes } from "../../components/documents/accessPoint";
import { MRAP_NAME_PATTERN } from "../../components/model/validation";
import { readSettings } from "../../program/settings";
import { buildPair, PREFIX } from "../support/fixtures";
import { ACCOUNT_ID, dependencyNames, find, ofType, providerOf, resetRecords, settle, valueOf, withoutStackCapture } from "../support/mocks";

const T = {
    mrap: "aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint",
    policy: "aws:s3control/multiRegionAccessPointPolicy:MultiRegionAccessPointPolicy",
    routes: "aws:s3control/multiRegionAccessPointRoutes:MultiRegionAccessPointRoutes",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
};
const OTHER_ACCOUNT = "444455556666";
const EAST_BUCKET = `${PREFIX}-crrlab-us-east-2`;
const WEST_BUCKET = `${PREFIX}-crrlab-us-west-2`;
/** A secondary side in us-west-2 of another account (its provider assumes a role there). */
const otherAccountSecondary = (name: string) => ({
    provider: new aws.Provider(`${name}-west`, { region: "us-west-2", assumeRoles: [{ roleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/deployer` }] }),
    region: "us-west-2",
});

describe("Multi-Region Access Point (option accessPoint)", () => {
    it("is off by default: a default pair registers no access point", async () => {
        const built = await buildPair("na");
        expect([T.mrap, T.policy, T.routes].flatMap(ofType)).to.deep.equal([]);
        expect(built.pair.accessPoint).to.equal(undefined);
    });

    describe("accessPoint: true on a pair", () => {
        let outputs: Record<string, string>;
        before(async () => {
            const built = await buildPair("ap", { accessPoint: true });
            const ap = built.pair.accessPoint!;
            outputs = { name: await valueOf(ap.name), alias: await valueOf(ap.alias), arn: await valueOf(ap.arn), endpoint: await valueOf(ap.endpoint) };
        });

        it("spans both buckets, named as the prefix, public access blocked, with the primary's provider, after both bucket policies", () => {
            const mrap = find(T.mrap, "ap-access-point");
            expect(mrap.inputs.details).to.deep.equal({
                name: PREFIX,
                regions: [{ bucket: EAST_BUCKET }, { bucket: WEST_BUCKET }],
                publicAccessBlock: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            });
            expect(providerOf(mrap).name).to.equal("ap-aws-primary");
            expect(dependencyNames(mrap)).to.include.members([`${T.bucketPolicy}::ap-primary-bucket-policy`, `${T.bucketPolicy}::ap-secondary-bucket-policy`]);
        });

        it("exposes its name, alias, ARN and global endpoint", () => {
            expect(outputs.name).to.equal(PREFIX);
            expect(outputs.alias).to.match(/^[a-z0-9]{13}\.mrap$/);
            expect(outputs.arn).to.equal(`arn:aws:s3::${ACCOUNT_ID}:accesspoint/${outputs.alias}`);
            expect(outputs.endpoint).to.equal(`${outputs.alias}.accesspoint.s3-global.amazonaws.com`);
        });

        it("lets the owning account's principals read and write objects through it, by IAM", () => {
            const policy = find(T.policy, "ap-access-point-policy");
            expect(policy.inputs.details.name).to.equal(PREFIX);
            expect(JSON.parse(policy.inputs.details.policy)).to.deep.equal({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "OwningAccountThroughIam",
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
                        Action: ["s3:GetObject", "s3:PutObject"],
                        Resource: `${outputs.arn}/object/*`,
                    },
                ],
            });
        });

        it("starts active/passive, the primary active, and ignores later changes to the routes so a deploy never undoes a failover", () => {
            const routes = find(T.routes, "ap-access-point-routes");
            expect(routes.inputs.mrap).to.equal(outputs.arn);
            expect(routes.inputs.routes).to.deep.equal([
                { bucket: EAST_BUCKET, region: "us-east-2", trafficDialPercentage: 100 },
                { bucket: WEST_BUCKET, region: "us-west-2", trafficDialPercentage: 0 },
            ]);
            expect(routes.ignoreChanges).to.deep.equal(["routes"]);
            // In us-west-2, one of the five Regions serving the route APIs, not in the primary's us-east-2
            // (where the provider's calls would be refused), on the primary's provider.
            expect(routes.inputs.region).to.equal("us-west-2");
            expect(providerOf(routes).name).to.equal("ap-aws-primary");
            // Only the routes resource ignores anything: the access point itself and its policy stay managed.
            expect(find(T.mrap, "ap-access-point").ignoreChanges).to.deep.equal([]);
            expect(find(T.policy, "ap-access-point-policy").ignoreChanges).to.deep.equal([]);
        });
    });

    it("dials every side to 100 with routing activeActive", async () => {
        await buildPair("aa", { accessPoint: { routing: "activeActive" } });
        expect(find(T.routes, "aa-access-point-routes").inputs.routes.map((r: { trafficDialPercentage: number }) => r.trafficDialPercentage)).to.deep.equal([100, 100]);
    });

    it("names the account of a bucket in another account", async () => {
        await buildPair("ax", {
            accessPoint: true,
            secondary: otherAccountSecondary("ax"),
        });
        expect(find(T.mrap, "ax-access-point").inputs.details.regions).to.deep.equal([{ bucket: EAST_BUCKET }, { bucket: WEST_BUCKET, bucketAccountId: OTHER_ACCOUNT }]);
    });

    it("lets the access point into a bucket of another account through that bucket's policy; the owner's bucket needs nothing", async () => {
        await buildPair("ay", {
            accessPoint: true,
            secondary: otherAccountSecondary("ay"),
        });
        const statements = (side: string) => JSON.parse(find(T.bucketPolicy, `ay-${side}-bucket-policy`).inputs.policy).Statement as { Sid: string }[];
        expect(statements("secondary").find((st) => st.Sid === "MultiRegionAccessPointOfOtherAccount")).to.deep.equal({
            Sid: "MultiRegionAccessPointOfOtherAccount",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
            Action: ["s3:GetObject", "s3:PutObject"],
            Resource: `arn:aws:s3:::${WEST_BUCKET}/*`,
            Condition: { StringEquals: { "s3:DataAccessPointAccount": ACCOUNT_ID } },
        });
        expect(statements("primary").map((st) => st.Sid)).not.to.include("MultiRegionAccessPointOfOtherAccount");
        // The policy is in place before the access point reaches the bucket.
        expect(dependencyNames(find(T.mrap, "ay-access-point"))).to.include(`${T.bucketPolicy}::ay-secondary-bucket-policy`);
        // Without the access point, the other account's bucket grants nothing of the kind.
        await buildPair("az", {
            secondary: otherAccountSecondary("az"),
        });
        expect(JSON.parse(find(T.bucketPolicy, "az-secondary-bucket-policy").inputs.policy).Statement.map((st: { Sid: string }) => st.Sid)).not.to.include(
            "MultiRegionAccessPointOfOtherAccount",
        );
    });

    it("is protected with protectData (a change of its buckets would replace it, with a new alias), and not without", async () => {
        await buildPair("apd", { accessPoint: true, protectData: true });
        expect(find(T.mrap, "apd-access-point").protect).to.equal(true);
        // Its policy and routes hold no data: replacing them changes no alias.
        expect([find(T.policy, "apd-access-point-policy").protect, find(T.routes, "apd-access-point-routes").protect]).to.deep.equal([false, false]);
        await buildPair("apn", { accessPoint: true });
        expect(find(T.mrap, "apn-access-point").protect).to.equal(false);
    });

    it("spans every side of a mesh and exposes its outputs on the mesh", async () => {
        resetRecords();
        const mesh = await withoutStackCapture(async () => {
            const m = new CrrMesh("mx", {
                namingPrefix: PREFIX,
                accessPoint: true,
                sides: ["us-east-2", "us-west-2", "eu-west-1"].map((region) => ({ provider: new aws.Provider(`mx-${region}`, { region }), region })),
            });
            await settle();
            return m;
        });
        expect(find(T.routes, "mx-access-point-routes").inputs.routes.map((r: { region: string; trafficDialPercentage: number }) => [r.region, r.trafficDialPercentage])).to.deep.equal([
            ["us-east-2", 100],
            ["us-west-2", 0],
            ["eu-west-1", 0],
        ]);
        expect(await valueOf(mesh.accessPoint!.name)).to.equal(PREFIX);
    });

    it("keeps the routes resource's region whatever the sides' order, and where it is pinned", async () => {
        const regionOfRoutes = async (name: string, sides: string[], accessPoint: unknown) => {
            resetRecords();
            await withoutStackCapture(async () => {
                new CrrMesh(name, {
                    namingPrefix: PREFIX,
                    accessPoint: accessPoint as never,
                    sides: sides.map((region) => ({ provider: new aws.Provider(`${name}-${region}`, { region }), region })),
                });
                await settle();
            });
            return find(T.routes, `${name}-access-point-routes`).inputs.region;
        };
        // eu-west-1 serves the route APIs, yet a mesh that starts there does not take it: a constant default
        // cannot move when sides are reordered or added.
        expect(await regionOfRoutes("ro1", ["eu-west-1", "eu-central-1"], true)).to.equal("us-west-2");
        expect(await regionOfRoutes("ro2", ["eu-central-1", "eu-west-1", "ap-south-1"], true)).to.equal("us-west-2");
        expect(await regionOfRoutes("ro3", ["eu-central-1", "eu-west-1"], { routesRegion: "eu-west-1" })).to.equal("eu-west-1");
    });

    describe("rules (pure)", () => {
        it("routes active/passive to the first side only", () => {
            expect(initialRoutes("activePassive", [{ bucket: "a", region: "r1" }, { bucket: "b", region: "r2" }, { bucket: "c", region: "r3" }])).to.deep.equal([
                { bucket: "a", region: "r1", trafficDialPercentage: 100 },
                { bucket: "b", region: "r2", trafficDialPercentage: 0 },
                { bucket: "c", region: "r3", trafficDialPercentage: 0 },
            ]);
        });

        it("writes the policy in the given partition", () => {
            expect(accessPointPolicy("aws-cn", "1", "arn:aws-cn:s3::1:accesspoint/x.mrap").Statement[0].Principal).to.deep.equal({ AWS: "arn:aws-cn:iam::1:root" });
        });

        it("accepts 3 to 50 lowercase letters, digits and inner hyphens as a name", () => {
            for (const ok of ["abc", "acme-data", "a".repeat(50)]) {
                expect(MRAP_NAME_PATTERN.test(ok), ok).to.equal(true);
            }
            for (const bad of ["ab", "a".repeat(51), "-abc", "abc-", "Abc", "a_b", "a.b"]) {
                expect(MRAP_NAME_PATTERN.test(bad), bad).to.equal(false);
            }
        });
    });

    describe("validation, before anything is registered", () => {
        const regions = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
            "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "sa-east-1", "eu-south-1"];
        const mesh = (n: number, accessPoint: unknown) =>
            crrMeshArgProblems(
                { namingPrefix: "acme-data", accessPoint, sides: regions.slice(0, n).map((region) => ({ provider: undefined!, region })) } as never,
                { checkProviders: false },
            ).map((p) => `${p.path}: ${p.message}`);

        it("takes at most 17 regions", () => {
            expect(mesh(17, true)).to.deep.equal([]);
            expect(mesh(18, true)).to.deep.equal(["accessPoint: spans at most 17 regions, and there are 18 sides"]);
            expect(mesh(18, false)).to.deep.equal([]);
        });

        it("refuses an unknown routing", () => {
            const problems = crrPairArgProblems(
                { namingPrefix: "acme-data", primary: { provider: undefined!, region: "us-east-2" }, secondary: { provider: undefined!, region: "us-west-2" }, accessPoint: { routing: "nearest" } } as never,
                { checkProviders: false },
            ).map((p) => `${p.path}: ${p.message}`);
            expect(problems).to.deep.equal(["accessPoint.routing: must be one of 'activePassive', 'activeActive'; got 'nearest'"]);
        });

        it("reads the flat stack keys", () => {
            const settings = readSettings((k) => ({ namingPrefix: "acme-data", accessPoint: "true", accessPointRouting: "activeActive" })[k as "namingPrefix"], "s3-crr");
            expect(settings.accessPoint).to.deep.equal({ routing: "activeActive", routesRegion: "us-west-2" });
            const pinned = readSettings((k) => ({ namingPrefix: "acme-data", accessPoint: "true", accessPointRoutesRegion: "eu-west-1" })[k as "namingPrefix"], "s3-crr");
            expect(pinned.accessPoint).to.deep.equal({ routing: "activePassive", routesRegion: "eu-west-1" });
        });

        it("refuses a routes region that does not serve the route APIs (the sides' own us-east-2 among them)", () => {
            const problems = crrPairArgProblems(
                { namingPrefix: "acme-data", primary: { provider: undefined!, region: "us-east-2" }, secondary: { provider: undefined!, region: "us-west-2" }, accessPoint: { routesRegion: "us-east-2" } } as never,
                { checkProviders: false },
            ).map((p) => `${p.path}: ${p.message}`);
            expect(problems).to.deep.equal([
                "accessPoint.routesRegion: must be one of 'us-east-1', 'us-west-2', 'ap-southeast-2', 'ap-northeast-1', 'eu-west-1'; got 'us-east-2'",
            ]);
        });
    });
});
