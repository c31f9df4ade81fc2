"""``python -m bench [--quick] [--output PATH]``: run every measurement, print a table, write JSON."""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import anyio

from bench import context, hostile, questions, replicas, schemas, summary, timing
from tests import processes

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results.json"


@dataclass(frozen=True)
class Settings:
    """How much of each measurement to do."""

    quick: bool
    overhead_rounds: int
    overhead_block: int
    overhead_paced: int
    schema_rounds: int
    cold_runs: int
    cold_warmup: bool
    concurrency_repeats: int
    memory_first: int
    memory_total: int
    summary_orders: int


FULL = Settings(False, 20, 20, 100, 300, 15, True, 9, 10, 1000, 10_000)
QUICK = Settings(True, 2, 5, 1, 10, 1, False, 1, 10, 40, 1000)


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    section: str
    measured: str
    figure: str
    target: str
    result: str


def _judge(ok: bool, timed: bool, quick: bool) -> str:
    if timed and quick:
        return "not judged"
    return "PASS" if ok else "FAIL"


def build_rows(results: dict[str, Any], quick: bool) -> list[Row]:
    """The table: each figure against its target."""
    rows: list[Row] = []
    ctx = results["context"]

    def size(label: str, data: dict[str, Any], limit: float | None, target: str) -> None:
        figure = f"{data['ratio_raw']:.3f} ({data['summary_bytes']:,} / {data['raw_bytes']:,} B, {data['cases']} cases)"
        result = "info" if limit is None else _judge(data["ratio_raw"] <= limit, False, quick)
        rows.append(Row("context", label, figure, target, result))

    # Issue #4's targets, and issue #12's (spec examples, tokens, worst message page, list_orders).
    size("get_order summary / raw, overall", ctx["get_order_overall"], 0.20, "<= 0.20 (stretch 0.15)")
    size("  without include (sandbox orders)", ctx["get_order"], 0.20, "<= 0.20")
    size("  with include=consignments.line_items,fees", ctx["get_order_include"], 0.20, "<= 0.20")
    size("  spec examples 218, 247", ctx["spec_examples"], 0.18, "<= 0.18")
    overall = ctx["get_order_overall"]
    rows.append(Row("context", "get_order summary / naive indent=2", f"{overall['ratio_naive']:.3f}", "-", "info"))
    size("list_order_messages page / raw, overall", ctx["messages"], None, "info")
    rows.append(
        Row(
            "context",
            "  worst message page",
            f"{ctx['messages']['worst_ratio_raw']:.3f} ({ctx['messages']['worst_case']})",
            "< 1 (never larger than raw)",
            _judge(ctx["messages"]["worst_ratio_raw"] < 1, False, quick),
        )
    )
    size("list_orders page / raw", ctx["list_orders"], 0.2, "<= 0.2")
    size("list_order_shipments page / raw", ctx["shipments"], None, "info")
    sandbox = ctx["get_order_sandbox"]
    if "token_ratio_raw" in sandbox:
        rows.append(
            Row(
                "context",
                "get_order tokens summary / raw, sandbox",
                f"{sandbox['token_ratio_raw']:.3f} ({sandbox['summary_tokens']:,} / {sandbox['raw_tokens']:,})",
                "<= 0.18",
                _judge(sandbox["token_ratio_raw"] <= 0.18, False, quick),
            )
        )
        msgs = ctx["messages"]
        rows.append(
            Row(
                "context",
                "messages tokens summary / raw",
                f"{msgs['token_ratio_raw']:.3f} ({msgs['summary_tokens']:,} / {msgs['raw_tokens']:,})",
                "<= 0.5",
                _judge(msgs["token_ratio_raw"] <= 0.5, False, quick),
            )
        )
    else:
        rows.append(Row("context", "tokens", ctx["tokenizer"], "-", "info"))
    rows.extend(_question_rows(results["questions"]))
    facts = ctx["facts"]
    rows.append(
        Row(
            "context",
            "facts missing",
            f"{facts['missing']} of {facts['checked']} checked",
            "0",
            "PASS" if facts["missing"] == 0 else "FAIL",
        )
    )

    over = results["overhead"]
    for transport, label in (("stdio", "stdio"), ("http", "streamable HTTP")):
        calls, figures = over["back_to_back"]["calls"], over["back_to_back"][transport]
        ours, bare = calls[f"ours_{transport}"], calls[f"ours_{transport}_unvalidated"]
        floor = f"GET {calls['direct_get']['p50_ms']:.2f} + hello {calls[f'trivial_{transport}']['p50_ms']:.2f}"
        ratio = figures["paired_ratio_p50"]
        figure = (
            f"{ratio:.2f}x p50 (pooled {figures['ratio_p50']:.2f}x, p95 {figures['ratio_p95']:.2f}x; "
            f"ours p50 {ours['p50_ms']:.2f} / p95 {ours['p95_ms']:.2f}; {floor})"
        )
        row = f"get_order / (GET + hello), SDK ClientSession, {label}"
        rows.append(Row("framework", row, figure, "<= 1.15x p50", _judge(ratio <= 1.15, True, quick)))
        extra = figures["paired_overhead_unvalidated_ms"]
        figure = (
            f"{extra:+.3f} ms (pooled {figures['overhead_unvalidated_p50_ms']:+.3f}; "
            f"ours unvalidated p50 {bare['p50_ms']:.2f}; {floor})"
        )
        rows.append(
            Row(
                "overhead",
                f"get_order overhead p50, validation off, {label}",
                figure,
                "<= 0.5 ms",
                _judge(extra <= 0.5, True, quick),
            )
        )
        cost = figures["paired_validation_ms"]
        pooled = figures["validation_p50_ms"]
        figure = f"{cost:+.3f} ms (validated - unvalidated, same session, taking turns; pooled {pooled:+.3f})"
        rows.append(
            Row(
                "overhead",
                f"  client validation of get_order, {label}",
                figure,
                "<= 0.3 ms",
                _judge(cost <= 0.3, True, quick),
            )
        )
    for transport, label in (("stdio", "stdio"), ("http", "streamable HTTP")):
        figures, calls = over["back_to_back"][transport], over["back_to_back"]["calls"]
        fetch = calls[f"fetch_{transport}"]["p50_ms"]
        figure = (
            f"{figures['paired_fetch_ratio_p50']:.2f}x (GET + hello) (p50 {fetch:.2f} ms); "
            f"get_order is {figures['paired_ours_to_fetch_p50']:.2f}x it"
        )
        rows.append(Row("framework", f"  the same GET in a hello-world tool, {label}", figure, "-", "info"))
    paced = over["paced"]["stdio"]
    calls = over["paced"]["calls"]
    figure = (
        f"{paced['ratio_p50']:.2f}x p50, overhead validation off {paced['overhead_unvalidated_p50_ms']:+.3f} ms "
        f"(ours p50 {calls['ours_stdio']['p50_ms']:.2f}; GET {calls['direct_get']['p50_ms']:.2f} + hello "
        f"{calls['trivial_stdio']['p50_ms']:.2f}; {over['pause_ms']:.0f} ms idle before each call)"
    )
    rows.append(Row("framework", "  same, stdio, paced like an agent's turns", figure, "-", "info"))

    cold = results["cold_start"]
    med = cold["median_ms"]
    for key, label in (("sandbox", "sandbox"), ("demo", "--demo")):
        # Paired: each run's own ratio, then the median, so the machine's drift between runs cancels out.
        ratio = cold[f"paired_ratio_{key}"]
        figure = (
            f"{ratio:.2f}x paired (medians {cold[f'ratio_{key}']:.2f}x: {med[f'ours_{key}']:.0f} / "
            f"{med['trivial']:.0f} ms, {cold['runs']} runs)"
        )
        ok = ratio <= 1.10
        rows.append(
            Row("cold start", f"launch -> tools/list, {label} / trivial", figure, "<= 1.10x", _judge(ok, True, quick))
        )

    conc = results["concurrency"]
    name = f"{conc['at_once']} calls at once / 1 call, {conc['latency_ms']} ms latency"
    for label, data in conc.items():
        if not isinstance(data, dict) or "ratio" not in data:
            continue
        figure = f"{data['ratio']:.2f}x ({data['batch_ms']:.0f} / {data['single_ms']:.0f} ms)"
        if label == "default":
            rows.append(Row("concurrency", name, figure, "<= 3x", _judge(data["ratio"] <= 3, True, quick)))
        elif label == "sdk_floor":
            rows.append(Row("concurrency", "  same, trivial tool sleeping instead (SDK floor)", figure, "-", "info"))
        else:
            settings = ", ".join(f"{k}={v}" for k, v in data["settings"].items())
            rows.append(Row("concurrency", f"  same, {settings}", figure, "-", "info"))

    mem = results["memory"]
    figure = (
        f"{mem['growth'] * 100:+.1f}% (VmHWM {mem['after_first_kb']['VmHWM'] / 1024:.1f} -> "
        f"{mem['after_total_kb']['VmHWM'] / 1024:.1f} MiB, {mem['calls_first']} -> {mem['calls_total']} calls)"
    )
    rows.append(Row("memory", "peak RSS growth", figure, "<= 10%", _judge(mem["growth"] <= 0.10, True, quick)))

    rows.extend(_summary_rows(results["summary"], quick))

    tools = results["schemas"]["tools"]
    worst = max(tools, key=lambda name: tools[name]["validation_ms"])
    each = ", ".join(f"{name} {data['validation_ms']:.3f}" for name, data in tools.items())
    figure = f"{tools[worst]['validation_ms']:.3f} ms worst ({each}; the SDK client's cached validator, median)"
    ok = tools[worst]["validation_ms"] <= 0.3
    rows.append(
        Row("schemas", "output-schema validation, typical answers", figure, "<= 0.3 ms", _judge(ok, True, quick))
    )
    pages = results["schemas"]["full_pages"]
    each = ", ".join(
        f"{label} rows {data['validation_ms']:.3f} ms ({data['values']} values)" for label, data in pages.items()
    )
    figure = f"{each}; {results['schemas']['us_per_value']:.2f} us a value"
    ok = max(data["validation_ms"] for data in pages.values()) <= 0.3
    rows.append(Row("schemas", "  same, full pages of 50", figure, "<= 0.3 ms", _judge(ok, True, quick)))
    if "tools_list_tokens" in results["schemas"]:
        each = ", ".join(f"{name} {data['definition_tokens']}" for name, data in tools.items())
        figure = f"{results['schemas']['tools_list_tokens']} in all ({each})"
        ok = not results["schemas"]["over_budget"]
        target = "<= 500 a tool (new: 400)"
        rows.append(
            Row("schemas", "tool definitions the model reads, tokens", figure, target, _judge(ok, False, quick))
        )
        each = ", ".join(f"{name} {data['listed_tokens']}" for name, data in tools.items())
        figure = f"{results['schemas']['listed_tokens']} in all ({each})"
        rows.append(Row("schemas", "  tools/list as sent, output schemas included", figure, "-", "info"))
    if "replicas" in results:
        two = results["replicas"]
        for name, label in (("redis", "with Redis"), ("alone", "without Redis")):
            data = two[name]
            figure = (
                f"{data['refused'] * 100 / two['calls']:.0f} ({data['answered']}/{two['calls']} answered, "
                f"at most {data['most_in_a_window']} requests a window of {two['quota_per_s']}, "
                f"{data['seconds']:.1f} s)"
            )
            target, ok = ("<= 3", data["refused"] * 100 / two["calls"] <= 3) if name == "redis" else ("-", True)
            result = _judge(ok, False, quick) if name == "redis" else "info"
            rows.append(Row("replicas", f"429s per 100 calls, two replicas {label}", figure, target, result))
    if "hostile" not in results:
        return rows
    bad = results["hostile"]
    figure = (
        f"peak RSS {bad['peak_rss_mb']:.0f} MiB (from {bad['rss_start_mb']:.0f}); other session answered within "
        f"{bad['worst_other_session_s']:.2f} s; slowest call {bad['worst_call_s']:.2f} s ({len(bad['cases'])} answers)"
    )
    ok = bad["peak_rss_mb"] < 200 and bad["worst_other_session_s"] < 1.0
    rows.append(
        Row("hostile", "one call facing each hostile answer", figure, "< 200 MiB, < 1 s", "PASS" if ok else "FAIL")
    )
    return rows


