"""Plausible customers of the sample families: draws of complete configurations.

Each sampler draws what a customer would choose, in the order they would choose it, and keeps
to the family's rules where it is easy to (so that few draws are rejected); the caller validates
every draw with the reference evaluator and draws again when it breaks a rule. The insole takes
its foot length and breadth from ANSUR II (:func:`read_feet`); arch height is not measured in
ANSUR II and is drawn from a normal distribution (mean 16 mm, sd 5 mm, clipped to 5..35).
The mixes (weights) are stated here, in one place, and are assumptions, not market data.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from lotone.model.family import Value

__all__ = ["SAMPLERS", "Foot", "Sampler", "read_feet"]


@dataclass(frozen=True, slots=True)
class Foot:
    """One measured foot: sex and foot length and breadth in mm."""

    sex: str
    length_mm: int
    breadth_mm: int


def read_feet(path: str | Path) -> list[Foot]:
    """The feet in a CSV with ``sex,foot_length_mm,foot_breadth_mm`` (see ``data/README.md``)."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return [
            Foot(r["sex"], int(r["foot_length_mm"]), int(r["foot_breadth_mm"]))
            for r in csv.DictReader(fh)
        ]


Sampler = Callable[[random.Random, Sequence[Foot]], dict[str, Value]]


def _pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _clip(x: float, lo: int, hi: int) -> Decimal:
    return Decimal(max(lo, min(hi, round(x))))


def insole(rng: random.Random, feet: Sequence[Foot]) -> dict[str, Value]:
    """A customer with an ANSUR II foot, a use, and options that suit it."""
    foot = rng.choice(feet)
    arch = _clip(rng.gauss(16, 5), 5, 35)
    use = _pick(rng, {"everyday": 0.5, "running": 0.25, "work": 0.15, "diabetic_care": 0.1})
    if use == "diabetic_care":
        stiffness, material = "soft", "tpu_88a"
        cover = _pick(rng, {"microfibre": 0.7, "neoprene": 0.3})
    else:
        stiffness = _pick(rng, {"soft": 0.2, "medium": 0.5, "firm": 0.3})
        if stiffness == "firm" and not 10 <= arch <= 28:
            stiffness = "medium"
        material = {
            "soft": "tpu_88a",
            "medium": _pick(rng, {"tpu_88a": 0.5, "tpu_95a": 0.5}),
            "firm": _pick(rng, {"tpu_95a": 0.6, "pa12": 0.4}),
        }[stiffness]
        covers = {"microfibre": 0.5, "neoprene": 0.2, "leather": 0.2, "none": 0.1}
        if use == "running":
            covers.pop("leather")
        cover = _pick(rng, covers)
    support = _pick(
        rng,
        {"neutral": 0.25, "arch_support": 0.45, "pronation_control": 0.15, "metatarsal_pad": 0.15},
    )
    if support == "pronation_control" and stiffness == "soft":
        support = "arch_support"
    if support == "arch_support" and arch < 8:
        support = "neutral"
    cup_range = {"running": (12, 20), "work": (8, 20)}.get(use, (8, 16))
    return {
        "side": _pick(rng, {"pair": 0.8, "left": 0.1, "right": 0.1}),
        "use": use,
        "foot_length_mm": _clip(foot.length_mm, 200, 320),
        "foot_width_mm": _clip(foot.breadth_mm, 70, 130),
        "arch_height_mm": arch,
        "heel_cup_depth_mm": Decimal(rng.randint(*cup_range)),
        "stiffness": stiffness,
        "support": support,
        "base_material": material,
        "top_cover": cover,
        "antimicrobial": use == "diabetic_care" or rng.random() < 0.2,
    }


_HANDLES = {
    "white": ["steel_bar", "black_bar", "brass_knob", "push_to_open", "recessed_grip"],
    "light_grey": ["steel_bar", "black_bar", "brass_knob", "push_to_open", "recessed_grip"],
    "oak": ["black_bar", "brass_knob", "push_to_open", "recessed_grip"],
    "walnut": ["brass_knob", "push_to_open", "recessed_grip"],
    "black_matt": ["steel_bar", "brass_knob", "push_to_open", "recessed_grip"],
}


