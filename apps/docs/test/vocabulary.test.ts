/**
 * The vocabulary contract: `guide/vocabulary.md` ("Names used everywhere") lists every option name
 * the packages export, and every deprecated alias they still accept is marked `@deprecated`.
 *
 * The option names are read from each package's built `dist/index.d.ts` with the TypeScript compiler
 * API: every property (inherited ones included) of every exported interface or type whose name ends
 * in `Options`.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { parseVocabulary, type Vocabulary } from "./vocabulary";

const DOCS = fileURLToPath(new URL("../", import.meta.url));
const PACKAGES = fileURLToPath(new URL("../../../packages/", import.meta.url));

/**
 * Option names of the topic packages that do not match the table YET (issue 12): they are being
 * renamed, deprecated or given a row on other branches. Each entry is `package:optionName`. The lead
 * empties this list after merging those branches; the last test fails for every entry that no
 * longer mismatches, so the list cannot go stale.
 */
const PENDING: readonly string[] = [];

interface OptionProperty {
  /** `package:Interface.property`, for messages. */
  readonly id: string;
  readonly pkg: string;
  readonly name: string;
  readonly deprecated: boolean;
}

/** The packages of packages/, by folder name. */
const packages = ts.sys.getDirectories(PACKAGES).map((dir) => dir.split("/").at(-1)!).sort();

/** The `@hw/*` names the docs app depends on (it renders every package). */
function docsDependencies(): string[] {
  const pkg = JSON.parse(readFileSync(`${DOCS}package.json`, "utf8")) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => name.startsWith("@hw/"));
}

/** Every property of every exported `*Options` interface or type of one package's built typings. */
function exportedOptions(pkg: string): OptionProperty[] {
  const file = `${PACKAGES}${pkg}/dist/index.d.ts`;
  const program = ts.createProgram([file], { noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`vocabulary test: ${file} is missing (build @hw/${pkg} first)`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`vocabulary test: ${file} is not a module`);
  const found: OptionProperty[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    if (!exported.name.endsWith("Options")) continue;
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias))) continue;
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    for (const property of checker.getPropertiesOfType(type)) {
      const deprecated = property.getJsDocTags(checker).some((tag) => tag.name === "deprecated");
      found.push({ id: `${pkg}:${exported.name}.${property.name}`, pkg, name: property.name, deprecated });
    }
  }
  return found;
}

const vocabulary: Vocabulary = parseVocabulary(readFileSync(`${DOCS}guide/vocabulary.md`, "utf8"));
/** The packages that are built (the dependency test below makes turbo build every one first). */
const built = packages.filter((pkg) => existsSync(`${PACKAGES}${pkg}/dist/index.d.ts`));
const options = built.flatMap(exportedOptions);
const pending = new Set(PENDING);

/** Why one exported option breaks the contract, or undefined when it keeps it. */
function violation(option: OptionProperty): string | undefined {
  const aliasScopes = vocabulary.aliases.get(option.name);
  const isName = vocabulary.names.has(option.name);
  // An alias must be deprecated where the table says it is one (everywhere when it is no hw name).
  const aliasHere = aliasScopes !== undefined && (!isName || aliasScopes.has(option.pkg) || aliasScopes.has("*"));
  // A name that is the hw name in this package AND an alias of another concept in it (`topK`: the
  // option of `sample`, the old spelling of `numReturnSequences` in `exhaustiveSearch`) is told apart
  // per function by the table's parenthesis, which this package-level check cannot see: either is fine.
  const nameScopes = vocabulary.nameScopes.get(option.name);
  const nameHere = nameScopes !== undefined && (nameScopes.has(option.pkg) || nameScopes.has("*"));
  const ambiguous = nameHere && aliasScopes !== undefined && aliasScopes.has(option.pkg);
  if (aliasHere && !option.deprecated && !ambiguous) return `${option.id}: deprecated alias \`${option.name}\` exported without @deprecated`;
  if (option.deprecated && aliasScopes === undefined) return `${option.id}: @deprecated but not in the "Deprecated aliases" column`;
  if (!isName && !aliasHere) return `${option.id}: \`${option.name}\` is not in the "hw name" column`;
  return undefined;
}

