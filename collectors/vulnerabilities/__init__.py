"""Known vulnerabilities of the package versions in use, from the sources organisations already have.

One module per input format: CycloneDX vulnerabilities and VEX (:mod:`.cyclonedx`), OSV-Scanner's JSON output
(:mod:`.osv_scanner`), a folder of OSV records for air-gapped use (:mod:`.osv_folder`), and the registries'
own answers already stored by the refresh (:mod:`.pypi`). Each gives a :class:`~.model.VulnerabilityReport`:
the findings, and which package versions the source covered, so "no vulnerability known" is told apart from
"no vulnerability data collected".
"""
