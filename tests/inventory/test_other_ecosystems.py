"""JVM, Go, Rust, PHP, .NET and Ruby inputs, each checked against its own tool's view of the same tree.

Fixtures made by the real tools on this machine, from manifests written for these tests:
- cargo/: ``cargo generate-lockfile`` (cargo 1.95) on cargo/Cargo.toml;
- go/: ``go mod tidy`` and ``go mod graph > go-mod-graph.txt`` (go 1.26) on a go.mod requiring cobra;
- maven/: ``mvn dependency:tree`` (maven-dependency-plugin 3.8.1: -DoutputFile, -DoutputType=json, and
  the console form) and ``mvn org.cyclonedx:cyclonedx-maven-plugin:2.9.1:makeAggregateBom
  -DoutputFormat=all`` (bom.json, bom.xml) on maven/pom.xml.
Hand-written from the formats' documentation, because Composer, dotnet, Bundler and Gradle do not run
here: composer/, nuget/, ruby/, gradle/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.errors import InputError
from collectors.inventory.detect import detect_format, files_in_directory
from collectors.inventory.graph import depths
from collectors.inventory.model import Inventory
from collectors.inventory.read import read_file
from tests.inventory.helpers import FIXTURES, edges, table


def _depth_counts(inventory: Inventory) -> dict[int | None, int]:
    depth = depths(inventory.roots, inventory.edges)
    counts: dict[int | None, int] = {}
    for component in inventory.components:
        d = depth.get(component.key)
        counts[d] = counts.get(d, 0) + 1
    return counts


def test_cargo_lock_with_its_manifest_matches_cargo_tree() -> None:
    inventory = read_file(FIXTURES / "cargo" / "Cargo.lock")
    assert (inventory.format, inventory.name) == ("cargo-lock", "estate-tool")
    # `cargo generate-lockfile`: "Locking 15 packages"; `cargo tree --target all -e normal,dev` lists the
    # same 15 below estate-tool, with 3 direct (anyhow, serde_json; pretty_assertions as a dev-dependency).
    assert len(inventory.components) == 15
    assert len(inventory.edges) == 17  # the lockfile's dependency lists, the root's three aside
    rows = table(inventory)
    assert rows["pkg:cargo/anyhow@1.0.105"] == ("runtime", "", 1)
    assert rows["pkg:cargo/serde_json@1.0.154"] == ("runtime", "", 1)
    assert rows["pkg:cargo/pretty_assertions@1.4.1"] == ("dev", "", 1)
    assert rows["pkg:cargo/diff@0.1.13"] == ("dev", "", 2)  # only under the dev-dependency
    assert rows["pkg:cargo/yansi@1.0.1"] == ("dev", "", 2)
    # serde_json -> serde_core -> serde_derive -> syn -> unicode-ident: the shortest paths
    assert rows["pkg:cargo/serde_derive@1.0.229"] == ("runtime", "", 3)
    assert rows["pkg:cargo/unicode-ident@1.0.27"] == ("runtime", "", 5)
    assert _depth_counts(inventory) == {1: 3, 2: 7, 3: 1, 4: 3, 5: 1}
    assert inventory.skips == ()


def test_cargo_lock_without_its_manifest_says_kinds_are_unknown(tmp_path: Path) -> None:
    lock = tmp_path / "Cargo.lock"
    lock.write_text((FIXTURES / "cargo" / "Cargo.lock").read_text())
    inventory = read_file(lock)
    assert table(inventory)["pkg:cargo/pretty_assertions@1.4.1"] == ("runtime", "", 1)
    assert [s.reason for s in inventory.skips] == [
        "no Cargo.toml beside the lockfile: direct dependencies taken as runtime"
    ]


def test_a_dependency_free_cargo_lock_is_not_a_uv_lock(tmp_path: Path) -> None:
    lock = tmp_path / "Cargo.lock"
    lock.write_text('version = 4\n\n[[package]]\nname = "hello"\nversion = "0.1.0"\n')
    assert detect_format(lock) == "cargo-lock"
    inventory = read_file(lock)
    assert (inventory.name, inventory.components) == ("hello", ())


def test_go_mod_graph_with_go_mod_beside_it_matches_go_mod_graph() -> None:
    inventory = read_file(FIXTURES / "go" / "go-mod-graph.txt")
    assert (inventory.format, inventory.name) == ("go-mod-graph", "example.org/estate/gotool")
    # `go mod graph`: 11 lines, 7 modules besides the main one and the go/toolchain pseudo-modules;
    # 3 lines from the main module (cobra direct, mousetrap and pflag `// indirect` in go.mod).
    assert table(inventory) == {
        "pkg:golang/github.com/spf13/cobra@v1.8.1": ("runtime", "", 1),
        "pkg:golang/github.com/inconshreveable/mousetrap@v1.1.0": ("runtime", "", 2),
        "pkg:golang/github.com/spf13/pflag@v1.0.5": ("runtime", "", 2),
        "pkg:golang/github.com/cpuguy83/go-md2man/v2@v2.0.4": ("runtime", "", 2),
        "pkg:golang/gopkg.in/yaml.v3@v3.0.1": ("runtime", "", 2),
        "pkg:golang/github.com/russross/blackfriday/v2@v2.1.0": ("runtime", "", 3),
        "pkg:golang/gopkg.in/check.v1@v0.0.0-20161208181325-20d25e280405": ("runtime", "", 3),
    }
    assert len(inventory.edges) == 6


def test_go_mod_graph_keeps_the_version_minimal_version_selection_picks(tmp_path: Path) -> None:
    graph = tmp_path / "graph.txt"
    graph.write_text(
        "example.org/app example.org/a@v1.0.0\n"
        "example.org/app example.org/b@v1.0.0\n"
        "example.org/a@v1.0.0 example.org/c@v1.2.0\n"
        "example.org/b@v1.0.0 example.org/c@v1.10.0\n"
        "example.org/c@v1.2.0 example.org/old@v0.1.0\n"
    )
    inventory = read_file(graph)
    assert table(inventory) == {
        "pkg:golang/example.org/a@v1.0.0": ("runtime", "", 1),
        "pkg:golang/example.org/b@v1.0.0": ("runtime", "", 1),
        "pkg:golang/example.org/c@v1.10.0": ("runtime", "", 2),  # v1.10.0 > v1.2.0
        "pkg:golang/example.org/old@v0.1.0": ("runtime", "", None),  # only c@v1.2.0 asked for it
    }


def test_go_mod_alone_gives_direct_and_indirect_without_depths() -> None:
    inventory = read_file(FIXTURES / "go" / "go.mod")
    assert (inventory.format, inventory.name) == ("go-mod", "example.org/estate/gotool")
    assert table(inventory) == {
        "pkg:golang/github.com/spf13/cobra@v1.8.1": ("runtime", "", 1),
        "pkg:golang/github.com/inconshreveable/mousetrap@v1.1.0": ("runtime", "", None),
        "pkg:golang/github.com/spf13/pflag@v1.0.5": ("runtime", "", None),
    }


def test_go_mod_replace_and_go_sum(tmp_path: Path) -> None:
    mod = tmp_path / "go.mod"
    mod.write_text(
        "// tools\nmodule example.org/x\n\ngo 1.22\n\nrequire (\n\texample.org/a v1.0.0\n"
        "\texample.org/local v0.0.0\n)\n\nreplace example.org/a => example.org/fork v1.0.1\n"
        "replace example.org/local => ../local\n"
    )
    inventory = read_file(mod)
    assert table(inventory) == {"pkg:golang/example.org/fork@v1.0.1": ("runtime", "", 1)}
    assert [s.where for s in inventory.skips] == ["line 8"]
    summed = read_file(FIXTURES / "go" / "go.sum")
    # go.sum: 10 lines, 3 modules whose content was checked (the others' go.mod only)
    assert sorted(table(summed)) == [
        "pkg:golang/github.com/inconshreveable/mousetrap@v1.1.0",
        "pkg:golang/github.com/spf13/cobra@v1.8.1",
        "pkg:golang/github.com/spf13/pflag@v1.0.5",
    ]
    assert set(_depth_counts(summed)) == {None}


MAVEN_TREE = {
    # `mvn dependency:tree`: 11 artifacts below ledger-service, 3 direct, 8 edges
    "pkg:maven/com.google.guava/guava@33.3.1-jre": ("runtime", "", 1),
    "pkg:maven/com.google.guava/failureaccess@1.0.2": ("runtime", "", 2),
    "pkg:maven/com.google.guava/listenablefuture@9999.0-empty-to-avoid-conflict-with-guava": (
        "runtime",
        "",
        2,
    ),
    "pkg:maven/com.google.code.findbugs/jsr305@3.0.2": ("runtime", "", 2),
    "pkg:maven/org.checkerframework/checker-qual@3.43.0": ("runtime", "", 2),
    "pkg:maven/com.google.errorprone/error_prone_annotations@2.28.0": ("runtime", "", 2),
    "pkg:maven/com.google.j2objc/j2objc-annotations@3.0.0": ("runtime", "", 2),
    "pkg:maven/org.slf4j/slf4j-simple@2.0.16": ("runtime", "", 1),  # scope runtime
    "pkg:maven/org.slf4j/slf4j-api@2.0.16": ("runtime", "", 2),
    "pkg:maven/junit/junit@4.13.2": ("dev", "", 1),  # scope test
    "pkg:maven/org.hamcrest/hamcrest-core@1.3": ("dev", "", 2),
}


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("dependency-tree.txt", "maven-tree"),
        ("dependency-tree-console.txt", "maven-tree"),
        ("dependency-tree.json", "maven-tree-json"),
    ],
)
def test_mvn_dependency_tree_text_console_and_json(name: str, form: str) -> None:
    inventory = read_file(FIXTURES / "maven" / name)
    assert (inventory.format, inventory.name) == ("maven-tree", "ledger-service")
    assert detect_format(FIXTURES / "maven" / name) == form
    assert table(inventory) == MAVEN_TREE
    assert len(inventory.edges) == 8


@pytest.mark.parametrize("name", ["bom.json", "bom.xml"])
def test_cyclonedx_maven_plugin_sbom_has_the_tree_of_mvn(name: str) -> None:
    inventory = read_file(FIXTURES / "maven" / name)
    assert inventory.name == "ledger-service"
    # The plugin's default scopes are compile, provided, runtime and system: the tree without junit.
    expected = {k: v for k, v in MAVEN_TREE.items() if v[0] != "dev"}
    assert table(inventory) == expected
    assert len(inventory.edges) == 7
    assert inventory.skips == ()


def test_mvn_verbose_tree_keeps_duplicates_as_edges(tmp_path: Path) -> None:
    tree = tmp_path / "tree.txt"
    tree.write_text(
        "org.example:app:jar:1.0\n"
        "+- org.example:a:jar:1.0:compile\n"
        "|  \\- org.example:shared:jar:2.0:compile\n"
        "\\- org.example:b:jar:1.0:compile (optional)\n"
        "   +- (org.example:shared:jar:2.0:compile - omitted for duplicate)\n"
        "   \\- (org.example:shared:jar:1.0:compile - omitted for conflict with 2.0)\n"
    )
    inventory = read_file(tree)
    assert table(inventory) == {
        "pkg:maven/org.example/a@1.0": ("runtime", "", 1),
        "pkg:maven/org.example/b@1.0": ("optional", "", 1),
        "pkg:maven/org.example/shared@2.0": ("runtime", "", 2),
    }
    assert edges(inventory) == {
        ("pkg:maven/org.example/a@1.0", "pkg:maven/org.example/shared@2.0"),
        ("pkg:maven/org.example/b@1.0", "pkg:maven/org.example/shared@2.0"),
    }


def test_gradle_dependencies_output() -> None:
    """Hand-written from https://docs.gradle.org/current/userguide/viewing_debugging_dependencies.html
    (no Gradle on this machine): the same service as maven/, with a project module."""
    inventory = read_file(FIXTURES / "gradle" / "dependencies.txt")
    assert inventory.format == "gradle-tree"
    rows = table(inventory)
    assert len(rows) == 11
    assert rows["pkg:maven/com.google.guava/guava@33.3.1-jre"] == ("runtime", "", 1)
    assert rows["pkg:maven/org.slf4j/slf4j-api@2.0.16"] == ("runtime", "", 1)  # via project :ledger-core
    assert rows["pkg:maven/junit/junit@4.13.2"] == ("dev", "", 1)  # only in testRuntimeClasspath
    assert rows["pkg:maven/org.hamcrest/hamcrest-core@1.3"] == ("dev", "", 2)
    assert "pkg:maven/org.slf4j/slf4j-api@2.0.9" not in rows  # 2.0.9 -> 2.0.16: the selected version
    assert len(inventory.edges) == 8


def test_gradle_lockfile_is_flat() -> None:
    """Hand-written from https://docs.gradle.org/current/userguide/dependency_locking.html."""
    inventory = read_file(FIXTURES / "gradle" / "gradle.lockfile")
    rows = table(inventory)
    assert len(rows) == 11
    assert rows["pkg:maven/junit/junit@4.13.2"] == ("dev", "", None)  # test classpaths only
    assert rows["pkg:maven/org.slf4j/slf4j-api@2.0.16"] == ("runtime", "", None)
    assert inventory.edges == () and inventory.roots == ()


