/** npm run docs: regenerates the generated sections of README.md (see program/docs.ts). */
import * as fs from "fs";
import * as path from "path";
import { renderReadme } from "../program/docs";

const file = path.join(__dirname, "..", "README.md");
const before = fs.readFileSync(file, "utf8");
const after = renderReadme(before, "s3-crr");
if (after !== before) {
    fs.writeFileSync(file, after);
    console.log("README.md: generated sections updated");
} else {
    console.log("README.md: generated sections already up to date");
}
