"""Workshop allocation: participants to sessions over rounds at least total cost, with a proven bound.

Pure Python on OR-Tools (min-cost flow) and HiGHS (MIP); no Django. The Django adapter calls::

    from werkconferentie.allocation import Instance, solve
    result = solve(Instance.from_dict(data), time_limit=30)
    result.to_dict()

See docs/allocation.md for the model, the algorithm and the JSON formats.
"""

from .explain import explain
from .model import (
    Assignment,
    InfeasibleError,
    Instance,
    InstanceError,
    Participant,
    Result,
    Session,
    UnplacedCode,
    UnplacedReason,
)
from .solver import solve
from .stats import check_feasible
from .unplaced import unplaced_reasons

__all__ = [
    "Assignment",
    "InfeasibleError",
    "Instance",
    "InstanceError",
    "Participant",
    "Result",
    "Session",
    "check_feasible",
    "explain",
    "solve",
    "unplaced_reasons",
    "UnplacedCode",
    "UnplacedReason",
]
