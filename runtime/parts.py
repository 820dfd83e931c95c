"""The resources of the FPGA parts the estimate and the synthesis report know, from AMD's data sheets
(DS890 UltraScale architecture overview for Virtex/Kintex UltraScale(+), Zynq UltraScale+ and
Alveo cards' devices; DS190 Zynq-7000 overview): CLB LUTs, CLB flip-flops, DSP slices and 18 Kb
block RAMs (two per 36 Kb block). UltraRAM is not counted. Shared by compiler/estimate.py
(utilisation of an estimate) and runtime/synth.py (utilisation of a Yosys result).
"""

from __future__ import annotations

from collections.abc import Mapping

RESOURCES = ("LUT", "FF", "DSP", "BRAM_18K")

# By the prefix of the part name (the device; package, speed grade and temperature follow)
PARTS: dict[str, dict[str, int]] = {
    "xcvu13p": {"LUT": 1_728_000, "FF": 3_456_000, "DSP": 12_288, "BRAM_18K": 5_376},
    "xcu250": {"LUT": 1_728_000, "FF": 3_456_000, "DSP": 12_288, "BRAM_18K": 5_376},  # an XCVU13P
    "xcu55c": {"LUT": 1_303_680, "FF": 2_607_360, "DSP": 9_024, "BRAM_18K": 4_032},
    "xcvu9p": {"LUT": 1_182_240, "FF": 2_364_480, "DSP": 6_840, "BRAM_18K": 4_320},
    "xcku115": {"LUT": 663_360, "FF": 1_326_720, "DSP": 5_520, "BRAM_18K": 4_320},
    "xczu9eg": {"LUT": 274_080, "FF": 548_160, "DSP": 2_520, "BRAM_18K": 1_824},
    "xczu7ev": {"LUT": 230_400, "FF": 460_800, "DSP": 1_728, "BRAM_18K": 624},
    "xc7z020": {"LUT": 53_200, "FF": 106_400, "DSP": 220, "BRAM_18K": 280},
}


def part_capacity(part: str) -> dict[str, int]:
    """The resources of `part` (matched by its device name, e.g. xcvu13p-flga2577-2-e)."""
    for prefix, capacity in PARTS.items():
        if part.lower().startswith(prefix):
            return capacity
    raise KeyError(f"part {part!r}: its resources are not known; known parts: {', '.join(PARTS)}")


def utilisation(resources: Mapping[str, int], part: str) -> dict[str, float]:
    """The fraction of `part`'s LUT, FF, DSP and BRAM_18K that `resources` take."""
    capacity = part_capacity(part)
    return {key: resources[key] / capacity[key] for key in RESOURCES}
