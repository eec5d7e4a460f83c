import { expect } from "chai";
import { chooseRecoveryPoint, isContinuousArn, itemBatches, restoreMetadata, RestoreError } from "../../tools/restore/backup";
import { defaultDestination, EXIT, main, parseAt, USAGE } from "../../tools/restore/cli";
import { readStack } from "../../tools/restore/stack";
import { copyRanges, copySource, describeAction, planVersionRestore, VersionEntry } from "../../tools/restore/versions";
import { captured } from "../cli/streams";
import { BACKUP_ROLE, CONTINUOUS_RP, EAST, SNAPSHOT_RP, World } from "../drill/world";

const T = (iso: string) => new Date(iso);
const v = (key: string, versionId: string, iso: string, isLatest = false, isDeleteMarker = false, size = 10): VersionEntry => ({
    key,
    versionId,
    lastModified: T(iso),
    isDeleteMarker,
    isLatest,
    ...(isDeleteMarker ? {} : { size }),
});

describe("npm run restore", () => {
    describe("the plan from object versions (pure)", () => {
        const at = T("2026-12-04T10:00:00Z");

        it("copies the version current at --at over a later overwrite, and leaves an unchanged key alone", () => {
            const actions = planVersionRestore(
                [
                    v("a.txt", "a1", "2026-12-04T09:00:00Z"),
                    v("a.txt", "a2", "2026-12-04T11:00:00Z", true),
                    v("b.txt", "b1", "2026-12-04T08:00:00Z", true),
                ],
                at,
                true,
            );
            expect(actions).to.deep.equal([
                { kind: "copy", key: "a.txt", versionId: "a1", lastModified: T("2026-12-04T09:00:00Z"), size: 10 },
                { kind: "unchanged", key: "b.txt", detail: "version b1 is current" },
            ]);
        });

        it("removes the delete markers written after --at instead of copying, when nothing else was written since", () => {
            const actions = planVersionRestore(
                [v("d.txt", "d1", "2026-12-04T09:59:59Z"), v("d.txt", "m1", "2026-12-04T10:00:01Z", false, true), v("d.txt", "m2", "2026-12-04T10:30:00Z", true, true)],
                at,
                true,
            );
            expect(actions).to.deep.equal([{ kind: "removeDeleteMarkers", key: "d.txt", versionId: "d1", markers: ["m2", "m1"] }]);
        });

        it("copies when a version and a delete marker were both written after --at", () => {
            const actions = planVersionRestore([v("d.txt", "d1", "2026-12-04T09:00:00Z"), v("d.txt", "d2", "2026-12-04T10:10:00Z"), v("d.txt", "m1", "2026-12-04T10:20:00Z", true, true)], at, true);
            expect(actions).to.deep.equal([{ kind: "copy", key: "d.txt", versionId: "d1", lastModified: T("2026-12-04T09:00:00Z"), size: 10 }]);
        });

        it("never deletes: a key written after --at is named and left; a key absent then and now is unchanged", () => {
            const actions = planVersionRestore(
                [v("new.txt", "n1", "2026-12-04T10:05:00Z", true), v("gone.txt", "g1", "2026-12-04T09:00:00Z"), v("gone.txt", "gm", "2026-12-04T09:30:00Z", true, true)],
                at,
                true,
            );
            expect(actions).to.deep.equal([
                { kind: "unchanged", key: "gone.txt", detail: "absent at --at and now (deleted at 2026-12-04T09:30:00.000Z, before --at)" },
                { kind: "skip", key: "new.txt", reason: "absent at --at (first written 2026-12-04T10:05:00.000Z, after --at) but present now: left as it is, a restore never deletes" },
            ]);
        });

        it("into another bucket copies every key that existed at --at, current or not", () => {
            const actions = planVersionRestore([v("b.txt", "b1", "2026-12-04T08:00:00Z", true)], at, false);
            expect(actions).to.deep.equal([{ kind: "copy", key: "b.txt", versionId: "b1", lastModified: T("2026-12-04T08:00:00Z"), size: 10 }]);
        });

        it("plans a version above CopyObject's 5 GB as a copy like any other, and lists it as a copy in parts", () => {
            const actions = planVersionRestore([v("big.bin", "x1", "2026-12-04T09:00:00Z", false, false, 6 * 1024 ** 3), v("big.bin", "x2", "2026-12-04T11:00:00Z", true)], at, true);
            expect(actions).to.deep.equal([{ kind: "copy", key: "big.bin", versionId: "x1", lastModified: T("2026-12-04T09:00:00Z"), size: 6 * 1024 ** 3 }]);
            expect(describeAction(actions[0], "src", "src")).to.equal(
                "copy big.bin version x1 (2026-12-04T09:00:00.000Z) to s3://src/big.bin in 12 parts (6442450944 bytes, above CopyObject's 5 GB)",
            );
        });

        it("cuts a multipart copy into 512 MiB ranges, and into larger whole MiB where 10,000 parts would not hold the object", () => {
            const mib = 1024 ** 2;
            const six = copyRanges(6 * 1024 ** 3);
            expect(six.length).to.equal(12);
            expect(six.slice(0, 2)).to.deep.equal([`bytes=0-${512 * mib - 1}`, `bytes=${512 * mib}-${1024 * mib - 1}`]);
            expect(six[11]).to.equal(`bytes=${11 * 512 * mib}-${6 * 1024 ** 3 - 1}`);
            // 5 TiB: 525 MiB parts (5 TiB / 10,000 = 524.3 MiB, rounded up), 9,987 of them.
            const five = copyRanges(5 * 1024 ** 4);
            expect(five.length).to.equal(9987);
            expect(five[0]).to.equal(`bytes=0-${525 * mib - 1}`);
            expect(five[9986]).to.equal(`bytes=${9986 * 525 * mib}-${5 * 1024 ** 4 - 1}`);
            // The most 10,000 parts of 5 GiB hold: 10,000 parts of exactly 5 GiB.
            const most = copyRanges(10_000 * 5 * 1024 ** 3);
            expect([most.length, most[9999]]).to.deep.equal([10_000, `bytes=${9999 * 5 * 1024 ** 3}-${10_000 * 5 * 1024 ** 3 - 1}`]);
            expect(() => copyRanges(10_000 * 5 * 1024 ** 3 + 1)).to.throw(RangeError, "an object to copy in parts has 1 byte to 53687091200000 (10,000 parts of 5 GiB), not 53687091200001");
            // Planned, such a version is named as beyond reach, not thrown on.
            const huge = planVersionRestore([v("huge.bin", "h1", "2026-12-04T09:00:00Z", true, false, 10_000 * 5 * 1024 ** 3 + 1)], at, false);
            expect(huge).to.deep.equal([{ kind: "skip", key: "huge.bin", reason: "version h1 is 53687091200001 bytes, more than 10,000 parts of 5 GiB: no copy reaches it" }]);
        });

        it("URL-encodes the copy source key segment by segment, with its version", () => {
            expect(copySource("b", "dir one/ä+b.txt", "3/L4kqtJl")).to.equal("b/dir%20one/%C3%A4%2Bb.txt?versionId=3%2FL4kqtJl");
        });
    });

    describe("the recovery point for --at (pure)", () => {
        const NOW = T("2026-12-04T10:00:00Z");
        const points = [
            { arn: CONTINUOUS_RP, creationDate: T("2026-11-20T05:00:00Z"), status: "COMPLETED", continuous: true },
            { arn: SNAPSHOT_RP, creationDate: T("2026-11-10T05:00:00Z"), status: "COMPLETED", continuous: false },
            { arn: `${SNAPSHOT_RP}-later`, creationDate: T("2026-11-15T05:00:00Z"), status: "COMPLETED", continuous: false },
            { arn: `${SNAPSHOT_RP}-expired`, creationDate: T("2026-11-18T05:00:00Z"), status: "EXPIRED", continuous: false },
        ];

        it("takes the continuous backup with --at as its RestoreTime when it covers --at", () => {
            const choice = chooseRecoveryPoint(points, T("2026-12-01T12:00:00Z"), false, NOW);
            expect([choice.point.arn, choice.restoreTime?.toISOString()]).to.deep.equal([CONTINUOUS_RP, "2026-12-01T12:00:00.000Z"]);
        });

        it("refuses a continuous backup without --at (StartRestoreJob requires its RestoreTime), naming --at, what it covers, and --snapshot", () => {
            expect(() => chooseRecoveryPoint(points, undefined, false, NOW)).to.throw(
                RestoreError,
                "the bucket has a continuous backup, which restores to a stated time (AWS Backup requires RestoreTime for it): " +
                    "give --at TIME (it covers 2026-11-20T05:00:00.000Z on), or --snapshot for the latest snapshot",
            );
            expect(chooseRecoveryPoint(points, undefined, true, NOW).point.arn).to.equal(`${SNAPSHOT_RP}-later`);
        });

        it("does not reach back past the continuous backup's 35 days: an older --at takes the snapshot before it", () => {
            const older = [{ ...points[0], creationDate: T("2026-01-01T00:00:00Z") }, { ...points[1], creationDate: T("2026-10-01T05:00:00Z") }];
            const choice = chooseRecoveryPoint(older, T("2026-10-25T00:00:00Z"), false, NOW);
            expect([choice.point.arn, choice.why]).to.deep.equal([
                SNAPSHOT_RP,
                "the snapshot of 2026-10-01T05:00:00.000Z, the latest at or before --at; the continuous backup reaches back 35 days at most, to 2026-10-30T10:00:00.000Z",
            ]);
            expect(chooseRecoveryPoint(older, T("2026-10-31T00:00:00Z"), false, NOW).point.arn).to.equal(CONTINUOUS_RP);
        });

        it("before the continuous backup starts, the latest usable snapshot at or before --at (an expired one is passed over)", () => {
            const choice = chooseRecoveryPoint(points, T("2026-11-19T00:00:00Z"), false);
            expect([choice.point.arn, choice.restoreTime, choice.why]).to.deep.equal([
                `${SNAPSHOT_RP}-later`,
                undefined,
                "the snapshot of 2026-11-15T05:00:00.000Z, the latest at or before --at; the continuous backup starts 2026-11-20T05:00:00.000Z, after --at",
            ]);
        });

        it("--snapshot passes over the continuous backup; nothing before --at is an error naming the points", () => {
            expect(chooseRecoveryPoint(points, T("2026-12-01T00:00:00Z"), true).point.arn).to.equal(`${SNAPSHOT_RP}-later`);
            expect(() => chooseRecoveryPoint(points, T("2026-11-01T00:00:00Z"), false)).to.throw(RestoreError, "no recovery point of the bucket covers 2026-11-01T00:00:00.000Z");
        });

        it("tells a continuous recovery point by its ARN", () => {
            expect([isContinuousArn(CONTINUOUS_RP), isContinuousArn(SNAPSHOT_RP)]).to.deep.equal([true, false]);
        });

        it("writes the S3 restore metadata with AWS's keys: items as a JSON array of S3 URIs, RestoreTime only for a continuous backup", () => {
            const choice = { point: points[0], restoreTime: T("2026-12-01T12:00:00Z"), why: "" };
            expect(restoreMetadata({ destinationBucket: EAST, newBucket: false, items: ["a.txt", "d/b.txt"], sourceBucket: EAST }, choice, "tok")).to.deep.equal({
                DestinationBucketName: EAST,
                NewBucket: "false",
                Encrypted: "true",
                EncryptionType: "original",
                CreationToken: "tok",
                ItemsToRestore: `["s3://${EAST}/a.txt","s3://${EAST}/d/b.txt"]`,
                // To the second, as AWS documents it.
                RestoreTime: "2026-12-01T12:00:00Z",
            });
            expect(restoreMetadata({ destinationBucket: "new-one", newBucket: true, items: [], sourceBucket: EAST }, { point: points[1], why: "" }, "tok")).to.deep.equal({
                DestinationBucketName: "new-one",
                NewBucket: "true",
                Encrypted: "true",
                EncryptionType: "original",
                CreationToken: "tok",
            });
            expect(() => restoreMetadata({ destinationBucket: EAST, newBucket: false, items: ["1", "2", "3", "4", "5", "6"], sourceBucket: EAST }, choice, "t")).to.throw(
                "AWS Backup restores at most 5 objects per job, got 6",
            );
            expect(itemBatches(["1", "2", "3", "4", "5", "6", "7"])).to.deep.equal([["1", "2", "3", "4", "5"], ["6", "7"]]);
        });
    });

    describe("the command", () => {
        const backupWorld = () => {
            const world = new World({ backup: true });
            world.recoveryPoints = [
                { RecoveryPointArn: CONTINUOUS_RP, CreationDate: T("2026-11-20T05:00:00Z"), Status: "COMPLETED" },
                { RecoveryPointArn: SNAPSHOT_RP, CreationDate: T("2026-12-04T05:00:00Z"), Status: "COMPLETED" },
            ];
            return world;
        };

        it("by AWS Backup in place: the continuous backup at --at, StartRestoreJob with the documented metadata, the job followed to COMPLETED", async () => {
            const world = backupWorld();
            world.put(EAST, "orders/1.json", "good");
            world.clock.t += 60_000;
            world.put(EAST, "orders/1.json", "", { deleteMarker: true });
            const io = captured();
            const code = await main(["--at", "2026-12-04T10:00:30Z", "--key", "orders/1.json", "--in-place", "--yes", "--interval", "10s", "--json", "-"], io, { ...world.commandDeps("n"), runId: "run-1" });
            expect(code).to.equal(EXIT.restored);
            expect(world.commands("ListRecoveryPointsByResource").map((c) => c.input)).to.deep.equal([{ ResourceArn: `arn:aws:s3:::${EAST}` }]);
            expect(world.commands("StartRestoreJob").map((c) => c.input)).to.deep.equal([
                {
                    RecoveryPointArn: CONTINUOUS_RP,
                    IamRoleArn: BACKUP_ROLE,
                    ResourceType: "S3",
                    IdempotencyToken: "run-1-0",
                    Metadata: {
                        DestinationBucketName: EAST,
                        NewBucket: "false",
                        Encrypted: "true",
                        EncryptionType: "original",
                        CreationToken: "run-1-0",
                        ItemsToRestore: `["s3://${EAST}/orders/1.json"]`,
                        RestoreTime: "2026-12-04T10:00:30Z",
                    },
                },
            ]);
            expect(world.commands("DescribeRestoreJob").map((c) => c.input.RestoreJobId)).to.deep.equal(["restore-job-0001", "restore-job-0001"]);
            expect(world.current(EAST, "orders/1.json")?.body).to.equal("good");
            expect(io.err).to.contain("RUNNING 40%").and.to.contain("COMPLETED 100%");
            const report = JSON.parse(io.out);
            expect(report.restored).to.deep.equal([{ key: "orders/1.json", how: "restore job restore-job-0001 in place" }]);
            expect(report.failed).to.deep.equal([]);
        });

        it("by AWS Backup in place: an overwritten object is named as not restored (AWS Backup never overwrites), exit 1", async () => {
            const world = backupWorld();
            world.put(EAST, "c.txt", "good");
            world.clock.t += 60_000;
            world.put(EAST, "c.txt", "corrupt");
            const io = captured();
            const code = await main(["--at", "2026-12-04T10:00:30Z", "--key", "c.txt", "--in-place", "--yes"], io, world.commandDeps("n"));
            expect(code).to.equal(EXIT.notAll);
            expect(io.out).to.contain(
                "NOT restored c.txt: an object exists (written 2026-12-04T10:01:00.000Z), which AWS Backup never overwrites in place: restore it with --from versions",
            );
        });

        it("a FAILED job names AWS's reason, and the objects it held are not restored (exit 1)", async () => {
            const world = new World({ backup: true, jobStates: [{ Status: "RUNNING" }, { Status: "FAILED", StatusMessage: "Access Denied on kms:Decrypt" }] });
            world.recoveryPoints = [{ RecoveryPointArn: CONTINUOUS_RP, CreationDate: T("2026-11-20T05:00:00Z"), Status: "COMPLETED" }];
            const io = captured();
            const code = await main(["--to", "acme-data-restored", "--at", "2026-12-04T09:00:00Z"], io, world.commandDeps("n"));
            expect(code).to.equal(EXIT.notAll);
            expect(world.commands("StartRestoreJob")[0].input.Metadata).to.deep.include({ DestinationBucketName: "acme-data-restored", NewBucket: "true" });
            expect(io.out).to.contain("NOT restored (whole bucket): restore job restore-job-0001 FAILED: Access Denied on kms:Decrypt");
        });

        it("reaches back only as far as the continuous backup's own retention (DescribeRecoveryPoint): an older --at takes the snapshot", async () => {
            const world = new World({ backup: true, continuousRetentionDays: 7 });
            world.recoveryPoints = [
                { RecoveryPointArn: CONTINUOUS_RP, CreationDate: T("2026-11-01T05:00:00Z"), Status: "COMPLETED" },
                { RecoveryPointArn: SNAPSHOT_RP, CreationDate: T("2026-11-20T05:00:00Z"), Status: "COMPLETED" },
            ];
            const io = captured();
            const code = await main(["--dry-run", "--key", "a.txt", "--at", "2026-11-25T00:00:00Z", "--json", "-"], io, world.commandDeps("n"));
            expect(code, io.err).to.equal(EXIT.restored);
            expect(world.commands("DescribeRecoveryPoint").map((c) => c.input)).to.deep.equal([{ BackupVaultName: "acme-data-us-east-2", RecoveryPointArn: CONTINUOUS_RP }]);
            expect(JSON.parse(io.out).recoveryPoint).to.deep.equal({
                arn: SNAPSHOT_RP,
                why: "the snapshot of 2026-11-20T05:00:00.000Z, the latest at or before --at; the continuous backup reaches back 7 days (its retention), to 2026-11-27T10:00:00.000Z",
            });
        });

        it("a job COMPLETED with S3's 'failed to be restored' message is not a restore: the whole bucket is named as not restored (exit 1)", async () => {
            const message = "One or more objects failed to be restored. Check the restore job report.";
            const world = new World({ backup: true, jobStates: [{ Status: "RUNNING" }, { Status: "COMPLETED", PercentDone: "100%", StatusMessage: message }] });
            world.recoveryPoints = [{ RecoveryPointArn: CONTINUOUS_RP, CreationDate: T("2026-11-20T05:00:00Z"), Status: "COMPLETED" }];
            const io = captured();
            const code = await main(["--to", "acme-data-restored", "--at", "2026-12-04T09:00:00Z", "--json", "-"], io, world.commandDeps("n"));
            expect(code).to.equal(EXIT.notAll);
            expect(JSON.parse(io.out).failed).to.deep.equal([{ key: "(whole bucket)", reason: `restore job restore-job-0001 COMPLETED, but: ${message}` }]);
            expect(JSON.parse(io.out).restored).to.deep.equal([]);
        });

        it("objects into a new bucket are each looked for there after the job: one the recovery point did not hold is named (exit 1)", async () => {
            const world = backupWorld();
            world.put(EAST, "a.txt", "alpha", { at: Date.parse("2026-12-04T08:00:00Z") });
            const io = captured();
            const code = await main(["--key", "a.txt", "--key", "ghost.txt", "--to", "acme-restored", "--at", "2026-12-04T09:00:00Z", "--json", "-"], io, world.commandDeps("n"));
            expect(code).to.equal(EXIT.notAll);
            expect(world.commands("HeadObject").map((c) => c.input)).to.deep.equal([
                { Bucket: "acme-restored", Key: "a.txt" },
                { Bucket: "acme-restored", Key: "ghost.txt" },
            ]);
            const report = JSON.parse(io.out);
            expect(report.restored).to.deep.equal([{ key: "a.txt", how: "restore job restore-job-0001 into s3://acme-restored" }]);
            expect(report.failed).to.deep.equal([{ key: "ghost.txt", reason: "not in s3://acme-restored after restore job restore-job-0001 (NotFound): not in the recovery point at that time?" }]);
            expect(world.current("acme-restored", "a.txt")?.body).to.equal("alpha");
        });

        it("--dry-run prints the StartRestoreJob request and starts no job", async () => {
            const world = backupWorld();
            const io = captured();
            const code = await main(["--dry-run", "--key", "a.txt", "--at", "2026-12-04T09:00:00Z"], io, { ...world.commandDeps("n"), runId: "r" });
            expect(code).to.equal(EXIT.restored);
            expect(world.commands("StartRestoreJob")).to.deep.equal([]);
            expect(io.out).to.contain(`would backup:StartRestoreJob {"RecoveryPointArn":"${CONTINUOUS_RP}","IamRoleArn":"${BACKUP_ROLE}","ResourceType":"S3"`);
            expect(io.out).to.contain(`"DestinationBucketName":"acme-data-crrlab-us-east-2-restored-202612041000","NewBucket":"true"`);
        });

        it("by versions in place: the right version copied over the overwrite, the delete marker after --at removed", async () => {
            const world = new World();
            const good = world.put(EAST, "data/c.txt", "good");
            world.put(EAST, "data/d.txt", "kept");
            world.clock.t += 60_000;
            world.put(EAST, "data/c.txt", "corrupt");
            const marker = world.put(EAST, "data/d.txt", "", { deleteMarker: true });
            const io = captured();
            const code = await main(["--from", "versions", "--prefix", "data/", "--at", "2026-12-04T10:00:30Z", "--in-place", "--yes", "--json", "-"], io, world.commandDeps("n"));
            expect(code).to.equal(EXIT.restored);
            expect(world.commands("CopyObject").map((c) => c.input)).to.deep.equal([{ Bucket: EAST, Key: "data/c.txt", CopySource: `${EAST}/data/c.txt?versionId=${good.versionId}` }]);
            expect(world.commands("DeleteObject").map((c) => c.input)).to.deep.equal([{ Bucket: EAST, Key: "data/d.txt", VersionId: marker.versionId }]);
            expect([world.current(EAST, "data/c.txt")?.body, world.current(EAST, "data/d.txt")?.body]).to.deep.equal(["good", "kept"]);
            expect(JSON.parse(io.out).restored.map((r: { key: string }) => r.key)).to.deep.equal(["data/c.txt", "data/d.txt"]);
        });

        for (const [what, options] of [
            ["deleteMarkerReplication Enabled", { markerReplication: true }],
            ["a rule of S3's first schema (no Filter), which replicates them unsaid", { firstSchemaRules: true }],
        ] as const) {
        it(`by versions in place, where delete markers replicate (${what}): a deleted object comes back by a copy (removing its marker would not reach the other side)`, async () => {
            const world = new World(options);
            const kept = world.put(EAST, "data/d.txt", "kept");
            world.clock.t += 60_000;
            world.put(EAST, "data/d.txt", "", { deleteMarker: true });
            const io = captured();
            const code = await main(["--from", "versions", "--prefix", "data/", "--at", "2026-12-04T10:00:30Z", "--in-place", "--yes", "--json", "-"], io, world.commandDeps("n"));
            expect(code).to.equal(EXIT.restored);
            expect(world.commands("GetBucketReplication").map((c) => c.input)).to.deep.equal([{ Bucket: EAST }]);
            expect(world.commands("DeleteObject")).to.deep.equal([]);
            expect(world.commands("CopyObject").map((c) => c.input)).to.deep.equal([{ Bucket: EAST, Key: "data/d.txt", CopySource: `${EAST}/data/d.txt?versionId=${kept.versionId}` }]);
            expect(world.current(EAST, "data/d.txt")?.body).to.equal("kept");
            expect(io.err).to.contain(`${EAST} replicates delete markers: a deleted object comes back by a copy of its version (a copy replicates, removing a marker does not)`);
        });
        }

        it("by versions, a copy keeps the version's storage class (a copy is STANDARD unless told)", async () => {
            const world = new World();
            const good = world.put(EAST, "cold/report.csv", "good", { storageClass: "STANDARD_IA" });
            world.clock.t += 60_000;
            world.put(EAST, "cold/report.csv", "corrupt", { storageClass: "STANDARD_IA" });
            const io = captured();
            const code = await main(["--from", "versions", "--key", "cold/report.csv", "--at", "2026-12-04T10:00:30Z", "--in-place", "--yes"], io, world.commandDeps("n"));
            expect(code).to.equal(EXIT.restored);
            expect(world.commands("CopyObject").map((c) => c.input)).to.deep.equal([
                { Bucket: EAST, Key: "cold/report.csv", CopySource: `${EAST}/cold/report.csv?versionId=${good.versionId}`, StorageClass: "STANDARD_IA" },
            ]);
            expect([world.current(EAST, "cold/report.csv")?.body, world.current(EAST, "cold/report.csv")?.storageClass]).to.deep.equal(["good", "STANDARD_IA"]);
        });

        it("by versions, --dry-run lists what would change and writes nothing", async () => {
            const world = new World();
            world.put(EAST, "c.txt", "good");
            world.clock.t += 60_000;
            world.put(EAST, "c.txt", "corrupt");
            const io = captured();
            const code = await main(["--from", "versions", "--key", "c.txt", "--at", "2026-12-04T10:00:30Z", "--in-place", "--dry-run"], io, world.commandDeps("y"));
            expect(code).to.equal(EXIT.restored);
            // A named key is listed by its own prefix, not by listing the whole bucket.
            expect(world.commands("ListObjectVersions").map((c) => c.input)).to.deep.equal([{ Bucket: EAST, Prefix: "c.txt" }]);
            // Only reads: the versions, and in place whether the bucket replicates delete markers.
            expect(world.calls.filter((c) => !["ListObjectVersions", "GetBucketReplication"].includes(c.command) && c.client !== "pulumi").map((c) => c.command)).to.deep.equal([]);
            expect(io.out).to.contain(`would copy c.txt version v1 (2026-12-04T10:00:00.000Z) to s3://${EAST}/c.txt`);
        });

        it("by versions, a version above 5 GB goes in parts: its metadata and tags carried, every range copied, the upload completed with each ETag", async () => {
            const world = new World();
            const size = 6 * 1024 ** 3;
            const good = world.put(EAST, "big/archive.tar", "good", { size, contentType: "application/x-tar", metadata: { owner: "data-team" }, tags: { class: "cold", "cost center": "42" } });
            world.clock.t += 60_000;
            world.put(EAST, "big/archive.tar", "corrupt", { size });
            const io = captured();
            const code = await main(["--from", "versions", "--key", "big/archive.tar", "--at", "2026-12-04T10:00:30Z", "--in-place", "--yes", "--json", "-"], io, world.commandDeps("n"));
            expect(code, io.err).to.equal(EXIT.restored);
            expect(world.commands("CopyObject")).to.deep.equal([]);
            expect(world.commands("HeadObject").map((c) => c.input)).to.deep.equal([{ Bucket: EAST, Key: "big/archive.tar", VersionId: good.versionId }]);
            expect(world.commands("GetObjectTagging").map((c) => c.input)).to.deep.equal([{ Bucket: EAST, Key: "big/archive.tar", VersionId: good.versionId }]);
            expect(world.commands("CreateMultipartUpload").map((c) => c.input)).to.deep.equal([
                { Bucket: EAST, Key: "big/archive.tar", ContentType: "application/x-tar", Metadata: { owner: "data-team" }, Tagging: "class=cold&cost%20center=42" },
            ]);
            const parts = world.commands("UploadPartCopy").map((c) => c.input as { PartNumber: number; CopySource: string; CopySourceRange: string });
            expect(parts.map((p) => p.PartNumber)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
            expect(new Set(parts.map((p) => p.CopySource))).to.deep.equal(new Set([`${EAST}/big/archive.tar?versionId=${good.versionId}`]));
            expect(parts.map((p) => p.CopySourceRange)).to.deep.equal(copyRanges(size));
            const completed = world.commands("CompleteMultipartUpload")[0].input as { MultipartUpload: { Parts: { PartNumber: number; ETag: string }[] } };
            expect(completed.MultipartUpload.Parts[11]).to.deep.equal({ ETag: '"etag-12"', PartNumber: 12 });
            const restored = world.current(EAST, "big/archive.tar")!;
            expect([restored.body, restored.size, restored.contentType, restored.metadata, restored.tags]).to.deep.equal(["good", size, "application/x-tar", { owner: "data-team" }, { class: "cold", "cost center": "42" }]);
            expect(JSON.parse(io.out).restored).to.deep.equal([{ key: "big/archive.tar", how: `version ${good.versionId} copied to s3://${EAST} in 12 parts` }]);
            expect(io.err).to.contain("big/archive.tar: part 12 of 12 copied");
        });

        it("a part that fails aborts the multipart upload (no parts left to be billed) and names the object as not restored, exit 1", async () => {
            const world = new World({ failPart: 3 });
            world.put(EAST, "big.bin", "good", { size: 6 * 1024 ** 3 });
            world.clock.t += 60_000;
            world.put(EAST, "big.bin", "corrupt", { size: 6 * 1024 ** 3 });
            const io = captured();
            const code = await main(["--from", "versions", "--key", "big.bin", "--at", "2026-12-04T10:00:30Z", "--in-place", "--yes"], io, world.commandDeps("n"));
            expect(code).to.equal(EXIT.notAll);
            const uploadId = (world.commands("UploadPartCopy")[0].input as { UploadId: string }).UploadId;
            expect(world.commands("AbortMultipartUpload").map((c) => c.input)).to.deep.equal([{ Bucket: EAST, Key: "big.bin", UploadId: uploadId }]);
            expect(world.uploads.size).to.equal(0);
            expect(world.commands("CompleteMultipartUpload")).to.deep.equal([]);
            expect(world.current(EAST, "big.bin")?.body).to.equal("corrupt");
            expect(io.out).to.contain("NOT restored big.bin: InternalError: We encountered an internal error. Please try again.");
        });

        it("by versions into a new bucket: creates it in the source's region and copies each object there", async () => {
            const world = new World();
            const a = world.put(EAST, "a.txt", "alpha");
            const io = captured();
            const code = await main(["--from", "versions", "--to", "acme-restored"], io, world.commandDeps("n"));
            expect(code).to.equal(EXIT.restored);
            expect(world.commands("CreateBucket").map((c) => c.input)).to.deep.equal([{ Bucket: "acme-restored", CreateBucketConfiguration: { LocationConstraint: "us-east-2" } }]);
            expect(world.commands("CopyObject").map((c) => c.input)).to.deep.equal([{ Bucket: "acme-restored", Key: "a.txt", CopySource: `${EAST}/a.txt?versionId=${a.versionId}` }]);
            expect(world.current("acme-restored", "a.txt")?.body).to.equal("alpha");
        });

        it("in place asks first, and a declined answer changes nothing (exit 1)", async () => {
            const world = new World();
            const asked: string[] = [];
            const io = captured();
            const code = await main(["--from", "versions", "--in-place"], io, { ...world.deps(), exec: world.exec(), ask: async (q) => (asked.push(q), "no") });
            expect([code, asked]).to.deep.equal([EXIT.notAll, [`Restore s3://${EAST} in place from versions? [y/N] `]]);
            expect(world.calls.filter((c) => c.client !== "pulumi").map((c) => c.command)).to.deep.equal([]);
        });

        it("refuses a bad command line before any call, naming the flag and what is allowed", async () => {
            const world = new World();
            const cases: [string[], string][] = [
                [["--from", "tape"], "--from must be auto, backup or versions; got 'tape'"],
                [["--at", "yesterday"], "--at must be an ISO 8601 time with its zone, such as 2026-12-04T10:30:00Z; got 'yesterday'"],
                [["--at", "2027-01-01T00:00:00Z"], "--at 2027-01-01T00:00:00Z is in the future"],
                [["--to", "Bad_Name"], "--to must be a bucket name of 3-63 lowercase letters"],
                [["--to", "abc", "--in-place"], "--to and --in-place exclude each other"],
                [["--bucket", "x-bucket"], "--bucket needs --region"],
                [["--snapshot", "--from", "versions"], "--snapshot chooses an AWS Backup recovery point"],
            ];
            for (const [argv, message] of cases) {
                const io = captured();
                expect(await main(argv, io, world.commandDeps("y")), argv.join(" ")).to.equal(EXIT.couldNotRun);
                expect(io.err).to.contain(message);
            }
            expect(world.calls.map((c) => c.command)).to.deep.equal([]);
        });

        it("refuses what AWS Backup cannot do before starting a job: a prefix, or more than five objects into a new bucket", async () => {
            const world = backupWorld();
            const six = ["1", "2", "3", "4", "5", "6"].flatMap((k) => ["--key", `k${k}`]);
            for (const [argv, message] of [
                [["--from", "backup", "--prefix", "orders/"], "AWS Backup restores a whole bucket or up to five objects per job, not a prefix: give --key (repeatable), or use --from versions with --prefix"],
                [[...six, "--at", "2026-12-04T09:00:00Z"], "6 objects into a new bucket: AWS Backup takes five per job and each job creates its bucket; give at most five --key, or restore the whole bucket"],
            ] as [string[], string][]) {
                const io = captured();
                expect(await main(argv, io, world.commandDeps("y"))).to.equal(EXIT.couldNotRun);
                expect(io.err).to.equal(`error: ${message}\n`);
            }
            expect(world.commands("StartRestoreJob")).to.deep.equal([]);
        });

        it("in place, more than five objects go in jobs of five, each followed to its end", async () => {
            const world = backupWorld();
            const keys = ["a", "b", "c", "d", "e", "f", "g"];
            keys.forEach((k) => world.put(EAST, k, `body ${k}`));
            world.clock.t += 60_000;
            keys.forEach((k) => world.put(EAST, k, "", { deleteMarker: true }));
            const io = captured();
            const code = await main(["--at", "2026-12-04T10:00:30Z", "--in-place", "--yes", ...keys.flatMap((k) => ["--key", k])], io, { ...world.commandDeps("n"), runId: "r" });
            expect(code).to.equal(EXIT.restored);
            expect(world.commands("StartRestoreJob").map((c) => [c.input.IdempotencyToken, (c.input.Metadata as Record<string, string>).ItemsToRestore])).to.deep.equal([
                ["r-0", `["s3://${EAST}/a","s3://${EAST}/b","s3://${EAST}/c","s3://${EAST}/d","s3://${EAST}/e"]`],
                ["r-1", `["s3://${EAST}/f","s3://${EAST}/g"]`],
            ]);
            expect(keys.map((k) => world.current(EAST, k)?.body)).to.deep.equal(keys.map((k) => `body ${k}`));
        });

        it("reads a mesh's sides and each side's backup role from the stack's outputs; without the Pulumi CLI says what to pass", () => {
            const mesh = JSON.stringify({
                sides: {
                    "us-east-2": { bucketName: EAST, region: "us-east-2", backupRoleArn: BACKUP_ROLE },
                    "eu-west-1": { bucketName: "acme-data-crrlab-eu-west-1", region: "eu-west-1" },
                },
                objectives: { rpoSeconds: 300, rtoSeconds: 600 },
            });
            expect(readStack("prod", () => ({ status: 0, stdout: mesh, stderr: "" }))).to.deep.equal({
                sides: [
                    { region: "us-east-2", bucket: EAST, backupRoleArn: BACKUP_ROLE },
                    { region: "eu-west-1", bucket: "acme-data-crrlab-eu-west-1" },
                ],
                objectives: { rpoSeconds: 300, rtoSeconds: 600 },
            });
            const missing = () => ({ status: null, stdout: "", stderr: "", error: Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" }) });
            expect(() => readStack("prod", missing)).to.throw(RestoreError, "the Pulumi CLI is not on PATH, so the stack's outputs cannot be read: pass --bucket and --region");
        });

        it("no credentials: one line saying what to set, exit 2", async () => {
            const world = new World({ noCredentials: true });
            const io = captured();
            expect(await main(["--from", "versions"], io, world.commandDeps("y"))).to.equal(EXIT.couldNotRun);
            expect(io.err).to.equal(
                "error: no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an instance or SSO role is available (the standard credential chain)\n",
            );
        });

        it("access denied on a copy is named for that object (exit 1); the others still come back", async () => {
            const world = new World({ accessDenied: true });
            world.put(EAST, "a.txt", "alpha");
            const io = captured();
            // CopyObject is a write too: the world denies PutObject only, so deny copies through the mock as AWS would.
            world.s3Mocks[0].on((await import("@aws-sdk/client-s3")).CopyObjectCommand).rejects(Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
            const code = await main(["--from", "versions", "--to", "acme-restored"], io, world.commandDeps("y"));
            expect(code).to.equal(EXIT.notAll);
            expect(io.out).to.contain("NOT restored a.txt: AccessDenied: Access Denied");
        });

        it("an archived version (InvalidObjectState on the copy) is named with the way through: restore it first", async () => {
            const world = new World();
            const good = world.put(EAST, "old/scan.tif", "good", { storageClass: "DEEP_ARCHIVE" });
            world.clock.t += 60_000;
            world.put(EAST, "old/scan.tif", "corrupt");
            world.s3Mocks[0]
                .on((await import("@aws-sdk/client-s3")).CopyObjectCommand)
                .rejects(Object.assign(new Error("The source object of the COPY action is not in the active tier"), { name: "InvalidObjectState", $metadata: { httpStatusCode: 403 } }));
            const io = captured();
            const code = await main(["--from", "versions", "--key", "old/scan.tif", "--at", "2026-12-04T10:00:30Z", "--in-place", "--yes", "--json", "-"], io, world.commandDeps("n"));
            expect(code).to.equal(EXIT.notAll);
            expect(JSON.parse(io.out).failed).to.deep.equal([
                {
                    key: "old/scan.tif",
                    reason:
                        "InvalidObjectState: The source object of the COPY action is not in the active tier: " +
                        `version ${good.versionId} is archived; restore it first (RestoreObject with its versionId), then run this again`,
                },
            ]);
        });

        it("names a default new bucket within S3's 63 characters, and reads --at with its zone", () => {
            expect(defaultDestination("acme-orders-production-eu-crrlab-ap-southeast-2", T("2026-12-04T10:07:00Z"))).to.equal("acme-orders-production-eu-crrlab-ap-south-restored-202612041007");
            expect(defaultDestination("acme-orders-production-eu-crrlab-ap-southeast-2", T("2026-12-04T10:07:00Z")).length).to.be.at.most(63);
            expect(parseAt("2026-12-04T11:30:00+01:00", T("2026-12-05T00:00:00Z")).toISOString()).to.equal("2026-12-04T10:30:00.000Z");
        });

        it("answers --help with every option and exit 0", async () => {
            const io = captured();
            expect(await main(["--help"], io)).to.equal(EXIT.restored);
            expect(io.out).to.equal(`${USAGE}\n`);
            for (const option of ["--stack", "--region", "--bucket", "--from", "--at", "--key", "--prefix", "--snapshot", "--to", "--in-place", "--yes", "--dry-run", "--role-arn", "--timeout", "--interval", "--json"]) {
                expect(USAGE).to.match(new RegExp(`\\n  ${option} `));
            }
        });
    });
});
