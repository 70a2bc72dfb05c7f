"""Tests of the command line ``python -m skmi``."""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer

from skmi import MutualInfoSelector
from skmi.__main__ import main
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
        ["rank", str(path), "--target", "label", "--k", "2",
         "--json", str(out_json), "--random-state", "3"]
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
        ["rank", str(path), "--target", "label", "--estimator", "plugin",
         "--n-bins", "4", "--permutations", "19", "--k", "all",
         "--json", str(out_json)]
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
        capture_output=True, text=True, timeout=120, check=False,
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
