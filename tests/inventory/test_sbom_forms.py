"""SBOM forms beyond CycloneDX JSON and SPDX 2.3 JSON, and the SPDX and CycloneDX graph fixes.

Fixtures made by the real tools from manifests written for these tests:
- npm-spdx/sbom.spdx.json: ``npm sbom --sbom-format spdx --package-lock-only`` (npm 11.19) on
  npm-spdx/package.json; ``npm ls --all`` shows the same 7 packages (react-dom's peer react included);
- npm-spdx/sbom.spdx: that document converted to tag-value by spdx-tools 0.8.5 (``pyspdxtools -i ... -o
  sbom.spdx``; the creation time's milliseconds removed first, as spdx-tools refuses them);
- cdx-xml/bom-1.x.cdx.xml: ``cyclonedx-py environment --of XML --sv 1.x`` (cyclonedx-bom 7.5) on a
  virtual environment where ``pip install requests==2.32.3`` ran; ``pip list``: 7 packages;
- uv-editable/bom.cdx.json: ``uv export --format cyclonedx1.5 --preview`` of uv-editable/pyproject.toml,
  whose corelib dependency is a local editable path (uv writes it without a purl).
Hand-written from the SPDX 3.0.1 specification (no SPDX 3 writer here): spdx3/estate-front.spdx3.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collectors.errors import InputError
from collectors.inventory.detect import detect_format
from collectors.inventory.read import read_file
from tests.inventory.helpers import FIXTURES, edges, table

NPM_FRONT = {
    "pkg:npm/react-dom@18.3.1": ("runtime", "", 1),
    "pkg:npm/react@18.3.1": ("runtime", "", 1),
    "pkg:npm/ms@2.1.3": ("optional", "", 1),  # OPTIONAL_DEPENDENCY_OF
    "pkg:npm/is-number@7.0.0": ("dev", "", 1),  # DEV_DEPENDENCY_OF
    "pkg:npm/loose-envify@1.4.0": ("runtime", "", 2),
    "pkg:npm/scheduler@0.23.2": ("runtime", "", 2),
    "pkg:npm/js-tokens@4.0.0": ("runtime", "", 3),
}


@pytest.mark.parametrize(("name", "form"), [("sbom.spdx.json", "spdx"), ("sbom.spdx", "spdx-tag-value")])
def test_npm_spdx_keeps_peer_dependencies_in_both_forms(name: str, form: str) -> None:
    path = FIXTURES / "npm-spdx" / name
    assert detect_format(path) == form
    inventory = read_file(path)
    assert inventory.name == "estate-front"
    assert table(inventory) == NPM_FRONT
    assert ("pkg:npm/react-dom@18.3.1", "pkg:npm/react@18.3.1") in edges(inventory)  # PREREQUISITE_FOR
    assert len(inventory.edges) == 6
    assert inventory.skips == ()


def test_spdx_optional_reach_is_optional_unless_a_runtime_path_reaches_it(tmp_path: Path) -> None:
    doc = json.loads((FIXTURES / "npm-spdx" / "sbom.spdx.json").read_text())
    # scheduler becomes an optional dependency of react-dom: nothing else needs it
    for rel in doc["relationships"]:
        if rel["spdxElementId"].startswith("SPDXRef-Package-scheduler"):
            rel["relationshipType"] = "OPTIONAL_DEPENDENCY_OF"
    path = tmp_path / "optional.spdx.json"
    path.write_text(json.dumps(doc))
    rows = table(read_file(path))
    assert rows["pkg:npm/scheduler@0.23.2"] == ("optional", "", 2)
    assert rows["pkg:npm/loose-envify@1.4.0"] == ("runtime", "", 2)  # react needs it at runtime too


def test_spdx_describing_every_package_is_read_as_the_inventory(tmp_path: Path) -> None:
    doc = json.loads((FIXTURES / "npm-spdx" / "sbom.spdx.json").read_text())
    doc["documentDescribes"] = [p["SPDXID"] for p in doc["packages"]]
    doc["relationships"] = [r for r in doc["relationships"] if r["relationshipType"] != "DESCRIBES"]
    doc["name"] = "estate-front"
    path = tmp_path / "all.spdx.json"
    path.write_text(json.dumps(doc))
    inventory = read_file(path)
    assert table(inventory) == NPM_FRONT  # not an empty application
    assert [s.where for s in inventory.skips] == ["documentDescribes"]


def test_spdx3_json_ld() -> None:
    inventory = read_file(FIXTURES / "spdx3" / "estate-front.spdx3.json")
    assert detect_format(FIXTURES / "spdx3" / "estate-front.spdx3.json") == "spdx3"
    assert inventory.name == "estate-front"
    assert table(inventory) == {
        "pkg:npm/react-dom@18.3.1": ("runtime", "", 1),
        "pkg:npm/react@18.3.1": ("runtime", "", 1),
        "pkg:npm/ms@2.1.3": ("optional", "", 1),  # hasOptionalDependency
        "pkg:npm/is-number@7.0.0": ("dev", "", 1),  # dependsOn, lifecycle scope development
        "pkg:npm/loose-envify@1.4.0": ("runtime", "", 2),
    }
    assert ("pkg:npm/react-dom@18.3.1", "pkg:npm/react@18.3.1") in edges(inventory)  # hasPrerequisite


def test_json_ld_that_is_not_spdx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"@context": "https://schema.org", "@graph": []}')
    with pytest.raises(InputError, match="not SPDX 3"):
        read_file(path)


@pytest.mark.parametrize("spec", ["1.4", "1.5", "1.6"])
def test_cyclonedx_xml_from_cyclonedx_py(spec: str) -> None:
    path = FIXTURES / "cdx-xml" / f"bom-{spec}.cdx.xml"
    assert detect_format(path) == "cyclonedx-xml"
    inventory = read_file(path)
    # `pip list` in that environment: 7 packages; the tool's own component in metadata is not one
    assert table(inventory) == {
        "pkg:pypi/requests@2.32.3": ("runtime", "", 1),
        "pkg:pypi/setuptools@65.5.0": ("runtime", "", 1),
        "pkg:pypi/certifi@2026.10.19.post1": ("runtime", "", 2),
        "pkg:pypi/charset-normalizer@3.5.3": ("runtime", "", 2),
        "pkg:pypi/idna@3.20": ("runtime", "", 2),
        "pkg:pypi/urllib3@2.8.0": ("runtime", "", 2),
        "pkg:pypi/pip@23.2.1": ("runtime", "", 2),  # setuptools -> pip, as the tool wrote it
    }
    assert len(inventory.edges) == 5


def test_cyclonedx_xml_nested_components_scopes_and_unknown_refs(tmp_path: Path) -> None:
    path = tmp_path / "bom.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">'
        '<metadata><component type="application" bom-ref="app"><name>xml-app</name></component></metadata>'
        "<components>"
        '<component type="library" bom-ref="a"><name>a</name><version>1</version><purl>pkg:pypi/a@1</purl>'
        '<components><component type="library" bom-ref="n"><name>n</name><version>2</version>'
        "<scope>optional</scope><purl>pkg:npm/n@2</purl></component></components></component>"
        '<component type="library" bom-ref="t"><name>t</name><version>3</version><scope>excluded</scope>'
        "<purl>pkg:pypi/t@3</purl></component>"
        "</components><dependencies>"
        '<dependency ref="app"><dependency ref="a"/><dependency ref="t"/></dependency>'
        '<dependency ref="a"><dependency ref="n"/><dependency ref="ghost"/></dependency>'
        "</dependencies></bom>"
    )
    inventory = read_file(path)
    assert inventory.name == "xml-app"
    assert table(inventory) == {
        "pkg:pypi/a@1": ("runtime", "", 1),
        "pkg:npm/n@2": ("optional", "", 2),
        "pkg:pypi/t@3": ("dev", "", 1),
    }
    assert [s.where for s in inventory.skips] == ["dependencies/dependency[1].dependsOn[1]"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (  # entity expansion ("billion laughs")
            '<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            '<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components>&b;</components></bom>',
            "document type declaration is refused",
        ),
        (  # an external entity
            '<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components>&x;</components></bom>',
            "document type declaration is refused",
        ),
        (  # an entity never declared
            '<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components>&x;</components></bom>',
            "invalid or unsafe XML",
        ),
        (
            '<bom xmlns="http://cyclonedx.org/schema/bom/1.6">' + "<x>" * 100 + "</x>" * 100 + "</bom>",
            "nested deeper than 64",
        ),
        ('<bom xmlns="http://cyclonedx.org/schema/bom/1.1"></bom>', "specVersion '1.1' is not supported"),
        ('<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components>', "invalid or unsafe XML"),
        ('<?xml version="1.0"?><project xmlns="http://maven.apache.org/POM/4.0.0"/>', "pom.xml"),
        ('<?xml version="1.0"?><html/>', "XML that is not a CycloneDX SBOM"),
    ],
)
def test_hostile_or_wrong_xml_gets_one_clear_line(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bom.xml"
    path.write_text(body)
    with pytest.raises(InputError, match=message) as raised:
        read_file(path)
    assert str(raised.value).startswith(str(path))


def test_uv_export_of_an_editable_path_dependency_keeps_its_subtree() -> None:
    """uv writes the local editable corelib without a purl: it stays a node, and attrs and idna keep
    depth 2 below it (`uv tree`: estate-app -> certifi, corelib -> attrs, idna)."""
    inventory = read_file(FIXTURES / "uv-editable" / "bom.cdx.json")
    assert table(inventory) == {
        "pkg:generic/corelib@0.2.0": ("runtime", "", 1),
        "pkg:pypi/certifi@2026.10.19.post1": ("runtime", "", 1),
        "pkg:pypi/attrs@26.1.0": ("runtime", "", 2),
        "pkg:pypi/idna@3.20": ("runtime", "", 2),
    }
    assert [s.reason for s in inventory.skips] == [
        "component 'corelib' has no purl: kept in the graph as pkg:generic/corelib"
    ]
