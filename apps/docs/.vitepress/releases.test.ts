import { describe, expect, it } from "vitest";
import { changelogSections, compareVersions, groupReleases } from "./releases.data";

describe("the Releases page data", () => {
  it("reads a changelog's version sections", () => {
    const md = "# Changelog\n\n## 0.2.0\n\n### Minor Changes\n\n- Add `x`.\n\n## 0.1.0\n\n- First release.\n";
    expect(changelogSections(md)).toEqual([
      { version: "0.2.0", body: "### Minor Changes\n\n- Add `x`." },
      { version: "0.1.0", body: "- First release." },
    ]);
    expect(changelogSections("# Changelog\n")).toEqual([]);
  });

  it("groups the packages by version, newest first", () => {
    const releases = groupReleases([
      { name: "@hw/tensor", markdown: "## 0.10.0\n\n- T10\n\n## 0.9.1\n\n- T9\n" },
      { name: "@hw/rnn", markdown: "## 0.10.0\n\n- R10\n" },
    ]);
    expect(releases.map((r) => [r.version, r.packages.map((p) => p.name)])).toEqual([
      ["0.10.0", ["@hw/tensor", "@hw/rnn"]],
      ["0.9.1", ["@hw/tensor"]],
    ]);
    expect(["1.0.0-next.1", "0.2.0", "1.0.0", "0.10.0"].sort(compareVersions)).toEqual(["1.0.0", "1.0.0-next.1", "0.10.0", "0.2.0"]);
  });
});
