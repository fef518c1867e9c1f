# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "TT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".yaml", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tt_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%shlibext", ".so"))
config.substitutions.append(("%tt_libs", config.tt_lib_dir))
config.substitutions.append(("%tt_src", config.tt_src_root))
config.substitutions.append(("%tt_obj", config.tt_obj_root))
config.substitutions.append(("%python", config.python_executable or "python3"))
# Compares two `tt-run --dump-logits` files against stated bounds.
config.substitutions.append(
    ("%compare_logits", "%s %s" % (config.python_executable or "python3",
                                   os.path.join(config.tt_src_root, "utils",
                                                "compare-logits.py"))))

# Real model files and configs beside the project (../shared), or where
# TT_SHARED_DIR points. Tests that need them are marked REQUIRES: shared-*.
shared = os.environ.get(
    "TT_SHARED_DIR", os.path.join(os.path.dirname(config.tt_src_root), "shared"))
config.substitutions.append(("%shared", shared))
if os.path.isdir(os.path.join(shared, "configs")):
    config.available_features.add("shared-configs")
if os.path.isdir(os.path.join(shared, "models")):
    config.available_features.add("shared-models")

# Multi-process runs (tt-run --tp/--pp) when the runtime has MPI and mpirun
# is on PATH; %mpirun also works as root, with more ranks than cores and on a
# machine without ssh (all ranks are local; OpenMPI only checks the agent).
import shutil
if getattr(config, "tt_have_mpi", "OFF") in ("ON", "1", "TRUE") and \
        shutil.which("mpirun"):
    config.available_features.add("mpi")
config.substitutions.append(
    ("%mpirun", "mpirun --allow-run-as-root --oversubscribe "
                "--mca plm_rsh_agent false"))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
# tt-run's compile cache (docs/CompileCache.md) lives in the build's test
# folder, never in $HOME; the suite's runs share it (entries are keyed by
# tt's sources, so a rebuilt tt never loads what an older one wrote).
config.environment["TT_CACHE_DIR"] = os.path.join(config.tt_obj_root, "test",
                                                  "tt-compile-cache")
# Debian keeps FileCheck, not and count in llvm-22/bin, off PATH.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.use_default_substitutions()

tool_dirs = [config.tt_tools_dir, config.llvm_tools_dir]
tools = ["tt-opt"] + [ToolSubst(t, unresolved="ignore")
                      for t in ("tt-translate", "tt-synth", "tt-run")]
llvm_config.add_tool_substitutions(tools, tool_dirs)
