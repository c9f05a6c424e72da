#!/usr/bin/python3
"""The walls of engine/ (docs/DESIGN.md §1), checked on the source tree:

1. only engine/src/adapters includes the C libraries' headers (GDAL, OGR, CPL, GEOS, PROJ);
2. public headers (engine/include/infogap) include only the standard library, Eigen and infogap/;
3. an area includes another area's private headers only when its sources.cmake declares that area
   as a dependency (PUBLIC_DEPS / PRIVATE_DEPS infogap_<area>) — the build enforces the same with
   per-area include roots; this check names the offending line;
4. the areas' dependency graph has no cycle;
5. every .cpp of an area is listed in its sources.cmake, and every listed file exists.

Usage: layout_check.py ENGINE_DIR   (exit 0 = clean, 1 = violations, printed one per line)
"""
import re
import sys
from pathlib import Path

C_HEADERS = re.compile(r'#\s*include\s*[<"](gdal[^>"]*|ogr[^>"]*|cpl_[^>"]*|geos_c\.h|geos/[^>"]*|proj\.h|proj/[^>"]*)[>"]')
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
DEPS = re.compile(r'\b(?:PUBLIC_DEPS|PRIVATE_DEPS)\b([^)]*)', re.S)
SOURCE = re.compile(r'\$\{CMAKE_CURRENT_LIST_DIR\}/([^\s)]+\.cpp)')


def areas_of(src: Path):
    return sorted(p.name for p in src.iterdir() if p.is_dir() and (p / "sources.cmake").exists())


def declared(src: Path, area: str):
    text = (src / area / "sources.cmake").read_text(encoding="utf-8")
    deps = set()
    for block in DEPS.findall(text):
        deps.update(re.findall(r'\binfogap_([a-z_]+)\b', block))
    listed = set(SOURCE.findall(text))
    return deps, listed


def check(engine: Path):
    problems = []
    src = engine / "src"
    areas = areas_of(src)
    files = [p for p in engine.rglob("*") if p.suffix in (".cpp", ".hpp", ".h", ".in")]
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        rel = f.relative_to(engine)
        in_adapters = rel.parts[:2] == ("src", "adapters")
        for n, line in enumerate(text.splitlines(), 1):
            if C_HEADERS.search(line) and not in_adapters:
                problems.append(f"{rel}:{n}: C-library header outside src/adapters: {line.strip()}")
        if rel.parts[0] == "include":
            for m in INCLUDE.finditer(text):
                name = m.group(2)
                if m.group(1) == '"' and not name.startswith("infogap/"):
                    problems.append(f"{rel}: public header includes a private header \"{name}\"")
                if m.group(1) == "<" and "/" in name and not name.startswith(("Eigen/", "unsupported/Eigen/")):
                    problems.append(f"{rel}: public header includes <{name}> (std, Eigen and infogap/ only)")
    graph = {}
    for area in areas:
        deps, listed = declared(src, area)
        graph[area] = deps & set(areas)
        here = src / area
        for f in sorted(here.rglob("*")):
            if f.suffix not in (".cpp", ".hpp"):
                continue
            text = f.read_text(encoding="utf-8", errors="replace")
            for m in INCLUDE.finditer(text):
                if m.group(1) != '"':
                    continue
                first = m.group(2).split("/")[0]
                if first in areas and first != area and first not in deps:
                    problems.append(f"{f.relative_to(engine)}: includes \"{m.group(2)}\" but area '{area}' "
                                    f"does not declare infogap_{first} in {area}/sources.cmake")
        cpps = {p.relative_to(here).as_posix() for p in here.rglob("*.cpp")}
        for missing in sorted(cpps - {s for s in listed if not s.startswith("..")}):
            problems.append(f"src/{area}/{missing}: not listed in src/{area}/sources.cmake")
        for s in sorted(listed):
            if not (here / s).exists():
                problems.append(f"src/{area}/sources.cmake lists {s}, which does not exist")
    # No cycle between areas.
    state = {}

    def visit(a, path):
        state[a] = 1
        for b in sorted(graph[a]):
            if state.get(b) == 1:
                problems.append("area dependency cycle: " + " → ".join(path + [a, b]))
            elif b not in state:
                visit(b, path + [a])
        state[a] = 2

    for a in areas:
        if a not in state:
            visit(a, [])
    if "facade" in graph:
        for f in (src / "facade").rglob("*"):
            if f.suffix in (".cpp", ".hpp") and '"adapters/' in f.read_text(encoding="utf-8"):
                problems.append(f"{f.relative_to(engine)}: the facade includes an adapter")
    return problems


def main(argv):
    engine = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[2] / "engine"
    problems = check(engine)
    for p in problems:
        print(p)
    print(f"layout_check: {len(problems)} problem(s) in {engine}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