def _summary_rows(data: dict[str, Any], quick: bool) -> list[Row]:
    """summarize_orders over generated orders: exact, its time under latency, its memory (one run, side by side)."""
    orders, wrong = data["orders"], data["differences"]
    exact = f"{len(wrong)} differences, {data['counted']:,} orders counted" + (f" ({wrong[0]}, ...)" if wrong else "")
    judged = Row(
        "summary",
        f"summarize_orders over {orders:,} generated orders vs sums made here",
        exact,
        "exact",
        "PASS" if not wrong and not data["partial"] else "FAIL",
    )
    if "memory" not in data:
        return [judged, Row("summary", "  its time and memory", "the full run only", "-", "info")]
    memory = data["memory"]
    timed = (
        f"{data['ratio']:.2f}x ({data['tool_s']:.2f} / {data['sequential_s']:.2f} s for {data['pages']} pages; "
        f"decoded too: {data['ratio_decoded']:.2f}x of {data['sequential_decoded_s']:.2f} s)"
    )
    peak = (
        f"{memory['growth'] * 100:+.1f}% (VmHWM {memory['after_first_kb']['VmHWM'] / 1024:.1f} -> "
        f"{memory['after_total_kb']['VmHWM'] / 1024:.1f} MiB, {memory['orders_first']:,} -> {orders:,} orders)"
    )
    return [
        judged,
        Row(
            "summary",
            f"  its time, {data['latency_ms']} ms latency / the same pages one after another",
            timed,
            "<= 0.3x",
            _judge(data["ratio"] <= 0.3, True, quick),
        ),
        Row(
            "summary",
            "  its peak RSS growth, a tenth of the orders -> all",
            peak,
            "<= 10%",
            _judge(memory["growth"] <= 0.10, True, quick),
        ),
    ]


