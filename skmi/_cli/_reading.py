"""Reading CSV files: separators, encodings, decimal marks and dates.

Only local, plain-text files are read (compressed files and archives are
refused by their content). What the columns hold is then read by the library
(:mod:`skmi._columns`), as for any DataFrame; the command line's own rules are
about text: which text columns are dates and which are numbers written with a
decimal comma.
"""

import csv
import re
import warnings

__all__ = [
    "decimal_comma_columns",
    "load_breast_cancer",
    "load_csv",
    "parse_dates",
    "read_decimal_commas",
]

#: Separators the sniffer chooses from, when ``--sep`` is not given.
SNIFFED_SEPARATORS = ",;\t|"

#: Bytes read to guess the separator.
SNIFF_BYTES = 64 * 1024

#: Leading bytes of compressed files and archives, which are refused.
_MAGIC = (
    (0, b"\x1f\x8b", "gzip"),
    (0, b"BZh", "bzip2"),
    (0, b"\xfd7zXZ\x00", "xz"),
    (0, b"\x28\xb5\x2f\xfd", "zstandard"),
    (0, b"PK\x03\x04", "zip"),
    (0, b"PK\x05\x06", "zip"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z"),
    (257, b"ustar", "tar"),
)


def _refuse_compressed(path):
    """Raise a ValueError when the file starts like an archive or compressed file.

    Only plain-text CSV is read, detected by content rather than by name.
    """
    with open(path, "rb") as f:
        head = f.read(262)
    for offset, magic, kind in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            raise ValueError(
                f"{path} is a {kind} file; skmi reads plain-text CSV only: "
                "decompress or extract it first"
            )


def _sniff_separator(text):
    """The separator of a CSV sample, among :data:`SNIFFED_SEPARATORS`.

    A comma when the sample does not decide (for instance a single column).
    """
    if "\n" in text:
        text = text[: text.rindex("\n")]  # whole lines only
    try:
        return csv.Sniffer().sniff(text, delimiters=SNIFFED_SEPARATORS).delimiter
    except csv.Error:
        return ","


def _pandas():
    try:
        import pandas
    except ImportError:
        raise RuntimeError(
            "reading CSV files needs pandas: pip install 'skmi[cli]'"
        ) from None
    return pandas


def _read_csv(path, sep, encoding, decimal):
    """A local CSV file as a DataFrame, the separator and the encoding used.

    The file is opened here, so pandas reads a text stream and never a path
    it could resolve as a URL or decompress.
    """
    pd = _pandas()
    _refuse_compressed(path)
    encoding = encoding or "utf-8-sig"
    try:
        with open(path, encoding=encoding, newline="") as f:
            if sep is None:
                sep = _sniff_separator(f.read(SNIFF_BYTES))
                f.seek(0)
            frame = pd.read_csv(f, sep=sep, decimal=decimal or ".")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{path} is not valid {exc.encoding} text ({exc.reason}); pass its "
            "encoding with --encoding, e.g. --encoding latin-1"
        ) from None
    except pd.errors.EmptyDataError:
        raise ValueError(f"{path} is empty") from None
    return frame, sep, encoding


#: A number written with a decimal comma: a sign, digits (perhaps grouped by
#: points in threes), a comma and digits, an exponent.
_COMMA_NUMBER = re.compile(
    r"\s*[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?:[eE][+-]?\d+)?\s*"
)


def decimal_comma_columns(frame):
    """The text columns that hold numbers written with a decimal comma.

    A column qualifies when every value matches :data:`_COMMA_NUMBER` and at
    least one holds a comma (``1,5``, ``-0,25``, ``1.234,5``, ``2,5e-3``).

    Parameters
    ----------
    frame : DataFrame

    Returns
    -------
    list
        The names of those columns, in the order of the frame.

    Examples
    --------
    >>> import pandas as pd
    >>> from skmi._cli._reading import decimal_comma_columns
    >>> frame = pd.DataFrame({"a": ["1,5", "2"], "b": ["x", "1,5"], "c": [1, 2]})
    >>> decimal_comma_columns(frame)
    ['a']
    """
    found = []
    for name in frame.columns:
        values = _text_values(frame[name])
        if values is None or not any("," in v for v in values):
            continue
        if all(_COMMA_NUMBER.fullmatch(v) for v in values):
            found.append(name)
    return found


def _text_values(column):
    """The present values of a text column as a list of str, else None."""
    pd = _pandas()
    if not (column.dtype == object or pd.api.types.is_string_dtype(column)):
        return None
    values = column.dropna().tolist()
    if not values or not all(isinstance(v, str) for v in values):
        return None
    return values


