/**
 * Growing without replacing (issue 22): a stack planned as the pair, then as the mesh that grows from it (the
 * program's `regions`), and a mesh whose provider-only sides later get their regions. Every resource of the
 * first plan that the second still has must keep its identity: the same URN, or an alias of it that the
 * engine would follow (recorded by the mocks from the registration request, worked out as the engine does),
 * and the same physical name where it has one (a new bucket name would replace the bucket all the same).
 */
import { expect } from "chai";
import * as aws from "../../components/model/aws";
import { CrrMesh, CrrMeshArgs, crrMeshArgProblems, formerChildNames } from "../../components";
import { registered, Registration, resetRecords, settle, withoutStackCapture } from "../support/mocks";
import { planProgram } from "../support/program";

async function planWith(build: () => void): Promise<Registration[]> {
    resetRecords();
    await withoutStackCapture(async () => {
        build();
        await settle();
    });
    return [...registered()];
}

/** The physical name a resource is known by in AWS, where a change of it replaces the resource. */
const PHYSICAL = ["bucket", "name", "dashboardName"];
const physical = (r: Registration) => PHYSICAL.map((k) => r.inputs[k]).find((v) => typeof v === "string");

/**
 * For every resource of `before`: the resource of `after` that is it (same URN or aliased from it), and the
 * problems: none found, found twice, or found with another physical name.
 */
function identities(before: readonly Registration[], after: readonly Registration[]) {
    const problems: string[] = [];
    const kept = new Map<string, Registration>();
    for (const old of before) {
        const heirs = after.filter((r) => r.urn === old.urn || (r.aliases ?? []).includes(old.urn));
        if (heirs.length !== 1) {
            problems.push(`${old.urn}: ${heirs.length === 0 ? "no resource takes it over" : `taken over by ${heirs.map((h) => h.urn).join(", ")}`}`);
            continue;
        }
        kept.set(old.urn, heirs[0]);
        if (physical(old) !== physical(heirs[0])) {
            problems.push(`${old.urn}: physical name ${physical(old)} becomes ${physical(heirs[0])} (a replacement)`);
        }
    }
    return { problems, kept };
}

const BASE = { namingPrefix: "acme-grow", encryption: "aws:kms", accessPoint: "true", backup: "true", alarmEmails: JSON.stringify(["ops@example.com"]) };