describe("the vocabulary table (guide/vocabulary.md)", () => {
  it("parses: the hw names and the deprecated aliases with the packages they apply to", () => {
    for (const name of ["axis", "axes", "keepDims", "variance", "lr", "numReturnSequences", "topK", "lambda", "numSamples"]) {
      expect(vocabulary.names.has(name), name).toBe(true);
    }
    expect([...(vocabulary.aliases.get("numGroups") ?? [])]).toEqual(["decoding"]);
    expect([...(vocabulary.aliases.get("learningRate") ?? [])]).toEqual(["rnn"]);
    // `numSamples` is the hw name in regularization and an alias of numReturnSequences in decoding.
    expect([...(vocabulary.aliases.get("numSamples") ?? [])]).toEqual(["decoding"]);
    expect(vocabulary.aliases.has("numBeamGroups")).toBe(false);
  });

  it("the docs app depends on every package in packages/ (so turbo builds each before this test)", () => {
    expect(packages.length).toBeGreaterThanOrEqual(5);
    const deps = docsDependencies();
    expect(packages.filter((pkg) => !deps.includes(`@hw/${pkg}`))).toEqual([]);
  });

  it("the packages export option interfaces (the reader finds them)", () => {
    expect(options.length).toBeGreaterThan(50);
    expect(options.map((o) => o.id)).toContain("tensor:ReduceOptions.keepDims");
    expect(options.map((o) => o.id)).toContain("tensor:VarianceOptions.keepDims");
  });

  it("the checker rejects an unlisted name, an undeprecated alias and an unlisted deprecation", () => {
    expect(violation({ id: "x:A.lambd", pkg: "regularization", name: "lambd", deprecated: false })).toMatch(/not in the "hw name" column/);
    expect(violation({ id: "x:A.numGroups", pkg: "decoding", name: "numGroups", deprecated: false })).toMatch(/without @deprecated/);
    expect(violation({ id: "x:A.numGroups", pkg: "decoding", name: "numGroups", deprecated: true })).toBeUndefined();
    expect(violation({ id: "x:A.numSamples", pkg: "decoding", name: "numSamples", deprecated: false })).toMatch(/without @deprecated/);
    expect(violation({ id: "x:A.numSamples", pkg: "regularization", name: "numSamples", deprecated: false })).toBeUndefined();
    // `topK` is decoding's sampling option and exhaustiveSearch's deprecated spelling of numReturnSequences.
    expect(violation({ id: "x:SampleOptions.topK", pkg: "decoding", name: "topK", deprecated: false })).toBeUndefined();
    expect(violation({ id: "x:ExhaustiveSearchOptions.topK", pkg: "decoding", name: "topK", deprecated: true })).toBeUndefined();
    expect(violation({ id: "x:A.axes", pkg: "tensor", name: "axes", deprecated: true })).toMatch(/not in the "Deprecated aliases"/);
  });

  it.each(packages)("@hw/%s: every exported option name is in the table, every alias is @deprecated", (pkg) => {
    expect(built, `@hw/${pkg} has no dist/index.d.ts: build it first`).toContain(pkg);
    const problems = options
      .filter((o) => o.pkg === pkg && !pending.has(`${o.pkg}:${o.name}`))
      .map(violation)
      .filter((v) => v !== undefined);
    expect(problems).toEqual([]);
  });

  it("PENDING lists only names that still mismatch (empty it as the renames land)", () => {
    const stillMismatching = new Set(options.filter((o) => violation(o) !== undefined).map((o) => `${o.pkg}:${o.name}`));
    expect(PENDING.filter((id) => !stillMismatching.has(id))).toEqual([]);
  });
});
