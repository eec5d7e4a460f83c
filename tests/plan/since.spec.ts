/**
 * `npm run plan -- --since FILE` (tools/plan/since.ts): the buckets and keys of an earlier plan, followed into
 * this one by URN or alias. Plans of the program itself under the suite's mocks: the pair, the mesh grown from
 * it, a region leaving with and without saying how its data goes, and a renamed prefix.
 */
import { expect } from "chai";
import { planResources, PlannedResource } from "../../tools/plan/model";
import { dataChanges, removalRefusal } from "../../tools/plan/since";
import { planProgram } from "../support/program";

async function planOf(config: Record<string, string>): Promise<PlannedResource[]> {
    // As the --json of a plan holds them (what --since reads back).
    return JSON.parse(JSON.stringify(planResources(await planProgram(config))));
}

const BASE = { namingPrefix: "acme-since", encryption: "aws:kms" };
const THREE = JSON.stringify(["us-east-2", "us-west-2", "eu-west-1"]);
const summary = (changes: ReturnType<typeof dataChanges>) => changes.map((c) => `${c.urn.split("::").pop()} ${c.kind}`).sort();

describe("npm run plan -- --since: buckets and keys replaced or deleted", () => {
    let three: PlannedResource[];
    before(async () => {
        three = await planOf({ ...BASE, regions: THREE });
    });

    it("finds nothing replaced or deleted when the pair grows into the mesh (its aliases)", async () => {
        const pair = await planOf(BASE);
        const changes = dataChanges(pair, three);
        expect(changes).to.deep.equal([]);
        expect(removalRefusal(changes)).to.equal(undefined);
    });

    it("refuses a region removed with nothing said about its data, naming its buckets; tells of its key", async () => {
        const changes = dataChanges(three, await planOf({ ...BASE, regions: JSON.stringify(["us-east-2", "eu-west-1"]) }));
        expect(summary(changes)).to.deep.equal([
            "crr-us-west-2-alerts-key scheduled",
            "crr-us-west-2-bucket deleted",
            "crr-us-west-2-kms-key scheduled",
            "crr-us-west-2-logging-bucket deleted",
        ]);
        expect(removalRefusal(changes)).to.match(
            /^data removal refused: bucket crr-us-west-2-(logging-)?bucket \(.*\) would be deleted, and nothing says how its data goes; bucket crr-us-west-2-/,
        );
        expect(removalRefusal(changes)).to.contain("regions entry <region>=retain");
    });

    it("lets a region go once a deploy said retain (kept in AWS) or empty (deleted on purpose)", async () => {
        const two = await planOf({ ...BASE, regions: JSON.stringify(["us-east-2", "eu-west-1"]) });
        const retained = dataChanges(await planOf({ ...BASE, regions: JSON.stringify(["us-east-2", "us-west-2=retain", "eu-west-1"]) }), two);
        expect(summary(retained)).to.deep.equal([
            "crr-us-west-2-alerts-key scheduled",
            "crr-us-west-2-bucket retained",
            "crr-us-west-2-kms-key retained",
            "crr-us-west-2-logging-bucket retained",
        ]);
        expect(removalRefusal(retained)).to.equal(undefined);
        const emptied = dataChanges(await planOf({ ...BASE, regions: JSON.stringify(["us-east-2", "us-west-2=empty", "eu-west-1"]) }), two);
        expect(summary(emptied)).to.deep.equal([
            "crr-us-west-2-alerts-key scheduled",
            "crr-us-west-2-bucket emptied",
            "crr-us-west-2-kms-key scheduled",
            "crr-us-west-2-logging-bucket emptied",
        ]);
        expect(removalRefusal(emptied)).to.equal(undefined);
    });

    it("says a bucket would be replaced when its name changes under the same URN", async () => {
        const renamed = dataChanges(three, await planOf({ ...BASE, namingPrefix: "acme-other", regions: THREE }));
        expect(renamed.filter((c) => c.urn.endsWith("crr-eu-west-1-bucket")).map((c) => c.message)).to.deep.equal([
            "bucket crr-eu-west-1-bucket (acme-since-crrlab-eu-west-1) would be replaced: its name acme-since-crrlab-eu-west-1 becomes acme-other-crrlab-eu-west-1",
        ]);
        expect(renamed.every((c) => c.kind === "replaced")).to.equal(true);
    });
});

describe("npm run plan -- --since: the access point's routes stay in their region", () => {
    const TYPE = "aws:s3control/multiRegionAccessPointRoutes:MultiRegionAccessPointRoutes";
    const URN = `urn:pulumi:dev::s3-crr::s3crr:index:CrrPair$${TYPE}::crr-access-point-routes`;
    const routes = (region: string, urn = URN, aliases: string[] = []): PlannedResource => ({
        type: TYPE,
        name: "crr-access-point-routes",
        urn,
        custom: true,
        region,
        dependencies: [],
        propertyDependencies: {},
        inputs: { region, mrap: "arn:aws:s3::111111111111:accesspoint/abcd1234.mrap" },
        aliases,
    });

    it("refuses a routesRegion that changes, since re-creating the routes would undo a failover", () => {
        const changes = dataChanges([routes("us-west-2")], [routes("eu-west-1")]);
        expect(changes.map((c) => [c.urn, c.kind])).to.deep.equal([[URN, "rerouted"]]);
        expect(removalRefusal(changes)).to.equal(
            "routes change refused: the access point's routes crr-access-point-routes would be re-created in eu-west-1 (was us-west-2), " +
                "submitting the initial routes again and undoing any failover: keep accessPoint.routesRegion as deployed",
        );
    });

    it("follows the routes through an alias, and says nothing while the region stays", () => {
        const moved = "urn:pulumi:dev::s3-crr::s3crr:index:CrrMesh$" + TYPE + "::crr-access-point-routes";
        expect(dataChanges([routes("us-west-2")], [routes("us-west-2", moved, [URN])])).to.deep.equal([]);
        expect(dataChanges([routes("us-west-2")], [routes("us-east-1", moved, [URN])]).map((c) => c.kind)).to.deep.equal(["rerouted"]);
    });
});
