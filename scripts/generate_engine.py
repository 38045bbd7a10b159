"""Regenerate src/removalsim/engine/generated.py (bundle constructor and day loop) from the stages' declarations.

    python scripts/generate_engine.py           # write the file
    python scripts/generate_engine.py --order   # print the stages in the day's order, and what each does
"""

from __future__ import annotations

import sys

from removalsim.engine import registry


def main(argv: list[str]) -> None:
    if "--order" in argv:
        for i, stage in enumerate(registry.STAGES, 1):
            print(f"{i:2}. {stage.name:17} {stage.doc}")
        return
    print(f"wrote {registry.write_generated()}")


if __name__ == "__main__":
    main(sys.argv[1:])