def wardrobe(rng: random.Random, feet: Sequence[Foot]) -> dict[str, Value]:
    """A room, a size split into sections, doors, finish and handles that go together."""
    room = rng.choice([2400, 2450, 2500, 2500, 2500, 2600, 2700, 2800, 3000])
    height = rng.choice([h for h in (2000, 2100, 2200, 2300, 2400) if h <= room - 80])
    count = int(_pick(rng, {"1": 0.05, "2": 0.25, "3": 0.35, "4": 0.2, "5": 0.1, "6": 0.05}))
    widths = [3001]
    while not 600 <= sum(widths) <= 3000:
        widths = [rng.choice([400, 500, 500, 600, 600, 700, 800, 900, 1000]) for _ in range(count)]
    door = _pick(rng, {"hinged": 0.6, "sliding": 0.3, "none": 0.1})
    if door == "sliding" and count < 2:
        door = "hinged"
    depth = rng.choice([600, 650]) if door == "sliding" else rng.choice([450, 580, 580, 600])
    finish = _pick(rng, {"white": 0.45, "light_grey": 0.2, "oak": 0.2, "black_matt": 0.1,
                         "walnut": 0.05})  # fmt: skip
    handles = [h for h in _HANDLES[finish] if door == "sliding" or h != "recessed_grip"]
    if door == "sliding":
        handles = [h for h in handles if h not in ("brass_knob", "push_to_open")]
    handle = "none" if door == "none" else rng.choice(handles)
    out: dict[str, Value] = {
        "room_height_mm": Decimal(room),
        "width_mm": Decimal(sum(widths)),
        "height_mm": Decimal(height),
        "depth_mm": Decimal(depth),
        "finish": finish,
        "door_type": door,
        "handle": handle,
        "soft_close": door != "none" and rng.random() < 0.6,
        "section.count": Decimal(count),
    }
    hanging = False
    for i, w in enumerate(widths, start=1):
        kinds = {"shelves": 0.3, "rail": 0.3, "mixed": 0.2, "drawers": 0.2}
        if w > 900:
            kinds = {"shelves": 0.5, "rail": 0.5}
        if depth < 550:
            kinds = {k: v for k, v in kinds.items() if k not in ("rail", "mixed")}
        interior = _pick(rng, kinds)
        hanging = hanging or interior in ("rail", "mixed")
        out[f"section[{i}].width_mm"] = Decimal(w)
        out[f"section[{i}].interior"] = interior
    out["led_lighting"] = hanging and rng.random() < 0.2
    space = room - height - 10
    if space >= 300 and rng.random() < 0.25:
        out["top_box.count"] = Decimal(1)
        box = rng.randrange(300, min(600, space) + 1, 10)
        fronts = (
            ["open"] if door == "none" else ["hinged", "open"] + (["flap"] if box >= 350 else [])
        )
        out["top_box[1].box_height_mm"] = Decimal(box)
        out["top_box[1].front"] = rng.choice(fronts)
    else:
        out["top_box.count"] = Decimal(0)
    return out


_PERSONAS = {
    "office": (["ryzen5_9600x", "core_ultra5_245k"], ["integrated", "integrated", "rtx5060"]),
    "gaming": (["ryzen7_9700x", "ryzen7_9800x3d", "core_ultra7_265k"],
               ["rtx5060ti", "rtx5070", "rtx5070ti", "rx9060xt", "rx9070", "rx9070xt"]),
    "enthusiast": (["ryzen7_9800x3d", "ryzen9_9950x", "core_ultra9_285k"],
                   ["rtx5080", "rtx5090", "rx9070xt"]),
    "workstation": (["ryzen9_9900x", "ryzen9_9950x", "core_ultra7_265kf", "core_ultra9_285k"],
                    ["rtx5070", "rtx5070ti", "rtx5080"]),
}  # fmt: skip
_CPU_W = {"ryzen5_9600x": 88, "ryzen7_9700x": 88, "ryzen7_9800x3d": 162, "ryzen9_9900x": 162,
          "ryzen9_9950x": 230, "core_ultra5_245k": 159, "core_ultra7_265k": 250,
          "core_ultra7_265kf": 250, "core_ultra9_285k": 250}  # fmt: skip
_GPU_W = {"integrated": 0, "rtx5060": 145, "rtx5060ti": 180, "rtx5070": 250,
          "rtx5070ti": 300, "rtx5080": 360, "rtx5090": 575, "rx9060xt": 160, "rx9070": 220,
          "rx9070xt": 304}  # fmt: skip
_PSU = [("atx_550", 550), ("atx_650", 650), ("atx_850", 850), ("atx_1000", 1000),
        ("atx_1200", 1200)]  # fmt: skip


