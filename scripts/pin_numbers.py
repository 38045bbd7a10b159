"""Regenerate tests/regression/pinned.json (the pinned numbers) and list what moved.

Run it only for a deliberate change to the model's results, and add a
CHANGELOG.md entry that says what moved and why.

    python scripts/pin_numbers.py
"""

from __future__ import annotations

import json

from removalsim.results import pinned


def main() -> None:
    old = json.loads(pinned.PINNED_FILE.read_text()) if pinned.PINNED_FILE.exists() else {}
    new = pinned.write()
    moved = pinned.differences(old, new)
    print(f"wrote {pinned.PINNED_FILE} ({len(moved)} numbers moved)")
    for line in moved[:200]:
        print("  " + line)


if __name__ == "__main__":
    main()
