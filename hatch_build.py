"""Build kam's native YAML reader (native/kamyaml.c + the vendored libyaml) into the wheel.

kam works without it: when no C compiler is at hand (or KAM_PURE=1 is set) the wheel
is pure Python and kam reads YAML through ruamel.yaml.clib's libyaml events instead,
with the same results, only slower. For an editable install the module is built next
to the sources (src/kamtool/), where the editable install finds it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

NATIVE = Path("native")
LIBYAML = NATIVE / "libyaml"
SOURCES = [
    NATIVE / "kamyaml.c",
    NATIVE / "libyaml_api.c",  # api.c with allocations by Python (see the file)
    *(LIBYAML / n for n in ("parser.c", "reader.c", "scanner.c")),
]


def compile_native(root: Path, out_dir: Path) -> Path:
    """Compile the extension with setuptools' compiler support (any platform); return it."""
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    ext = Extension(
        "kamtool._kamyaml",
        sources=[str(root / s) for s in SOURCES],
        include_dirs=[str(root / LIBYAML)],
        define_macros=[("HAVE_CONFIG_H", "1"), ("YAML_DECLARE_STATIC", "1")],
    )
    dist = Distribution({"name": "kamtool", "ext_modules": [ext]})
    cmd = build_ext(dist)
    cmd.build_lib = str(out_dir)
    cmd.build_temp = str(out_dir / "temp")
    cmd.ensure_finalized()
    cmd.run()
    return Path(cmd.get_ext_fullpath("kamtool._kamyaml"))


class NativeReaderHook(BuildHookInterface):
    PLUGIN_NAME = "kam-native-reader"
    work: Path | None = None

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        if version == "editable":  # a module left by an earlier build must not outlive this one
            for old in (root / "src" / "kamtool").glob("_kamyaml*"):
                old.unlink()
        if os.environ.get("KAM_PURE"):
            return
        self.work = Path(tempfile.mkdtemp(prefix="kam-native-"))
        try:
            built = compile_native(root, self.work)
        except Exception as exc:  # no compiler, no headers: kam stays pure Python
            self.app.display_warning(
                f"kam: the native YAML reader was not built ({exc}); kam will use the Python reader"
            )
            return
        if version == "editable":
            shutil.copy2(built, root / "src" / "kamtool" / built.name)
        else:
            build_data["force_include"][str(built)] = f"kamtool/{built.name}"
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        """The wheel holds its copy of the module now: the compiler's work folder can go."""
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)
