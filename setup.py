"""Build step for the wheel and sdist (metadata is in pyproject.toml).

The package must serve Chinese pages and draw diagrams when installed with pip, so the build
compiles the translations (.po -> .mo) and refuses to go on without the bpmn-js bundle in
service/static/dist (built by `npm ci && npm run build`, or `make install`). The workflows,
forms and migrations travel inside the package as service/shipped/.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLE = ["service/static/dist/viewer.js", "service/static/dist/modeler.js",
          "service/static/dist/bpmn-js/bpmn-js.css"]
SHIPPED = ["workflows", "forms", "migrations"]


def compile_translations():
    """Compile every messages.po next to it (Babel, which Flask-Babel brings)."""
    for po in HERE.glob("service/translations/*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        try:
            from babel.messages.mofile import write_mo
            from babel.messages.pofile import read_po
        except ImportError:
            if not mo.exists():
                raise SystemExit(f"{mo} is missing and Babel is not installed to compile it: "
                                 "pip install Babel, or run `pybabel compile -d "
                                 "service/translations` first") from None
            continue
        with po.open("rb") as source:
            catalog = read_po(source)
        with mo.open("wb") as target:
            write_mo(target, catalog)


class BuildWithAssets(build_py):
    """build_py that compiles translations, checks the bundle and copies shipped data."""

    def run(self):
        if getattr(self, "editable_mode", False):
            # `pip install -e .` (make install) serves the source tree, where make builds the
            # bundle and the catalogues after installing the Python packages.
            super().run()
            return
        missing = [path for path in BUNDLE if not (HERE / path).is_file()]
        if missing:
            raise SystemExit(
                "the bpmn-js bundle is not built (missing: " + ", ".join(missing) + "). "
                "Run `npm ci && npm run build` (or `make install`) before building the package;"
                " without it the installed service cannot draw diagrams.")
        compile_translations()
        super().run()
        for name in SHIPPED:
            source = HERE / name
            if source.is_dir():
                target = Path(self.build_lib) / "service" / "shipped" / name
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(source, target,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithAssets})
