"""`werkconferentie solve`: JSON instance in, JSON result out; status 2 for infeasible or malformed input."""

from __future__ import annotations

import argparse
import json
import sys

from .model import InfeasibleError, InstanceError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="werkconferentie solve",
        description="Assign participants to workshop sessions over rounds at least total cost "
        "(see docs/allocation.md).",
    )
    parser.add_argument("instance", nargs="?", default="-", help="instance JSON file (default: stdin)")
    parser.add_argument("-o", "--output", default="-", help="result JSON file (default: stdout)")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        metavar="S",
        help="seconds for the exact stage in the general case (default 60)",
    )
    parser.add_argument(
        "--allow-unassigned",
        action="store_true",
        help="place as many participants as possible instead of failing; list the rest",
    )
    parser.add_argument(
        "--mix",
        action="store_true",
        help="among equally good assignments, spread municipalities and roles over sessions",
    )
    parser.add_argument(
        "--explain",
        metavar="PARTICIPANT",
        help="explain why PARTICIPANT did not get her first choice (with --result, no solving)",
    )
    parser.add_argument("--result", metavar="RESULT.json", help="an earlier result to explain from")
    return parser


def _read_json(path: str, what: str):
    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except OSError as exc:
        raise InstanceError(f"{what}: cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise InstanceError(f"{what}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except UnicodeDecodeError:
        raise InstanceError(f"{what}: not UTF-8 text") from None


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.time_limit is not None and args.time_limit <= 0:
        print("error: --time-limit must be positive", file=sys.stderr)
        return 2
    from .explain import explain
    from .model import Instance, Result
    from .solver import solve

    try:
        instance = Instance.from_dict(_read_json(args.instance, "instance"))
        if args.result:
            result = Result.from_dict(_read_json(args.result, "result"))
        else:
            result = solve(instance, time_limit=args.time_limit, allow_unassigned=args.allow_unassigned, mix=args.mix)
        if args.explain:
            print("\n".join(explain(instance, result, args.explain)))
            return 0
    except InstanceError as exc:
        print(f"error: malformed input: {exc}", file=sys.stderr)
        return 2
    except InfeasibleError as exc:
        print(f"error: infeasible: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":"))
    if args.output == "-":
        sys.stdout.write(text + "\n")
    else:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    s = result.stats
    print(
        f"objective {result.objective}, lower bound {result.lower_bound}, "
        f"{'optimal' if result.optimal else 'not proven optimal'}; "
        f"{s['share_first_choice']:.1%} got a first choice; {s['seconds']} s"
        + (f"; unplaced: {', '.join(result.unassigned)}" if result.unassigned else ""),
        file=sys.stderr,
    )
    return 0
