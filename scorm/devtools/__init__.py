"""Tooling for tests and the demo seed, never imported by the product at run time.

`package_builder` builds SCORM packages in memory (with the probe SCO) for the unit, database
and browser tests and for the demo course (`demo/scorm.py`). Nothing under scorm/ outside
its tests imports this package: a package an author uploads is read by scorm.archive and
scorm.manifest only.
"""