def test_composer_lock_with_composer_json() -> None:
    """Hand-written from https://getcomposer.org/doc/01-basic-usage.md (no Composer on this machine)."""
    inventory = read_file(FIXTURES / "composer" / "composer.lock")
    assert (inventory.format, inventory.name) == ("composer-lock", "estate/billing")
    assert table(inventory) == {
        "pkg:composer/monolog/monolog@3.7.0": ("runtime", "^3.7", 1),
        "pkg:composer/psr/log@3.0.2": ("runtime", "", 2),
        "pkg:composer/mockery/mockery@1.6.12": ("dev", "^1.6", 1),  # packages-dev
        "pkg:composer/hamcrest/hamcrest-php@v2.0.1": ("dev", "", 2),
    }
    assert inventory.skips == ()  # php, ext-json and lib-pcre are platform requirements


def test_nuget_packages_lock() -> None:
    """Hand-written from the NuGet lock file documentation (no dotnet on this machine)."""
    inventory = read_file(FIXTURES / "nuget" / "packages.lock.json")
    assert inventory.format == "nuget-lock"
    assert table(inventory) == {
        "pkg:nuget/newtonsoft.json@13.0.3": ("runtime", "[13.0.3, )", 1),
        "pkg:nuget/serilog.sinks.console@6.0.0": ("runtime", "[6.0.0, )", 1),
        "pkg:nuget/serilog@4.0.0": ("runtime", "", 2),  # both frameworks: one component
    }


