#!/usr/bin/env python3
"""Validates a JUnit report against the XSD files beside this script (xmlschema from PyPI).

Usage: validate-junit.py REPORT.xml SCHEMA.xsd...   Prints one line per schema; exit 1 if any fails.
"""
import os
import sys

import xmlschema

report, schemas = sys.argv[1], sys.argv[2:]
failed = False
for name in schemas:
    schema = xmlschema.XMLSchema(os.path.join(os.path.dirname(os.path.abspath(__file__)), name))
    errors = list(schema.iter_errors(report))
    for error in errors[:5]:
        print(f"{name}: {error.reason} at {error.path}")
    print(f"{name}: {'invalid' if errors else 'valid'}")
    failed = failed or bool(errors)
sys.exit(1 if failed else 0)