describe("growing a pair into a mesh, and a mesh learning its regions (no replacement)", () => {
    let pair: Registration[];
    before(async () => {
        pair = await planProgram(BASE);
    });

    it("the program's pair, grown to three regions: every resource of the pair keeps its identity and its physical name", async () => {
        const mesh = await planProgram({ ...BASE, regions: JSON.stringify(["us-east-2", "us-west-2", "eu-west-1"]) });
        const { problems, kept } = identities(pair, mesh);
        expect(problems).to.deep.equal([]);
        // Every one of them, the providers and the component included; the names as the mesh has them.
        expect(kept.size).to.equal(pair.length);
        expect(kept.get("urn:pulumi:dev::s3-crr::s3crr:index:CrrPair::crr")!.urn).to.equal("urn:pulumi:dev::s3-crr::s3crr:index:CrrMesh::crr");
        expect(kept.get("urn:pulumi:dev::s3-crr::s3crr:index:CrrPair$aws:s3/bucket:Bucket::crr-primary-bucket")!.urn).to.equal(
            "urn:pulumi:dev::s3-crr::s3crr:index:CrrMesh$aws:s3/bucket:Bucket::crr-us-east-2-bucket",
        );
        expect(kept.get("urn:pulumi:dev::s3-crr::pulumi:providers:aws::secondary")!.name).to.equal("us-west-2");
        expect(
            kept.get("urn:pulumi:dev::s3-crr::s3crr:index:CrrPair$aws:cloudwatch/metricAlarm:MetricAlarm::crr-primary-alarm-latency-secondary")!.name,
        ).to.equal("crr-us-east-2-alarm-latency-us-west-2");
        // What the third region adds is new: nothing of the pair is named for it.
        const added = mesh.filter((r) => ![...kept.values()].includes(r)).map((r) => r.name);
        expect(added.filter((n) => !n.includes("eu-west-1"))).to.deep.equal([]);
        expect(added).to.include.members(["eu-west-1", "crr-eu-west-1-bucket", "crr-eu-west-1-kms-key", "crr-us-east-2-alarm-latency-eu-west-1"]);
    });

    it("the program's pair with `regions` set to its own two regions changes no identity", async () => {
        const mesh = await planProgram({ ...BASE, regions: JSON.stringify(["us-east-2", "us-west-2"]) });
        const { problems } = identities(pair, mesh);
        expect(problems).to.deep.equal([]);
        expect(mesh).to.have.length(pair.length);
    });

    it("a mesh whose sides were providers alone (side1, side2) keeps every resource when their regions are given", async () => {
        const build = (withRegions: boolean) => () => {
            const east = new aws.Provider("learn-east", { region: "us-east-2" });
            const west = new aws.Provider("learn-west", { region: "us-west-2" });
            new CrrMesh("learn", {
                namingPrefix: "acme-learn",
                sides: withRegions ? [{ provider: east, region: "us-east-2" }, { provider: west, region: "us-west-2" }] : [east, west],
            });
        };
        const before = await planWith(build(false));
        expect(before.map((r) => r.name)).to.include("learn-side1-bucket");
        const after = await planWith(build(true));
        expect(after.map((r) => r.name)).to.include("learn-us-east-2-bucket");
        expect(identities(before, after).problems).to.deep.equal([]);
    });

    it("a side's former keys, and a side removed from a three-region mesh leaves exactly its own resources", async () => {
        const three = await planProgram({ ...BASE, regions: JSON.stringify(["us-east-2", "us-west-2", "eu-west-1"]) });
        const two = await planProgram({ ...BASE, regions: JSON.stringify(["us-east-2", "eu-west-1"]) });
        const { problems } = identities(three, two);
        const gone = problems.map((p) => p.split(": ")[0].split("::").pop());
        // The side leaving, and the wiring of the two others towards it (their alarms on the removed direction).
        expect(gone.filter((n) => !n!.includes("us-west-2"))).to.deep.equal([]);
        expect(gone).to.include.members(["us-west-2", "crr-us-west-2-bucket", "crr-us-east-2-alarm-latency-us-west-2"]);
    });

    it("names former children: the side's key and an alarm's destination key, each former key", () => {
        const keys = new Map([
            ["us-east-2", ["primary"]],
            ["us-west-2", ["secondary", "side2"]],
            ["eu-west-1", []],
        ]);
        expect(formerChildNames("crr", "crr-us-east-2-bucket", keys)).to.deep.equal(["crr-primary-bucket"]);
        expect(formerChildNames("crr", "crr-us-east-2-alarm-latency-us-west-2", keys)).to.deep.equal([
            "crr-us-east-2-alarm-latency-secondary",
            "crr-us-east-2-alarm-latency-side2",
            "crr-primary-alarm-latency-us-west-2",
            "crr-primary-alarm-latency-secondary",
            "crr-primary-alarm-latency-side2",
        ]);
        expect(formerChildNames("crr", "crr-eu-west-1-bucket", keys)).to.deep.equal([]);
        expect(formerChildNames("crr", "crr-dashboard", keys)).to.deep.equal([]);
        expect(formerChildNames("crr", "other-us-east-2-bucket", keys)).to.deep.equal([]);
    });
});