def test_gemfile_lock() -> None:
    """Hand-written in Bundler's lockfile format (no Bundler on this machine)."""
    inventory = read_file(FIXTURES / "ruby" / "Gemfile.lock")
    assert inventory.format == "gemfile-lock"
    rows = table(inventory)
    assert len(rows) == 11  # nokogiri's two platforms are one gem at one version
    assert rows["pkg:gem/nokogiri@1.16.7"] == ("runtime", "~> 1.16", 1)
    assert rows["pkg:gem/sinatra@4.0.0"] == ("runtime", "~> 4.0", 1)
    assert rows["pkg:gem/rack@3.1.8"] == ("runtime", "", 2)
    assert rows["pkg:gem/ruby2_keywords@0.0.5"] == ("runtime", "", 3)
    assert len(inventory.edges) == 10
    assert [s.reason for s in inventory.skips] == [
        "Gemfile groups are not in the lockfile: every gem taken as runtime"
    ]


@pytest.mark.parametrize(
    ("directory", "chosen"),
    [
        ("cargo", "Cargo.lock"),
        ("go", "gotool.cdx.json"),  # an SBOM in the directory wins alone
        ("composer", "composer.lock"),
        ("nuget", "packages.lock.json"),
        ("ruby", "Gemfile.lock"),
        ("gradle", "gradle.lockfile"),
        ("maven", "bom.json"),
    ],
)
def test_directory_rule_finds_each_ecosystem(directory: str, chosen: str) -> None:
    assert [p.name for p in files_in_directory(FIXTURES / directory)] == [chosen]