def pc(rng: random.Random, feet: Sequence[Foot]) -> dict[str, Value]:
    """A persona (office, gaming, enthusiast, workstation) and parts that fit it."""
    persona = _pick(rng, {"office": 0.3, "gaming": 0.45, "enthusiast": 0.1, "workstation": 0.15})
    cpus, gpus = _PERSONAS[persona]
    cpu, gpu = rng.choice(cpus), rng.choice(gpus)
    amd = cpu.startswith("ryzen")
    case = _pick(rng, {"matx_tower": 0.35, "atx_midi": 0.35, "atx_silent": 0.15,
                       "atx_showcase": 0.15})  # fmt: skip
    board = rng.choice(["b850m", "x870e"] if amd else ["b860m", "z890"])
    if case == "matx_tower":
        board = "b850m" if amd else "b860m"
    need = _CPU_W[cpu] + _GPU_W[gpu] + 50
    psu = next(name for name, watts in _PSU if watts >= need * 1.2 or watts == 1200)
    watts = _CPU_W[cpu]
    cooler = "tower_air" if watts <= 180 else rng.choice(["dual_tower", "aio_240", "aio_360"])
    if case == "matx_tower" and cooler in ("aio_360", "dual_tower"):
        cooler = "aio_240"
    slots = 4
    modules = rng.choice([2, 2, 2, 4]) if slots == 4 else 2
    out: dict[str, Value] = {
        "cpu": cpu,
        "motherboard": board,
        "cooler": cooler,
        "ram_module": rng.choice(["ddr5_16gb", "ddr5_24gb", "ddr5_32gb", "ddr5_48gb"]),
        "ram_modules": Decimal(modules),
        "gpu": gpu,
        "psu": psu,
        "case": case,
        "os": _pick(rng, {"windows_home": 0.55, "windows_pro": 0.25, "none": 0.2}),
    }
    drives = rng.choice([1, 1, 1, 2, 2, 3])
    out["drive.count"] = Decimal(drives)
    for i in range(1, drives + 1):
        kinds = ["nvme_1tb", "nvme_2tb", "nvme_4tb"] if i <= 2 else ["hdd_8tb"]
        out[f"drive[{i}].kind"] = rng.choice(kinds)
    return out


def _pct(rng: random.Random, top: float, step: str) -> Decimal:
    grid = Decimal(step)
    return (Decimal(str(rng.uniform(0, top))) / grid).to_integral_value() * grid


def serum(rng: random.Random, feet: Sequence[Foot]) -> dict[str, Value]:
    """A skin type and climate, and a formula within their limits that adds up to 100 %."""
    skin = _pick(rng, {"normal": 0.3, "dry": 0.2, "oily": 0.2, "combination": 0.2,
                       "sensitive": 0.1})  # fmt: skip
    climate = _pick(rng, {"temperate": 0.5, "humid": 0.2, "dry": 0.15, "cold": 0.15})
    textures = {"normal": ["water_light", "gel", "rich"], "oily": ["water_light", "gel"],
                "combination": ["water_light", "gel"], "dry": ["gel", "rich"],
                "sensitive": ["gel", "rich"]}[skin]  # fmt: skip
    if climate == "humid":
        textures = [t for t in textures if t != "rich"]
    texture = rng.choice(textures)
    sensitive = skin == "sensitive"
    while True:  # redraw until the base stays within 65..99 %
        vitamin_c = _pct(rng, 8 if sensitive else 15, "0.5") if rng.random() < 0.35 else Decimal(0)
        retinol = Decimal(0) if vitamin_c else _pct(rng, 0.1 if sensitive else 0.3, "0.1")
        niacinamide = _pct(rng, 5 if sensitive else 10, "0.5")
        hyal_lo = (
            Decimal("1")
            if texture == "rich"
            else Decimal("0.5")
            if climate == "dry"
            else Decimal(0)
        )
        hyal_hi = Decimal("0.5") if texture == "water_light" else Decimal(2)
        hyaluronic = max(hyal_lo, min(hyal_hi, _pct(rng, 2, "0.1")))
        glycerin_hi = 3 if skin == "oily" else 5 if climate == "humid" else 10
        glycerin = max(Decimal(2) if skin == "dry" else Decimal(0), _pct(rng, glycerin_hi, "0.5"))
        panthenol = max(Decimal(1) if climate == "cold" else Decimal(0), _pct(rng, 5, "0.5"))
        actives = niacinamide + vitamin_c + retinol + hyaluronic + glycerin + panthenol
        if 65 <= Decimal(100) - actives <= 99:
            break
    bottles = ["ml15", "ml30"] if vitamin_c else ["ml15", "ml30", "ml50"]
    return {
        "skin_type": skin,
        "climate": climate,
        "bottle_size": rng.choice(bottles),
        "texture": texture,
        "fragrance": not sensitive and rng.random() < 0.3,
        "niacinamide_pct": niacinamide,
        "vitamin_c_pct": vitamin_c,
        "retinol_pct": retinol,
        "hyaluronic_acid_pct": hyaluronic,
        "glycerin_pct": glycerin,
        "panthenol_pct": panthenol,
        "base_pct": Decimal(100) - actives,
    }


SAMPLERS: dict[str, Sampler] = {"insole": insole, "wardrobe": wardrobe, "pc": pc, "serum": serum}
"""Samplers of the sample catalog's families, by family id."""
