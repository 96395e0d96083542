"""Readers reproduce the instance sizes; malformed files fail at FILE:LINE."""

from __future__ import annotations

from pathlib import Path

import pytest
from schedule_instances import FT06, JIT5, MK01, TA01, instance

from lotone.errors import ModelError
from lotone.schedule.readers import parse_fjs, parse_jsplib, parse_upmsp, read_problem


@pytest.mark.parametrize(
    ("rel", "jobs", "machines", "ops"),
    [
        (FT06, 6, 6, 36),
        (TA01, 15, 15, 225),
        ("jobshop/text/Taillard1993/ta41js.txt", 30, 20, 600),
        (MK01, 10, 6, 55),
        ("flexible-jobshop/fjsp/Brandimarte1993/mk10.txt", 20, 15, 240),
        (JIT5, 5, 10, 45),
        ("jobshop-sdst-jit/I-50x10-equal-loose-0", 50, 10, 467),
        ("parallel-machine-sdst/small/I_6_2_S_1-9_1.txt", 6, 2, 6),
        ("parallel-machine-sdst/large/I_50_10_S_1-9_1.txt", 50, 10, 50),
    ],
)
def test_readers_reproduce_the_instance_sizes(rel: str, jobs: int, machines: int, ops: int) -> None:
    """Jobs, machines and operations match the README tables."""
    p = read_problem(instance(rel))
    assert (len(p.jobs), p.num_machines, p.num_operations) == (jobs, machines, ops)


def test_fjs_machines_become_zero_based_with_their_durations() -> None:
    """mk01 job 0 op 0 is '2 1 5 3 4': machine 1 (5) or machine 3 (4), 0-based 0 and 2."""
    p = read_problem(instance(MK01))
    assert p.operations[0].modes == ((0, 5), (2, 4))


def test_the_jit_reader_scales_half_due_dates_and_reads_setups() -> None:
    """Due 342.5 becomes 685 at time scale 2; setup (0,0,1)=5 becomes 10; initial family read."""
    p = read_problem(instance(JIT5))
    assert (p.time_scale, p.weight_scale) == (2, 100)
    assert (p.jobs[0].due, p.jobs[0].release, p.jobs[0].weight) == (685, 88, 83)
    assert p.setup(0, 0, 1) == 10
    assert p.initial_family[0] == 3
    assert p.has_setups


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "empty file"),
        ("2 2\n0 1 1 1\n", 3, "announces 2 jobs"),
        ("1 2\n0 1 5 1\n", 2, "machine 5 is outside"),
        ("1 2\n0 1 1\n", 2, "pairs"),
        ("1 2\n0 x\n", 2, "not a whole number"),
        ("1 1\n0 1\n0 2\n", 3, "one too many"),
    ],
)
def test_malformed_jsplib_files_fail_at_their_line(text: str, line: int, message: str) -> None:
    """Every error names FILE:LINE."""
    with pytest.raises(ModelError, match=message) as exc:
        parse_jsplib(text, "bad.txt")
    assert f"bad.txt:{line}:" in str(exc.value)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("1 2 1.5\n1 2 1 3\n", 2, "expected 2 'machine duration' pairs"),
        ("1 2\n1 1 3 4\n", 2, "machine 3 is outside 1..2"),
        ("1 2\n2 1 1 3\n", 2, "operation 1 is missing"),
        ("1 2\n1 1 1 3 9\n", 2, "numbers left"),
    ],
)
def test_malformed_fjs_files_fail_at_their_line(text: str, line: int, message: str) -> None:
    """Every error names FILE:LINE."""
    with pytest.raises(ModelError, match=message) as exc:
        parse_fjs(text, "bad.fjs")
    assert f"bad.fjs:{line}:" in str(exc.value)


def test_malformed_jit_csv_fails_at_its_line(tmp_path: Path) -> None:
    """A bad setup row names setup.csv and its line."""
    src = instance(JIT5)
    for f in src.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    rows = (tmp_path / "setup.csv").read_text().splitlines()
    rows[3] = "0,0,x,5"
    (tmp_path / "setup.csv").write_text("\n".join(rows) + "\n")
    with pytest.raises(ModelError, match=r"setup.csv:4:1: error: setup: 'x' is not a number"):
        read_problem(tmp_path, "sdst-jit")


def test_parallel_machines_with_setups_reach_the_known_optimum_74() -> None:
    """Vallada-Ruiz I_6_2_S_1-9_1: every job one operation on either machine; optimum 74."""
    from lotone.schedule import SolveParams, Status, solve

    p = read_problem(instance("parallel-machine-sdst/small/I_6_2_S_1-9_1.txt"))
    r = solve(p, "makespan", SolveParams(time_limit=5, workers=1))
    assert (r.status, r.objective) == (Status.OPTIMAL, 74)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("2 1 1\n1\n0 5\n0 6\nSSD\nM0\n0 1\n1\n", 8, "M0 row 1: expected 2"),
        ("1 1 1\n2\n", 2, "machine count 1 again"),
        ("1 1 1\n1\n0 5\nXX\n", 4, "marker SSD"),
    ],
)
def test_malformed_upmsp_files_fail_at_their_line(text: str, line: int, message: str) -> None:
    """Every error names FILE:LINE."""
    with pytest.raises(ModelError, match=message) as exc:
        parse_upmsp(text, "bad.txt")
    assert f"bad.txt:{line}:" in str(exc.value)