def test_directory_rule_takes_go_mod_before_go_sum(tmp_path: Path) -> None:
    for name in ("go.mod", "go.sum"):
        (tmp_path / name).write_text((FIXTURES / "go" / name).read_text())
    assert [p.name for p in files_in_directory(tmp_path)] == ["go.mod"]


def test_a_pom_is_refused_with_what_to_give_instead() -> None:
    with pytest.raises(InputError, match="mvn dependency:tree"):
        read_file(FIXTURES / "maven" / "pom.xml")


def test_cargo_workspace_members_are_own_code_with_their_manifests() -> None:
    """cargo-workspace/: `cargo generate-lockfile` on a workspace of two crates (cli depends on core by
    path). `cargo tree --target all -e normal,dev` lists anyhow under cli, itoa and diff (dev) under core;
    memchr is an optional dependency whose feature is off, so cargo tree leaves it out."""
    inventory = read_file(FIXTURES / "cargo-workspace" / "Cargo.lock")
    assert table(inventory) == {
        "pkg:cargo/anyhow@1.0.105": ("runtime", "", 1),
        "pkg:cargo/itoa@1.0.19": ("runtime", "", 1),
        "pkg:cargo/diff@0.1.13": ("dev", "", 1),
        "pkg:cargo/memchr@2.8.3": ("optional", "", 1),
    }
    assert inventory.skips == ()


