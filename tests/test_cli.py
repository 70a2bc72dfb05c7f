"""Tests of the command line ``python -m skmi``."""

import bz2
import codecs
import gzip
import io
import json
import lzma
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer

import skmi
from skmi import MutualInfoSelector
from skmi.__main__ import main
from skmi._cli._reading import decimal_comma_columns, parse_dates
from skmi.estimators import PlugIn


@pytest.fixture
def csv_path(tmp_path):
    """A CSV file with numeric, text and boolean columns and a text target."""
    rng = np.random.RandomState(0)
    n = 200
    colour = rng.choice(["red", "green", "blue"], n)
    size = rng.standard_normal(n)
    label = np.where(
        (colour == "red") | (size > 1.0), "spam", rng.choice(["spam", "ham"], n)
    )
    frame = pd.DataFrame(
        {
            "size": size,
            "colour": colour,
            "noise": rng.standard_normal(n),
            "flag": rng.uniform(size=n) < 0.5,
            "label": label,
        }
    )
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_rank_csv_prints_a_table_and_writes_json(csv_path, tmp_path, capsys):
    path, frame = csv_path
    out_json = tmp_path / "ranking.json"
    code = main(
        [
            "rank",
            str(path),
            "--target",
            "label",
            "--k",
            "2",
            "--json",
            str(out_json),
            "--random-state",
            "3",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "discrete target 'label'" in out
    assert "200 samples, 4 features" in out
    report = json.loads(out_json.read_text())
    rows = report["features"]
    assert [r["rank"] for r in rows] == [1, 2, 3, 4]
    assert {r["feature"] for r in rows} == {"size", "colour", "noise", "flag"}
    assert report["target"] == "label" and report["target_discrete"] is True
    assert report["n_samples"] == 200 and report["n_features"] == 4
    assert [r["selected"] for r in rows] == [True, True, False, False]
    assert all(r["pvalue"] is None for r in rows)
    by_name = {r["feature"]: r for r in rows}
    assert by_name["colour"]["discrete"] and by_name["flag"]["discrete"]
    assert not by_name["size"]["discrete"]

    # the scores are the selector's on the same frame and seed
    X = frame.drop(columns=["label"])
    selector = MutualInfoSelector(k=2, random_state=3).fit(X, frame["label"])
    for name, score in zip(X.columns, selector.scores_, strict=True):
        assert by_name[name]["mi_nats"] == pytest.approx(score, abs=1e-12)
    # the printed table lists the two best in order, with their scores
    lines = [line.split() for line in out.splitlines()]
    table = [words for words in lines if words and words[0] in {"1", "2"}]
    assert [words[1] for words in table] == [rows[0]["feature"], rows[1]["feature"]]
    assert float(table[0][2]) == pytest.approx(rows[0]["mi_nats"], abs=5e-5)
    assert "(2 more; --k all shows every feature)" in out
    assert f"Wrote {out_json}" in out


def test_rank_csv_with_plugin_and_permutations(csv_path, tmp_path, capsys):
    path, _ = csv_path
    out_json = tmp_path / "ranking.json"
    code = main(
        [
            "rank",
            str(path),
            "--target",
            "label",
            "--estimator",
            "plugin",
            "--n-bins",
            "4",
            "--permutations",
            "19",
            "--k",
            "all",
            "--json",
            str(out_json),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "p-values: permutation test, 19 permutations" in out
    header = next(line for line in out.splitlines() if line.startswith("rank"))
    assert header.split()[-1] == "p-value"
    report = json.loads(out_json.read_text())
    pvalues = [r["pvalue"] for r in report["features"]]
    assert all(p in {(1 + c) / 20 for c in range(20)} for p in pvalues)
    assert report["features"][0]["pvalue"] == pytest.approx(1 / 20)
    assert report["estimator"] == repr(PlugIn(n_bins=4))


def test_continuous_target_and_target_kind(csv_path, capsys):
    path, _ = csv_path
    assert main(["rank", str(path), "--target", "size"]) == 0
    assert "continuous target 'size'" in capsys.readouterr().out
    code = main(["rank", str(path), "--target", "flag", "--target-kind", "discrete"])
    assert code == 0
    assert "discrete target 'flag'" in capsys.readouterr().out


def test_errors_are_reported_with_exit_code_1(csv_path, tmp_path, capsys):
    path, frame = csv_path
    assert main(["rank", str(path), "--target", "missing"]) == 1
    err = capsys.readouterr().err
    assert "no column 'missing'" in err and "'label'" in err

    frame.loc[5, "noise"] = np.nan
    holes = tmp_path / "holes.csv"
    frame.to_csv(holes, index=False)
    assert main(["rank", str(holes), "--target", "label"]) == 1
    assert "missing values in column(s) noise" in capsys.readouterr().err
    assert main(["rank", str(holes), "--target", "label", "--dropna"]) == 0
    assert "199 samples" in capsys.readouterr().out

    assert main(["rank", str(tmp_path / "absent.csv"), "--target", "label"]) == 1
    assert "skmi: error:" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv", [["--k", "0"], ["--k", "many"], ["--estimator", "tree"], ["rank"]]
)
def test_invalid_arguments_exit_with_code_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2


def test_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["rank", "--help"])
    assert exc.value.code == 0
    assert "--target COLUMN" in capsys.readouterr().out


def test_missing_pandas_gives_a_clear_error(csv_path, monkeypatch, capsys):
    path, _ = csv_path
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas fails
    assert main(["rank", str(path), "--target", "label"]) == 1
    assert "pip install 'skmi[cli]'" in capsys.readouterr().err


def test_python_m_skmi_ranks_breast_cancer():
    result = subprocess.run(
        [sys.executable, "-m", "skmi", "--k", "5"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "breast-cancer data, 569 samples, 30 features" in out
    assert "Ranked 30 features in" in out
    data = load_breast_cancer()
    selector = MutualInfoSelector(k=5, random_state=0).fit(data.data, data.target)
    best = data.feature_names[selector._ranking()[0]]
    first = next(line for line in out.splitlines() if line.strip().startswith("1 "))
    assert best in first
    assert f"{selector.scores_.max():.4f}" in first


def test_options_before_or_after_the_command(csv_path, capsys):
    path, _ = csv_path
    outputs = []
    for argv in (
        ["--k", "1", "--estimator", "plugin", "rank", str(path), "--target", "label"],
        ["rank", str(path), "--target", "label", "--k", "1", "--estimator", "plugin"],
    ):
        assert main(argv) == 0
        outputs.append(capsys.readouterr().out)
    assert "estimator: PlugIn()" in outputs[0]
    assert "(3 more; --k all shows every feature)" in outputs[0]
    strip = [o.rsplit("Ranked", 1)[0] for o in outputs]  # drop the timing
    assert strip[0] == strip[1]


def test_invalid_estimator_parameter_is_an_error(csv_path, capsys):
    path, _ = csv_path
    assert main(["rank", str(path), "--target", "label", "--n-neighbors", "0"]) == 1
    assert "n_neighbors" in capsys.readouterr().err


# -- reading files: separator, encoding, local plain files ----------------------


def _report(capsys, argv):
    """Run ``argv`` with ``--json -`` and return the parsed report and stderr."""
    assert main([*argv, "--json", "-"]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


@pytest.mark.parametrize("sep", [";", "\t", "|", ","])
def test_separator_is_sniffed(csv_path, tmp_path, capsys, sep):
    _, frame = csv_path
    path = tmp_path / "sniffed.csv"
    frame.to_csv(path, sep=sep, index=False)
    report, _ = _report(capsys, ["rank", str(path), "--target", "label"])
    assert report["sep"] == sep
    assert {r["feature"] for r in report["features"]} == {
        "size",
        "colour",
        "noise",
        "flag",
    }


@pytest.mark.parametrize("given", [";", "\\t", "tab"])
def test_separator_given(csv_path, tmp_path, capsys, given):
    _, frame = csv_path
    sep = ";" if given == ";" else "\t"
    path = tmp_path / "given.csv"
    frame.to_csv(path, sep=sep, index=False)
    argv = ["rank", str(path), "--target", "label", "--sep", given]
    report, _ = _report(capsys, argv)
    assert report["sep"] == sep and report["n_features"] == 4
    # the wrong separator reads one column, and the error says how it was read
    assert main(["rank", str(path), "--target", "label", "--sep", ","]) == 1
    err = capsys.readouterr().err
    assert "no column 'label'" in err and "separator ','" in err


def test_single_column_file_falls_back_to_comma(tmp_path, capsys):
    path = tmp_path / "one.csv"
    path.write_text("label\na\nb\n")
    assert main(["rank", str(path), "--target", "label"]) == 1
    assert "no column besides the target 'label'" in capsys.readouterr().err


@pytest.mark.parametrize("sep", ["::", "", "\n"])
def test_invalid_separator_is_a_usage_error(csv_path, sep, capsys):
    path, _ = csv_path
    with pytest.raises(SystemExit) as exc:
        main(["rank", str(path), "--target", "label", "--sep", sep])
    assert exc.value.code == 2
    assert "--sep" in capsys.readouterr().err


def test_encoding(csv_path, tmp_path, capsys):
    _, frame = csv_path
    frame = frame.assign(
        colour=frame["colour"].map({"red": "rouge", "green": "vert", "blue": "bleu é"})
    )
    frame = frame.rename(columns={"size": "taille à"})
    path = tmp_path / "latin.csv"
    frame.to_csv(path, index=False, encoding="latin-1")
    assert main(["rank", str(path), "--target", "label"]) == 1
    err = capsys.readouterr().err
    assert "not valid utf-8" in err and "--encoding" in err
    report, _ = _report(
        capsys, ["rank", str(path), "--target", "label", "--encoding", "latin-1"]
    )
    assert "taille à" in {r["feature"] for r in report["features"]}
    assert report["encoding"] == "iso8859-1"
    # the same data in UTF-8 with a byte-order mark, read by default
    bom = tmp_path / "bom.csv"
    frame.to_csv(bom, index=False, encoding="utf-8-sig")
    assert bom.read_bytes().startswith(codecs.BOM_UTF8)
    other, _ = _report(capsys, ["rank", str(bom), "--target", "label"])
    assert other["features"] == report["features"]
    with pytest.raises(SystemExit) as exc:
        main(["rank", str(path), "--target", "label", "--encoding", "klingon"])
    assert exc.value.code == 2
    assert "unknown encoding 'klingon'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/data.csv",
        "http://x/y.csv",
        "s3://bucket/data.csv",
        "file:///etc/passwd",
        "ftp://host/file.csv",
    ],
)
def test_urls_are_refused(url, capsys, monkeypatch):
    monkeypatch.setattr(
        MutualInfoSelector, "fit", lambda *a, **k: pytest.fail("computed")
    )
    assert main(["rank", url, "--target", "label"]) == 2
    assert "only local files are read" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["gzip", "bzip2", "xz", "zip", "tar"])
def test_compressed_files_and_archives_are_refused(csv_path, tmp_path, capsys, kind):
    path, _ = csv_path
    packed = tmp_path / "packed.csv"  # the name does not matter, the content does
    if kind == "zip":
        with zipfile.ZipFile(packed, "w") as z:
            z.write(path, "data.csv")
    elif kind == "tar":
        with tarfile.open(packed, "w") as t:
            t.add(path, "data.csv")
    else:
        module = {"gzip": gzip, "bzip2": bz2, "xz": lzma}[kind]
        packed.write_bytes(module.compress(path.read_bytes()))
    assert main(["rank", str(packed), "--target", "label"]) == 1
    err = capsys.readouterr().err
    assert f"is a {kind} file" in err and "plain-text CSV only" in err


# -- outputs -----------------------------------------------------------------------


def test_json_dash_writes_the_report_to_stdout_only(
    csv_path, tmp_path, capsys, monkeypatch
):
    path, _ = csv_path
    monkeypatch.chdir(tmp_path)
    report, _ = _report(capsys, ["rank", str(path), "--target", "label"])
    assert not (tmp_path / "-").exists()
    assert report["n_samples"] == 200 and len(report["features"]) == 4
    # the same report as --format json and as a file
    assert (
        main(
            [
                "rank",
                str(path),
                "--target",
                "label",
                "--format",
                "json",
                "--json",
                "out.json",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    printed = json.loads(captured.out)
    written = json.loads((tmp_path / "out.json").read_text())
    for other in (printed, written):
        assert other["features"] == report["features"]
    assert "Wrote out.json." in captured.err  # stdout holds the JSON only


def test_format_csv_lists_every_feature(csv_path, capsys):
    path, _ = csv_path
    report, _ = _report(capsys, ["rank", str(path), "--target", "label", "--k", "1"])
    assert (
        main(["rank", str(path), "--target", "label", "--k", "1", "--format", "csv"])
        == 0
    )
    table = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)
    assert list(table.columns) == [
        "rank",
        "feature",
        "mi_nats",
        "pvalue",
        "discrete",
        "id_like",
        "date",
        "selected",
    ]
    assert len(table) == 4
    for row, expected in zip(table.to_dict("records"), report["features"], strict=True):
        assert row["feature"] == expected["feature"]
        assert row["mi_nats"] == expected["mi_nats"]  # full precision
        assert row["pvalue"] == ""
        assert row["selected"] is expected["selected"]  # true/false


def test_format_table_is_the_default(csv_path, capsys):
    path, _ = csv_path
    assert main(["rank", str(path), "--target", "label", "--format", "table"]) == 0
    explicit = capsys.readouterr().out
    assert main(["rank", str(path), "--target", "label"]) == 0
    default = capsys.readouterr().out
    assert explicit.rsplit("Ranked", 1)[0] == default.rsplit("Ranked", 1)[0]
    assert default.splitlines()[3].split() == ["rank", "feature", "MI", "(nats)"]


def test_demo_takes_the_output_options(capsys):
    report, _ = _report(capsys, ["--k", "2"])
    assert report["source"] == "scikit-learn's breast-cancer data"
    assert report["sep"] is None and report["date_columns"] == []
    assert len(report["features"]) == 30
    assert sum(r["selected"] for r in report["features"]) == 2


def test_json_dash_and_another_stdout_format_conflict(csv_path, capsys):
    path, _ = csv_path
    assert (
        main(["rank", str(path), "--target", "label", "--json", "-", "--format", "csv"])
        == 2
    )
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "both write to standard output" in captured.err


def _refused(argv, capsys, monkeypatch, message):
    monkeypatch.setattr(
        MutualInfoSelector, "fit", lambda *a, **k: pytest.fail("computed")
    )
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_json_to_the_input_is_refused(csv_path, tmp_path, capsys, monkeypatch):
    path, _ = csv_path
    before = path.read_bytes()
    link = tmp_path / "link.csv"
    link.symlink_to(path)
    monkeypatch.chdir(tmp_path)
    for out in (str(path), "data.csv", "./data.csv", str(link)):
        _refused(
            ["rank", str(path), "--target", "label", "--json", out],
            capsys,
            monkeypatch,
            "is the input file",
        )
    assert path.read_bytes() == before


def test_output_paths_are_checked_before_the_computation(
    csv_path, tmp_path, capsys, monkeypatch
):
    path, _ = csv_path
    argv = ["rank", str(path), "--target", "label", "--json"]
    _refused(
        [*argv, str(tmp_path / "absent" / "out.json")],
        capsys,
        monkeypatch,
        "does not exist",
    )
    _refused([*argv, str(tmp_path)], capsys, monkeypatch, "is a directory")
    _refused(
        [*argv, "https://example.com/out.json"], capsys, monkeypatch, "looks like a URL"
    )
    assert not (tmp_path / "absent").exists()


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="permissions do not bind the superuser",
)
def test_unwritable_output_is_refused(csv_path, tmp_path, capsys, monkeypatch):
    path, _ = csv_path
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        _refused(
            [
                "rank",
                str(path),
                "--target",
                "label",
                "--json",
                str(locked / "out.json"),
            ],
            capsys,
            monkeypatch,
            "not writable",
        )
    finally:
        locked.chmod(0o700)


def test_unwritable_output_is_refused_as_any_user(
    csv_path, tmp_path, capsys, monkeypatch
):
    path, _ = csv_path
    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    _refused(
        ["rank", str(path), "--target", "label", "--json", str(tmp_path / "out.json")],
        capsys,
        monkeypatch,
        "not writable",
    )
    assert not (tmp_path / "out.json").exists()


# -- notices for options that do not apply ----------------------------------------


def test_notice_when_an_option_does_not_apply(csv_path, capsys):
    path, _ = csv_path
    argv = ["rank", str(path), "--target", "label"]
    report, err = _report(capsys, [*argv, "--n-bins", "4"])
    assert "notice: --n-bins applies to --estimator plugin only" in err
    assert report["estimator"] == "KSG()"
    report, err = _report(
        capsys, [*argv, "--estimator", "plugin", "--n-neighbors", "5"]
    )
    assert "notice: --n-neighbors applies to --estimator ksg only" in err
    assert report["estimator"] == "PlugIn()"
    # options that apply earn no notice
    report, err = _report(capsys, [*argv, "--n-neighbors", "5", "--estimator", "ksg"])
    assert err == "" and report["estimator"] == "KSG(n_neighbors=5)"
    report, err = _report(capsys, [*argv, "--estimator", "plugin", "--n-bins", "4"])
    assert err == "" and report["estimator"] == repr(PlugIn(n_bins=4))
    # also when given before the command
    assert main(["--n-bins", "4", *argv]) == 0
    assert "notice: --n-bins" in capsys.readouterr().err


def test_n_jobs_does_not_change_the_result(csv_path, capsys):
    path, _ = csv_path
    argv = ["rank", str(path), "--target", "label", "--permutations", "9"]
    one, _ = _report(capsys, [*argv, "--n-jobs", "1"])
    two, _ = _report(capsys, [*argv, "--n-jobs", "2"])
    assert one["features"] == two["features"]


def test_random_state_is_used(csv_path, capsys):
    path, frame = csv_path
    argv = ["rank", str(path), "--target", "label", "--permutations", "99"]
    a, _ = _report(capsys, [*argv, "--random-state", "1"])
    b, _ = _report(capsys, [*argv, "--random-state", "2"])
    assert a["random_state"] == 1 and b["random_state"] == 2
    pvalues = [{r["feature"]: r["pvalue"] for r in rep["features"]} for rep in (a, b)]
    assert pvalues[0] != pvalues[1]  # other permutations
    X = frame.drop(columns=["label"])
    selector = MutualInfoSelector(k="all", n_permutations=99, random_state=2).fit(
        X, frame["label"]
    )
    assert pvalues[1] == dict(zip(X.columns, selector.pvalues_, strict=True))


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"skmi {skmi.__version__}"


# -- dates and ID-like columns ---------------------------------------------------------


@pytest.fixture
def messy_csv(tmp_path):
    """Customer IDs, a day-first date, a time of day, a category and a signal."""
    rng = np.random.RandomState(1)
    n = 240
    signal = rng.standard_normal(n)
    days = pd.Timestamp("2021-01-01") + pd.to_timedelta(
        rng.permutation(n) * 2, unit="D"
    )
    frame = pd.DataFrame(
        {
            "customer_id": [f"C{i:05d}" for i in rng.permutation(n)],
            "joined": days.strftime("%d/%m/%Y"),
            "time": rng.choice(["09:30", "12:15", "17:45"], n),
            "plan": rng.choice(["basic", "pro"], n),
            "usage": signal,
            "churn": np.where(signal + 0.3 * rng.standard_normal(n) > 0, "yes", "no"),
        }
    )
    path = tmp_path / "customers.csv"
    frame.to_csv(path, index=False)
    return path, frame, days


def test_dates_are_parsed_into_seconds(messy_csv, capsys):
    path, frame, days = messy_csv
    report, _ = _report(
        capsys, ["rank", str(path), "--target", "churn", "--random-state", "4"]
    )
    assert report["date_columns"] == ["joined"]
    rows = {r["feature"]: r for r in report["features"]}
    assert rows["joined"]["date"] and not rows["joined"]["discrete"]
    assert not rows["time"]["date"] and rows["time"]["discrete"]  # no year
    # the scores are the selector's on the dates as seconds since 1970 (UTC)
    seconds = (days - pd.Timestamp("1970-01-01")) / pd.Timedelta(seconds=1)
    X = frame.drop(columns=["churn"]).assign(joined=np.asarray(seconds, float))
    selector = MutualInfoSelector(k="all", random_state=4).fit(X, frame["churn"])
    for name, score in zip(X.columns, selector.scores_, strict=True):
        assert rows[name]["mi_nats"] == pytest.approx(score, abs=1e-12)


def test_parse_dates_rules():
    frame = pd.DataFrame(
        {
            "iso": ["2021-03-04T10:00:00+01:00", "2021-03-04T09:00:00+00:00"],
            "month_first": ["03/04/2021", "12/31/2021"],
            "day_first": ["03/04/2021", "31/12/2021"],
            "fraction": ["1/2", "3/4"],
            "time": ["10:30", "11:45"],
            "month": ["Jan 2020", "Feb 2020"],
            "mixed": ["2021-01-01", "red"],
            "number": [1.5, 2.5],
        }
    )
    parsed, dates = parse_dates(frame)
    assert dates == ["iso", "month_first", "day_first"]
    utc = pd.Timestamp("2021-03-04T09:00:00", tz="UTC").timestamp()
    assert parsed["iso"].tolist() == [utc, utc]  # offsets converted to UTC
    day = 86400.0
    assert parsed["month_first"][1] - parsed["month_first"][0] == 302 * day
    assert parsed["day_first"][1] - parsed["day_first"][0] == 272 * day
    for name in ("fraction", "time", "month", "mixed", "number"):
        assert parsed[name].tolist() == frame[name].tolist()


def test_id_like_columns_are_flagged(messy_csv, capsys):
    path, _, _ = messy_csv
    argv = ["rank", str(path), "--target", "churn", "--estimator", "plugin"]
    report, err = _report(capsys, argv)
    assert report["id_like_columns"] == ["customer_id"]
    rows = {r["feature"]: r for r in report["features"]}
    assert rows["customer_id"]["id_like"]
    assert not any(r["id_like"] for n, r in rows.items() if n != "customer_id")
    # one warning per ID-like column, from the library's rule and advice
    notes = [line for line in err.splitlines() if "ID-like" in line]
    assert notes == [
        "skmi: warning: ID-like column 'customer_id': discrete with 240 distinct "
        "values in 240 rows, it looks like an identifier or free text. The "
        "counted information of such columns is adjusted for chance (an "
        "identifier scores zero); consider dropping them."
    ]
    # adjusted for chance, the identifier is not ranked first
    assert report["features"][0]["feature"] != "customer_id"
    # nothing else says it (the selector's own warning is replaced)
    assert "look like identifiers" not in err and "number of values" not in err
    assert main([*argv, "--k", "all"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "customer_id" in x)
    assert line.split()[-1] == "ID-like"
    assert next(x for x in out.splitlines() if " joined " in x).split()[-1] == "date"


@pytest.mark.parametrize("n_levels, flagged", [(50, False), (51, True)])
def test_id_like_threshold_is_half_the_rows(n_levels, flagged, tmp_path, capsys):
    n = 100
    codes = np.arange(n) % n_levels
    frame = pd.DataFrame(
        {
            "code": [f"k{c}" for c in codes],
            "x": np.linspace(0, 1, n),  # continuous: never ID-like
            "y": np.arange(n) % 2,
        }
    )
    frame.to_csv(tmp_path / "codes.csv", index=False)
    report, err = _report(
        capsys, ["rank", str(tmp_path / "codes.csv"), "--target", "y"]
    )
    assert report["id_like_columns"] == (["code"] if flagged else [])
    assert err.count("ID-like column") == int(flagged)


def test_json_report_matches_the_documented_schema(messy_csv, capsys):
    """Every field of the report is documented in docs/cli.rst, and vice versa."""
    page = (Path(__file__).resolve().parents[1] / "docs" / "cli.rst").read_text()
    schema = page.split("The JSON report", 1)[1]
    documented = set(re.findall(r'^\s+"(\w+)":', schema, flags=re.MULTILINE))
    path, _, _ = messy_csv
    report, _ = _report(capsys, ["rank", str(path), "--target", "churn"])
    assert documented == set(report) | set(report["features"][0])
    assert report["id_like_columns"] == ["customer_id"]
    assert report["date_columns"] == ["joined"]


def test_a_local_name_with_a_colon_reads_with_dot_slash(
    csv_path, tmp_path, capsys, monkeypatch
):
    path, frame = csv_path
    monkeypatch.chdir(tmp_path)
    frame.to_csv("run:3.csv", index=False)
    assert main(["rank", "run:3.csv", "--target", "label"]) == 2
    assert "write ./ before a local name" in capsys.readouterr().err
    report, _ = _report(capsys, ["rank", "./run:3.csv", "--target", "label"])
    assert report["source"] == "./run:3.csv" and report["n_samples"] == 200


# -- decimal marks ---------------------------------------------------------------------


def _european(tmp_path, n=200, seed=0):
    """A ';'-separated file with decimal commas: 'signal' determines the target."""
    rng = np.random.RandomState(seed)
    signal = rng.standard_normal(n)
    frame = pd.DataFrame(
        {
            "noise": rng.standard_normal(n),
            "signal": signal,
            "group": rng.choice(["a", "b"], n),
            "price": rng.uniform(1000, 5000, n).round(2),
            "target": (signal > 0).astype(int),
        }
    )
    path = tmp_path / "europe.csv"
    # prices with points grouping the thousands: 1.234,56
    grouped = [f"{p:,.2f}".translate(str.maketrans(",.", ".,")) for p in frame["price"]]
    text = frame.assign(price=grouped).to_csv(sep=";", decimal=",", index=False)
    path.write_text(text)
    return path, frame


def test_semicolon_file_with_decimal_commas_is_ranked_as_numbers(tmp_path, capsys):
    path, frame = _european(tmp_path)
    report, err = _report(capsys, ["rank", str(path), "--target", "target"])
    assert report["sep"] == ";" and report["decimal"] == ","
    rows = {r["feature"]: r for r in report["features"]}
    assert report["features"][0]["feature"] == "signal"
    assert rows["signal"]["mi_nats"] > 0.5  # a perfect predictor, not 0.0000
    assert not rows["signal"]["discrete"] and not rows["noise"]["discrete"]
    assert report["id_like_columns"] == [] and "ID-like" not in err
    # the same scores as the selector on the numbers
    X = frame.drop(columns=["target"])
    selector = MutualInfoSelector(k="all", random_state=0).fit(X, frame["target"])
    for name, score in zip(X.columns, selector.scores_, strict=True):
        assert rows[name]["mi_nats"] == pytest.approx(score, abs=1e-12)


def test_decimal_option(tmp_path, capsys):
    path, frame = _european(tmp_path)
    auto, _ = _report(capsys, ["rank", str(path), "--target", "target"])
    given, _ = _report(
        capsys, ["rank", str(path), "--target", "target", "--decimal", ","]
    )
    # (pandas reads the points grouping thousands as text when told the mark,
    # so only the columns without them are compared)
    rows = {r["feature"]: r["mi_nats"] for r in given["features"]}
    assert given["decimal"] == ","
    for r in auto["features"]:
        if r["feature"] != "price":
            assert rows[r["feature"]] == pytest.approx(r["mi_nats"], abs=1e-12)
    # '.' turns the detection off: the numbers stay text, discrete and ID-like
    point, err = _report(
        capsys, ["rank", str(path), "--target", "target", "--decimal", "."]
    )
    assert point["decimal"] == "."
    assert {"signal", "noise"} <= set(point["id_like_columns"])
    # a comma as both separator and decimal mark is a usage error
    assert (
        main(["rank", str(path), "--target", "t", "--sep", ",", "--decimal", ","]) == 2
    )
    assert "--decimal" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:  # argparse: only ',' or '.'
        main(["rank", str(path), "--target", "t", "--decimal", ";"])
    assert exc.value.code == 2
    assert "must be ',' or '.'" in capsys.readouterr().err


def test_decimal_commas_with_another_separator_are_named(tmp_path, capsys):
    path = tmp_path / "tabs.csv"
    rng = np.random.RandomState(0)
    x = rng.standard_normal(60)
    lines = ["x\tlabel"] + [f"{v:.3f}".replace(".", ",") + f"\t{int(v > 0)}" for v in x]
    path.write_text("\n".join(lines) + "\n")
    report, err = _report(capsys, ["rank", str(path), "--target", "label"])
    assert report["sep"] == "\t" and report["decimal"] == "."
    assert "warning: column 'x' looks like numbers written with a decimal comma" in err
    assert "--decimal ," in err
    report, err = _report(
        capsys, ["rank", str(path), "--target", "label", "--decimal", ","]
    )
    assert report["features"][0]["mi_nats"] > 0.5 and "decimal comma" not in err


def test_decimal_comma_columns_rules():
    frame = pd.DataFrame(
        {
            "comma": ["1,5", "-2", "3,25e-3"],
            "grouped": ["1.234,5", "12,0", "7"],
            "point": ["1.5", "2.5", "3,5"],  # two marks: text
            "words": ["a,b", "c", "d"],
            "ints": [1, 2, 3],
            "no_comma": ["1", "2", "3"],
        }
    )
    assert decimal_comma_columns(frame) == ["comma", "grouped"]
