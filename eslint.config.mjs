// ESLint flat config: typescript-eslint's recommended rules plus Pulumi's rules that catch an Output
// interpolated in a template literal (it prints "Calling [toString] on an [Output<T>]" instead of the value).
// `makeConfig({ programs })` lets scripts/check.mjs hand over the TypeScript program it has just
// type-checked, so the typed rules do not build a second one; editors and `npm run lint` use the
// project service instead.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

export function makeConfig({ programs } = {}) {
    return tseslint.config(
        { ignores: ["node_modules/", "bin/", "**/dist/", "**/*.js", "**/*.mjs"] },
        js.configs.recommended,
        ...tseslint.configs.recommended,
        {
            // Type-aware, and so slower: only the code that builds resources handles Outputs.
            files: ["index.ts", "components/**/*.ts", "program/**/*.ts", "bootstrap/**/*.ts"],
            languageOptions: {
                parserOptions: programs
                    ? { programs, projectService: false }
                    : { projectService: true, tsconfigRootDir: import.meta.dirname },
            },
            plugins: { pulumi },
            rules: {
                "pulumi/no-output-in-template-literal": "error",
                "pulumi/no-output-instance-in-template-literal": "error",
            },
        },
        {
            files: ["**/*.ts"],
            rules: {
                "@typescript-eslint/no-explicit-any": "off",
                "@typescript-eslint/no-require-imports": "off",
                "@typescript-eslint/no-non-null-assertion": "off",
                "no-restricted-imports": [
                    "error",
                    {
                        paths: [
                            {
                                name: "@pulumi/aws",
                                message: "Import from components/model/aws.ts: the package root loads every AWS service's types.",
                            },
                        ],
                    },
                ],
            },
        },
    );
}

export default makeConfig();