def test_mvn_reactor_modules_are_own_code(tmp_path: Path) -> None:
    """Two modules of one build, in the console form (the shape of maven-dependency-plugin's output):
    web depends on core, which is own code, not a package; core's dependencies come from its own tree."""
    tree = tmp_path / "tree.log"
    tree.write_text(
        "[INFO] --- dependency:3.8.1:tree (default-cli) @ core ---\n"
        "[INFO] org.example:core:jar:1.0\n"
        "[INFO] \\- org.slf4j:slf4j-api:jar:2.0.16:compile\n"
        "[INFO] --- dependency:3.8.1:tree (default-cli) @ web ---\n"
        "[INFO] org.example:web:war:1.0\n"
        "[INFO] +- org.example:core:jar:1.0:compile\n"
        "[INFO] |  \\- org.slf4j:slf4j-api:jar:2.0.16:compile\n"
        "[INFO] \\- junit:junit:jar:4.13.2:test\n"
        "[INFO]    \\- org.hamcrest:hamcrest-core:jar:1.3:test\n"
    )
    inventory = read_file(tree)
    assert table(inventory) == {
        "pkg:maven/org.slf4j/slf4j-api@2.0.16": ("runtime", "", 1),
        "pkg:maven/junit/junit@4.13.2": ("dev", "", 1),
        "pkg:maven/org.hamcrest/hamcrest-core@1.3": ("dev", "", 2),
    }


def test_cyclonedx_gomod_sbom_agrees_with_go_mod_graph() -> None:
    """go/gotool.cdx.json: `cyclonedx-gomod mod -json` (v1.9.0) on the same module. It lists the build
    list only (cobra, and its two requirements the build needs), the same packages and depths as the
    graph read with the go.mod beside it, with purls that carry type, goos and goarch qualifiers."""
    inventory = read_file(FIXTURES / "go" / "gotool.cdx.json")
    graph = table(read_file(FIXTURES / "go" / "go-mod-graph.txt"))
    assert table(inventory) == {
        purl: row for purl, row in graph.items() if "cobra" in purl or "mousetrap" in purl or "pflag" in purl
    }
