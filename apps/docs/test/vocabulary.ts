/** Reads the "Options and result fields" table of guide/vocabulary.md. */

export interface Vocabulary {
  /** Every name of the "hw name" column. */
  readonly names: ReadonlySet<string>;
  /** Every name of the "hw name" column, with the packages of its row's "Where" column (`*` for "everywhere"). */
  readonly nameScopes: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Every name of the "Deprecated aliases" column, with the packages of the row's "Where" column in
   * which it is an alias (`*` for "everywhere").
   */
  readonly aliases: ReadonlyMap<string, ReadonlySet<string>>;
}

const PACKAGE_WORDS = ["tensor", "rnn", "decoding", "normalization", "regularization", "problem-set"];

/** The cells of one GitHub-flavoured table row (`\|` is a literal bar). */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** The identifiers written as inline code in a cell: "`inputSize`, `hiddenSize`" → both. */
const codeNames = (cell: string): string[] => [...cell.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]!);

/** The packages a "Where" cell names, by their folder name. */
function packagesOf(where: string): Set<string> {
  if (/\bevery(where)?\b/.test(where)) return new Set(["*"]);
  return new Set(PACKAGE_WORDS.filter((word) => new RegExp(`(^|[\\s,(])${word}\\b`).test(where)));
}

/** Parse the vocabulary page: the table whose header has the columns "hw name" and "Deprecated aliases". */
export function parseVocabulary(markdown: string): Vocabulary {
  const lines = markdown.split("\n");
  const headerAt = lines.findIndex((line) => line.startsWith("|") && /\bhw name\b/.test(line));
  if (headerAt < 0) throw new Error('vocabulary: no table with an "hw name" column');
  const header = cells(lines[headerAt]!);
  const column = (title: string): number => {
    const at = header.findIndex((cell) => cell.toLowerCase() === title.toLowerCase());
    if (at < 0) throw new Error(`vocabulary: no "${title}" column in ${JSON.stringify(header)}`);
    return at;
  };
  const nameCol = column("hw name");
  const whereCol = column("Where");
  const aliasCol = column("Deprecated aliases");
  const names = new Set<string>();
  const nameScopes = new Map<string, Set<string>>();
  const aliases = new Map<string, Set<string>>();
  for (const line of lines.slice(headerAt + 2)) {
    if (!line.startsWith("|")) break;
    const row = cells(line);
    const rowScope = packagesOf(row[whereCol] ?? "");
    for (const name of codeNames(row[nameCol] ?? "")) {
      names.add(name);
      const scopes = nameScopes.get(name) ?? new Set<string>();
      for (const pkg of rowScope) scopes.add(pkg);
      nameScopes.set(name, scopes);
    }
    // "`learningRate` (rnn)": a parenthesis naming packages narrows the row's "Where" for that alias.
    for (const [, alias, note] of (row[aliasCol] ?? "").matchAll(/`([A-Za-z_$][\w$]*)`(?:\s*\(([^)]*)\))?/g)) {
      const narrowed = packagesOf(note ?? "");
      const scopes = aliases.get(alias!) ?? new Set<string>();
      for (const pkg of narrowed.size > 0 ? narrowed : rowScope) scopes.add(pkg);
      aliases.set(alias!, scopes);
    }
  }
  if (names.size === 0) throw new Error("vocabulary: the table has no names");
  return { names, nameScopes, aliases };
}