describe("a mesh side leaving, and the mesh's history arguments", () => {
    it("`regions` entry <region>=retain: that side's buckets with their settings, and its key, are retained on delete; nothing else", async () => {
        const regs = await planProgram({ ...BASE, regions: JSON.stringify(["us-east-2", "us-west-2", "eu-west-1=retain"]) });
        const retained = regs.filter((r) => r.retainOnDelete).map((r) => r.name).sort();
        const bucket = (b: string) => ["", "-encryption", "-ownership-controls", "-policy", "-public-access-block", "-versioning"].map((s) => `crr-eu-west-1-${b}${s}`);
        expect(retained).to.deep.equal([...bucket("bucket"), "crr-eu-west-1-kms-alias", "crr-eu-west-1-kms-key", ...bucket("logging-bucket")].sort());
        // Still a side of the mesh until the next deploy removes it.
        expect(regs.find((r) => r.name === "crr-us-east-2-replication")!.inputs.rules).to.have.length(2);
    });

    it("`regions` entry <region>=empty: that side's buckets are deleted with their objects (forceDestroy), the others' are not", async () => {
        const regs = await planProgram({ ...BASE, regions: JSON.stringify(["us-east-2", "us-west-2=empty", "eu-west-1"]) });
        const forced = regs.filter((r) => r.type === "aws:s3/bucket:Bucket" && r.inputs.forceDestroy).map((r) => r.name).sort();
        expect(forced).to.deep.equal(["crr-us-west-2-bucket", "crr-us-west-2-logging-bucket"]);
        expect(regs.filter((r) => r.retainOnDelete)).to.deep.equal([]);
    });

    it("refuses history arguments that name no side, collide or are not values, each by its path", () => {
        const east = new aws.Provider("hist-east", { region: "us-east-2" });
        const west = new aws.Provider("hist-west", { region: "us-west-2" });
        const problems = (args: Partial<CrrMeshArgs>) =>
            crrMeshArgProblems({ namingPrefix: "acme-hist", sides: [{ provider: east, region: "us-east-2" }, { provider: west, region: "us-west-2" }], ...args } as CrrMeshArgs).map(
                (p) => `${p.path}: ${p.message}`,
            );
        expect(problems({ grownFromPair: { primary: "us-east-2", secondary: "us-west-2" } })).to.deep.equal([]);
        expect(problems({ grownFromPair: { primary: "eu-west-1", secondary: "us-east-2" } })).to.deep.equal([
            "grownFromPair.primary: must be the key of one of the sides (us-east-2, us-west-2), got 'eu-west-1'",
        ]);
        expect(
            problems({
                sides: [
                    { provider: east, region: "us-east-2", formerKeys: ["us-west-2"] },
                    { provider: west, region: "us-west-2", formerKeys: ["Side 2"], onRemoval: "delete" as never },
                ],
            }),
        ).to.deep.equal([
            "sides[0].formerKeys: names 'us-west-2', which is sides[1]'s key now: a former key must belong to no other side",
            "sides[1].formerKeys: must be a list of keys (1 to 24 lowercase letters, digits and inner hyphens), got [\"Side 2\"]",
            "sides[1].onRemoval: must be one of 'retain', 'empty'; got 'delete'",
        ]);
    });
});

describe("the dashboard across accounts", () => {
    it("is one cross-account dashboard: a direction from another account names that account on its widgets, same-account ones name none", async () => {
        // Backups off: a snapshot copy to another account needs backupCrossAccountCopy (an Organization).
        const regs = await planProgram({
            ...BASE,
            backup: "false",
            regions: JSON.stringify(["us-east-2", "us-west-2", "eu-west-1"]),
            roleArns: JSON.stringify(["eu-west-1=arn:aws:iam::444455556666:role/crr-deployer"]),
        });
        const dashboards = regs.filter((r) => r.type === "aws:cloudwatch/dashboard:Dashboard");
        expect(dashboards.map((d) => [d.name, d.inputs.region])).to.deep.equal([["crr-dashboard", "us-east-2"]]);
        const widgets = JSON.parse(dashboards[0].inputs.dashboardBody).widgets.filter((w: any) => w.type === "metric");
        const accounts = [...new Set(widgets.map((w: any) => `${w.properties.title.split(":")[0]} ${w.properties.accountId ?? "-"}`))];
        expect(accounts).to.deep.equal([
            "us-east-2-to-us-west-2 -",
            "us-east-2-to-eu-west-1 -",
            "us-west-2-to-us-east-2 -",
            "us-west-2-to-eu-west-1 -",
            "eu-west-1-to-us-east-2 444455556666",
            "eu-west-1-to-us-west-2 444455556666",
        ]);
    });
});
