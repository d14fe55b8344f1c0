"""A case run's report for CI: JUnit XML (one test case per YAML case, a failure with its
differences) and JSON (versioned: ``{"version": 1, "results": [...], "coverage": {...}}``)."""

from __future__ import annotations

from xml.etree import ElementTree

import orjson

from governance_core.testing.cases import KINDS, Report

__all__ = ["JSON_VERSION", "report_json", "report_junit"]

JSON_VERSION = 1


def report_json(report: Report) -> bytes:
    """Every case with where it is, whether it passed and how it differed; coverage per kind
    with the rules no case exercised."""
    coverage = report.coverage
    data = {
        "version": JSON_VERSION,
        "passed": len(report.results) - len(report.failed),
        "failed": len(report.failed),
        "results": [
            {
                "file": str(r.file),
                "line": r.line,
                "name": r.name,
                "passed": r.passed,
                "differences": list(r.differences),
            }
            for r in report.results
        ],
        "coverage": {
            "percent": round(coverage.percent, 1),
            "kinds": {
                kind: {
                    "rules": len(coverage.rules[kind]),
                    "exercised": len(coverage.rules[kind] & coverage.exercised[kind]),
                    "missing": coverage.missing(kind),
                }
                for kind in KINDS
            },
        },
    }
    return orjson.dumps(data)


def report_junit(report: Report) -> bytes:
    """JUnit XML, as CI servers read it: a suite per case file, a case per YAML case."""
    root = ElementTree.Element("testsuites", name="governance test")
    suites: dict[str, ElementTree.Element] = {}
    for r in report.results:
        suite = suites.get(str(r.file))
        if suite is None:
            suite = ElementTree.SubElement(root, "testsuite", name=str(r.file))
            suites[str(r.file)] = suite
        case = ElementTree.SubElement(
            suite,
            "testcase",
            name=r.name,
            classname=str(r.file),
            file=str(r.file),
            line=str(r.line),
        )
        if not r.passed:
            failure = ElementTree.SubElement(case, "failure", message=r.differences[0])
            failure.text = "\n".join(r.differences) + ("\n" + r.diff if r.diff else "")
    for suite in suites.values():
        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    root.set("tests", str(len(report.results)))
    root.set("failures", str(len(report.failed)))
    written: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return written