def _question_rows(asked: dict[str, Any]) -> list[Row]:
    """The README's question table answered: definitions plus output per question, against raw API JSON."""
    unit = asked["unit"]
    figure = (
        f"{asked['per_question']:,.0f} / {asked['raw_per_question']:,.0f} raw API JSON ({asked['ratio']:.3f}; "
        f"{asked['answered']} of {asked['questions']} answered; definitions {asked['definitions']:,} for "
        f"{asked['tools']} tools)"
    )
    output = (
        f"{asked['output_per_question']:,.0f} / {asked['raw_output_per_question']:,.0f} raw "
        f"({asked['output_ratio']:.3f}); raw with each call's first request alone "
        f"{asked['raw_first_output_per_question']:,.0f}"
    )
    return [
        Row(
            "context",
            f"{unit} per answered question, definitions + output",
            figure,
            "every question answered",
            "PASS" if asked["answered"] == asked["questions"] else "FAIL",
        ),
        Row("context", f"  output alone, {unit} per question", output, "info", "info"),
    ]


def format_table(rows: list[Row]) -> str:
    """A plain-text table, one row per figure."""
    header = Row("section", "measured", "figure", "target", "result")
    widths = [
        max(len(getattr(r, f)) for r in [header, *rows]) for f in ("section", "measured", "figure", "target", "result")
    ]

    def line(row: Row) -> str:
        cells = (row.section, row.measured, row.figure, row.target, row.result)
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


