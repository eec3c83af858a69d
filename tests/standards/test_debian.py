"""Debian virtual packages as an overlay: providers grouped by lineage (a recorded Packages excerpt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.cli import main
from analysis.standards import debian
from analysis.standards.catalogue import load_catalogue
from analysis.standards.scores import ImplementationFacts, implementation_diversity

PACKAGES = Path(__file__).resolve().parent.parent / "fixtures" / "standards" / "Packages"
FIXTURE = PACKAGES.parent / "catalogue"


@pytest.mark.parametrize(
    ("source", "lineage"),
    [
        ("gcc-12", "gcc"),
        ("gcc-defaults", "gcc"),
        ("llvm-toolchain-14", "llvm"),
        ("tcc", "tcc"),
        ("openjdk-17", "openjdk"),
        ("exim4", "exim"),
        ("python3.11", "python"),
    ],
)
def test_lineage_of_a_source_family(source: str, lineage: str) -> None:
    assert debian.lineage_of(source) == lineage


def test_c_compiler_has_eleven_providers_and_four_lineages() -> None:
    found = debian.providers(PACKAGES.read_text().splitlines())
    compilers = [p for p in found if p.virtual == "c-compiler"]
    assert len(compilers) == 11
    assert {p.lineage for p in compilers} == {"gcc", "llvm", "tcc", "pcc"}
    assert {p.virtual for p in found} == {
        "c-compiler",
        "java-runtime",
        "java-runtime-headless",
        "mail-transport-agent",
    }
    facts = [ImplementationFacts(p.package, p.package, p.lineage, p.lineage) for p in compilers]
    assert implementation_diversity("c-compiler", facts).value == pytest.approx(4.0)
    java = [p for p in found if p.virtual.startswith("java-runtime")]
    assert {p.lineage for p in java} == {"openjdk"}  # java-runtime is OpenJDK alone


def test_import_debian_writes_an_overlay_that_validates(tmp_path: Path) -> None:
    output = tmp_path / "debian.toml"
    assert (
        main(["catalogue", "import-debian", "--packages-file", str(PACKAGES), "--output", str(output)]) == 0
    )
    catalogue = load_catalogue([output], shipped=None)
    assert "debian-c-compiler" in catalogue.interfaces
    gcc = catalogue.implementations[("debian-c-compiler", "system:gcc-12")]
    assert (gcc.lineage, gcc.steward, gcc.ecosystem) == ("gcc", "debian-gcc", "system")
    assert len(catalogue.implementations_of("debian-mail-transport-agent")) == 2


def test_import_debian_can_file_providers_under_a_catalogue_interface(tmp_path: Path) -> None:
    output = tmp_path / "debian.toml"
    args = ["catalogue", "import-debian", "--packages-file", str(PACKAGES), "--output", str(output)]
    assert main([*args, "--interface", "c-compiler=c-compiler"]) == 0
    catalogue = load_catalogue([output], shipped=FIXTURE)
    compilers = catalogue.implementations_of("c-compiler")
    assert "debian-c-compiler" not in catalogue.interfaces
    assert {i.subject for i in compilers} >= {"system:gcc", "system:gcc-12", "system:tcc", "system:pcc"}
    assert main([*args, "--interface", "c-compiler"]) == 2
