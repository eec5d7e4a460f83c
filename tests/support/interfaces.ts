/** Interfaces of the project's TypeScript files as the compiler's parser reads them: fields, types, TSDoc. */
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";

const ROOT = path.join(__dirname, "..", "..");

/** One property of an interface. */
export interface InterfaceField {
    readonly name: string;
    readonly optional: boolean;
    /** The type as written, e.g. `boolean | BackupSettings`. */
    readonly type: string;
    /** The TSDoc text before the tags. */
    readonly description: string;
    /** The TSDoc tags' texts by tag name (`default` for `@default`). */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * The properties of interface `name` declared in `file` (relative to the repository), in order: its own,
 * then those of the interfaces it extends that the same file declares (as the schema analyzer sees them).
 */
export function interfaceFields(file: string, name: string): InterfaceField[] {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.ES2022, true);
    const found = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
    if (!found) {
        throw new Error(`${file} declares no interface ${name}`);
    }
    const bases = (found.heritageClauses ?? []).flatMap((h) => h.types.map((t) => t.expression.getText(source)));
    const declared = (base: string) => source.statements.some((s) => ts.isInterfaceDeclaration(s) && s.name.text === base);
    return [...ownFields(source, found), ...bases.filter(declared).flatMap((base) => interfaceFields(file, base))];
}

function ownFields(source: ts.SourceFile, found: ts.InterfaceDeclaration): InterfaceField[] {
    return found.members.filter(ts.isPropertySignature).map((m) => {
        const docs = ts.getJSDocCommentsAndTags(m).filter(ts.isJSDoc);
        return {
            name: (m.name as ts.Identifier).text,
            optional: m.questionToken !== undefined,
            type: m.type?.getText(source) ?? "",
            description: docs.map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join("\n"),
            tags: Object.fromEntries(ts.getJSDocTags(m).map((t) => [t.tagName.text, ts.getTextOfJSDocComment(t.comment) ?? ""])),
        };
    });
}

/** The property names of interface `name` in `file`. */
export const interfaceFieldNames = (file: string, name: string): string[] => interfaceFields(file, name).map((f) => f.name);
