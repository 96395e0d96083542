"""Readers for public scheduling benchmark formats; malformed files fail at ``FILE:LINE:COL``."""

from lotone.schedule.readers.fjs import parse_fjs as parse_fjs
from lotone.schedule.readers.fjs import read_fjs as read_fjs
from lotone.schedule.readers.jsplib import parse_jsplib as parse_jsplib
from lotone.schedule.readers.jsplib import read_jsplib as read_jsplib
from lotone.schedule.readers.sdst_jit import read_sdst_jit as read_sdst_jit
from lotone.schedule.readers.select import FORMATS as FORMATS
from lotone.schedule.readers.select import read_problem as read_problem
from lotone.schedule.readers.upmsp import parse_upmsp as parse_upmsp
from lotone.schedule.readers.upmsp import read_upmsp as read_upmsp

__all__ = [
    "FORMATS",
    "parse_fjs",
    "parse_jsplib",
    "parse_upmsp",
    "read_fjs",
    "read_jsplib",
    "read_problem",
    "read_sdst_jit",
    "read_upmsp",
]
