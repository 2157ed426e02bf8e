// How `changeset version` writes CHANGELOG.md entries (config.json → "changelog"). The default
// generator prefixes each entry with a commit hash and repeats "Updated dependencies" once per
// changeset; for release notes a course reads, an entry is the changeset's text as written (first
// line = the bullet, further lines and paragraphs — e.g. a "Migration:" note — indented under it), and
// the internal dependency bumps are one line naming the versions released together.
"use strict";

/** @type {import("@changesets/types").GetReleaseLine} */
async function getReleaseLine(changeset) {
  const [first, ...rest] = changeset.summary.trim().split("\n").map((line) => line.trimEnd());
  const body = rest.map((line) => (line === "" ? "" : `  ${line}`)).join("\n");
  return rest.length > 0 ? `- ${first}\n${body}` : `- ${first}`;
}

/** @type {import("@changesets/types").GetDependencyReleaseLine} */
async function getDependencyReleaseLine(_changesets, dependencies) {
  if (dependencies.length === 0) return "";
  const names = dependencies.map((dependency) => `\`${dependency.name}\` ${dependency.newVersion}`).join(", ");
  return `- Depends on ${names}, released together with this version.`;
}

module.exports = { default: { getReleaseLine, getDependencyReleaseLine } };