def read_decimal_commas(frame, names):
    """A copy of ``frame`` with the columns ``names`` read as numbers written
    with a decimal comma (points grouping thousands are dropped)."""
    pd = _pandas()
    frame = frame.copy()
    for name in names:
        text = frame[name].str.strip().str.replace(".", "", regex=False)
        frame[name] = pd.to_numeric(text.str.replace(",", ".", regex=False))
    return frame


def _decimal_commas(frame, sep, decimal):
    """Read the numbers written with a decimal comma when the separator is ';'.

    Returns the frame, the decimal mark used and warnings naming the columns
    that look like such numbers but are left as text (another separator).
    """
    if decimal is not None:
        return frame, decimal, []
    names = decimal_comma_columns(frame)
    if not names:
        return frame, ".", []
    if sep == ";":
        return read_decimal_commas(frame, names), ",", []
    notes = [
        f"column {str(name)!r} looks like numbers written with a decimal comma "
        "and is read as text (discrete); pass --decimal , to read its values "
        "as numbers"
        for name in names
    ]
    return frame, ".", notes


def _date_format(values):
    """The one date format of a text column, or None.

    The format is guessed from the first value, month first and then day
    first; it must hold a year and a day, and every value must match it.
    """
    pd = _pandas()
    try:
        from pandas.tseries.api import guess_datetime_format
    except ImportError:  # pandas < 2.2
        from pandas._libs.tslibs.parsing import guess_datetime_format
    for dayfirst in (False, True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas' notes on dayfirst
            fmt = guess_datetime_format(values.iloc[0], dayfirst=dayfirst)
        if fmt is None or "%d" not in fmt or not ("%Y" in fmt or "%y" in fmt):
            continue
        try:
            pd.to_datetime(values, format=fmt, utc=True)
        except (ValueError, OverflowError):
            continue
        return fmt
    return None


def parse_dates(frame):
    """Convert the text columns that hold dates into seconds since 1970 (UTC).

    A text column is a date column when all its values match one date format
    (with a year and a day) guessed from its first value, month first and
    then day first. Its values become float seconds since 1970-01-01 UTC
    (times with an offset are converted to UTC, times without one are taken
    as UTC), a continuous column.

    Parameters
    ----------
    frame : DataFrame
        The table as read.

    Returns
    -------
    frame : DataFrame
        A copy with the date columns converted.
    dates : list of str
        The names of the converted columns.
    """
    pd = _pandas()
    frame = frame.copy()
    dates = []
    for name in frame.columns:
        column = frame[name]
        if not (column.dtype == object or pd.api.types.is_string_dtype(column)):
            continue
        values = column.dropna()
        if values.empty or not all(isinstance(v, str) for v in values):
            continue
        fmt = _date_format(values)
        if fmt is None:
            continue
        parsed = pd.to_datetime(column, format=fmt, utc=True)
        epoch = pd.Timestamp("1970-01-01", tz="UTC")
        frame[name] = (parsed - epoch) / pd.Timedelta(seconds=1)
        dates.append(str(name))
    return frame, dates


def load_csv(path, target, *, dropna=False, sep=None, encoding=None, decimal=None):
    """Read a CSV file into the features, the target and what was read.

    Returns ``X`` (a DataFrame with string column names), ``y``, the target's
    name and a dict: the separator, the encoding and the decimal mark used,
    the date columns, and warnings for standard error.
    """
    frame, sep, encoding = _read_csv(path, sep, encoding, decimal)
    if target not in frame.columns:
        raise ValueError(
            f"no column {target!r} in {path} (read with separator {sep!r}; "
            "--sep sets it); the columns are "
            + ", ".join(repr(str(c)) for c in frame.columns)
        )
    if dropna:
        frame = frame.dropna()
    elif frame.isna().any().any():
        missing = [str(c) for c in frame.columns[frame.isna().any()]]
        raise ValueError(
            f"missing values in column(s) {', '.join(missing)}; pass --dropna to "
            "drop those rows"
        )
    if frame.shape[0] == 0:
        raise ValueError(f"{path} has no rows to rank")
    frame, decimal, notes = _decimal_commas(frame, sep, decimal)
    frame, dates = parse_dates(frame)
    y = frame[target].to_numpy()
    X = frame.drop(columns=[target])
    X.columns = [str(c) for c in X.columns]
    if X.shape[1] == 0:
        raise ValueError(f"{path} has no column besides the target {target!r}")
    read = {
        "sep": sep,
        "encoding": encoding,
        "decimal": decimal,
        "dates": dates,
        "warnings": notes,
    }
    return X, y, target, read


def load_breast_cancer():
    """scikit-learn's breast-cancer data: X, y, the feature names, the target."""
    from sklearn.datasets import load_breast_cancer as load

    data = load()
    return data.data, data.target, list(data.feature_names), "diagnosis"
