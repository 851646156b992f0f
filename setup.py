"""Build of the one compiled module (ADR 0025); everything else is in pyproject.toml."""

from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    ext_modules=cythonize(
        [
            Extension(
                "masip.evidence.parsers._whatsapp_scan",
                ["masip/evidence/parsers/_whatsapp_scan.pyx"],
                libraries=["crypto"],
            )
        ],
        compiler_directives={"language_level": 3},
    )
)
