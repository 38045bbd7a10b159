"""The policy report: one self-contained HTML file answering the six questions with numbers, bands and sources."""

from .build import SECTIONS, build_report

__all__ = ["SECTIONS", "build_report"]