async def run(settings: Settings) -> dict[str, Any]:
    """Every section, against one sandbox store process.

    Our server over stdio serves the context section; one server of ours and one trivial server over streamable
    HTTP serve the overhead (which also starts one of each over stdio for its framework-style sessions) and
    concurrency sections; each section warms up before it measures. Cold
    start launches its own once those have stopped, and memory starts a fresh server: its figure is the growth
    of that process's peak.
    """
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        log_dir = Path(tmp)
        try:
            # A quota the benchmark never reaches, so the client's pacing never starts; --faults for latency.
            with processes.sandbox(log_dir / "sandbox.log", "--faults", "--quota", "100000") as api:
                with processes.started(
                    timing.ours_http(api, log_dir / "ours-http.log"), timing.trivial_http(log_dir / "trivial-http.log")
                ) as (ours_http, trivial_http):
                    async with AsyncExitStack() as stack:
                        # The stdio server starts while the HTTP ones do.
                        ours = processes.stdio(env=api.settings())
                        ours_stdio = await timing.stdio_session(stack, ours, log_dir / "ours-stdio.log")
                        ours_url, trivial_url = ours_http.listening().url, trivial_http.listening().url
                        results["context"] = await context.measure(api, ours_stdio)
                        results["overhead"] = await timing.overhead(
                            api,
                            log_dir,
                            ours_url,
                            trivial_url,
                            settings.overhead_rounds,
                            settings.overhead_block,
                            settings.overhead_paced,
                        )
                    variants: dict[str, dict[str, str]] = {}
                    if not settings.quick:
                        variants["max_concurrency_10"] = {"BIGCOMMERCE_MAX_CONCURRENCY": "10"}
                    results["concurrency"] = await timing.concurrency(
                        api, log_dir, settings.concurrency_repeats, ours_url, trivial_url, variants
                    )
                # Launches are timed one at a time, once the servers above have stopped.
                results["cold_start"] = await timing.cold_start(api, log_dir, settings.cold_runs, settings.cold_warmup)
                results["memory"] = await timing.memory(api, log_dir, settings.memory_first, settings.memory_total)
            if settings.quick:  # exactness only, in process: the processes and timings are the full run's
                results["summary"] = await summary.exact_in_process(settings.summary_orders)
            else:
                results["summary"] = await summary.measure(log_dir, settings.summary_orders, 3)
            count_tokens, _ = context.load_tokenizer()
            results["schemas"] = await schemas.measure(count_tokens, settings.schema_rounds)
            results["questions"] = await questions.measure(count_tokens)
            if not settings.quick:  # tests/e2e/test_hostile_upstream.py proves it; the figures are the full run's
                results["hostile"] = await hostile.measure(log_dir)
            if not settings.quick:  # tests/e2e/test_replicas.py proves it; 100 calls take the full run's seconds
                results["replicas"] = await replicas.measure(log_dir)
        except BaseException:
            for log in sorted(log_dir.glob("*.log")):
                tail = log.read_text(errors="replace")[-2000:]
                print(f"--- {log.name} (last 2000 characters) ---\n{tail}", file=sys.stderr)
            raise
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 0 even when a target is missed (the table says so), 1 on a crash."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few seconds, proves it works; timings not judged")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"JSON file (default {DEFAULT_OUTPUT})")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    started = time.perf_counter()
    results = anyio.run(run, settings)
    rows = build_rows(results, settings.quick)
    document = {
        "mode": "quick" if settings.quick else "full",
        "settings": asdict(settings),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": _cpus()},
        "seconds": round(time.perf_counter() - started, 1),
        "rows": [asdict(r) for r in rows],
        **results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(format_table(rows))
    print(f"\n{document['mode']} run in {document['seconds']} s; JSON written to {args.output}")
    return 0


def _cpus() -> int | None:
    import os

    return os.cpu_count()


if __name__ == "__main__":
    sys.exit(main())
