// One flat config for the whole monorepo: typescript-eslint strictTypeChecked with the project service,
// eslint-plugin-vue for the docs' components, and two rules that keep the architecture:
// `max-params` (optional arguments go in one options object) and `no-restricted-imports` (the import
// direction apps → @hw/problem-set → topic packages → @hw/tensor).
import js from "@eslint/js";
import pluginVue from "eslint-plugin-vue";
import tseslint from "typescript-eslint";

/** The topic packages: each depends on @hw/tensor only, never on another topic. */
const TOPICS = ["rnn", "decoding", "normalization", "regularization"];
/** The apps (private): nothing in packages/ imports them. */
const APPS = ["@hw/cli", "docs"];

/**
 * `no-restricted-imports` for the files of one package: the given packages are forbidden, by name
 * (and subpaths) and by a relative path into their folder, and so are the apps.
 */
function importDirection(files, forbidden, why) {
  return {
    files,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...forbidden.map((name) => ({
              group: [name, `${name}/*`, `**/packages/${name.slice("@hw/".length)}/**`, `**/${name.slice("@hw/".length)}/src/**`],
              message: `${why} (import direction: apps → @hw/problem-set → topic packages → @hw/tensor; see CONTRIBUTING.md).`,
            })),
            {
              group: [...APPS, ...APPS.map((a) => `${a}/*`), "**/apps/**"],
              message: "A package never imports an app (see CONTRIBUTING.md).",
            },
          ],
        },
      ],
    },
  };
}

const packageFiles = (name) => [`packages/${name}/**/*.ts`];

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "**/reports/**",
      "**/.turbo/**",
      "**/coverage/**",
      "apps/docs/.vitepress/cache/**",
      "apps/docs/.vitepress/dist/**",
      "apps/docs/api/**",
      // AssemblyScript (compiled to WebAssembly by packages/tensor/scripts/build-wasm.js), not TypeScript.
      "packages/tensor/wasm/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ["*.js", "*.ts"],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: "Use a seeded generator from @hw/tensor (createRng)." },
      ],
    },
  },
  {
    files: ["**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },

  // The docs' Vue components: eslint-plugin-vue's recommended rules with the TypeScript parser for
  // <script lang="ts">. They are type-checked by vue-tsc (the docs app's `typecheck`), so the
  // type-aware rules are off here.
  ...pluginVue.configs["flat/recommended"],
  {
    files: ["**/*.vue"],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: [".vue"], projectService: false, project: false, program: null },
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      // TypeScript resolves names (DOM types included); eslint's scope analysis does not know them.
      "no-undef": "off",
      // The demos are dense one-line controls and SVG; formatting is not what these rules are for.
      "vue/max-attributes-per-line": "off",
      "vue/singleline-html-element-content-newline": "off",
      "vue/multiline-html-element-content-newline": "off",
      "vue/html-self-closing": "off",
      "vue/html-closing-bracket-newline": "off",
      "vue/html-indent": "off",
      "vue/first-attribute-linebreak": "off",
      "vue/attributes-order": "off",
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: "Use a seeded generator from @hw/tensor (createRng)." },
      ],
    },
  },

  // Optional arguments go in one options object (tRPC's rule): at most 3 parameters in library code.
  // The internal kernels keep stdlib's `kernel(n, x, strideX, offsetX, …)` shape (CONVENTIONS §4).
  {
    files: ["packages/*/src/**/*.ts"],
    ignores: ["**/*.test.ts", "packages/*/src/internal/**", "packages/*/src/kernels/**"],
    // Required arguments positionally, everything optional in one options object last: at most three
    // required arguments plus the options (`bptt(params, x, z, options)`). Kernels (src/kernels, src/internal)
    // keep the stdlib many-argument shape (CONVENTIONS §4); private helpers are not the public surface.
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "ExportNamedDeclaration > FunctionDeclaration[params.length>4], ExportNamedDeclaration > TSDeclareFunction[params.length>4]",
          message: "A public function takes at most three required arguments plus one options object (CONVENTIONS §3).",
        },
      ],
    },
  },

  // The import direction.
  importDirection(packageFiles("tensor"), [...TOPICS.map((t) => `@hw/${t}`), "@hw/problem-set"], "@hw/tensor imports nothing of hw"),
  ...TOPICS.map((topic) =>
    importDirection(
      packageFiles(topic),
      [...TOPICS.filter((t) => t !== topic).map((t) => `@hw/${t}`), "@hw/problem-set"],
      `@hw/${topic} is a topic package: it imports @hw/tensor only, never another topic or @hw/problem-set`,
    ),
  ),
  importDirection(packageFiles("problem-set"), [], "@hw/problem-set never imports an app"),
);
