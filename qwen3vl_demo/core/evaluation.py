"""Labelled retrieval sets: BEIR folders and zips, and the simple CSV against a gallery.

BEIR layout (https://github.com/beir-cellar/beir): ``corpus.jsonl`` (``_id``, ``title``, ``text``;
here also ``image`` / ``video``: a file name relative to the folder), ``queries.jsonl`` (the same
fields), ``qrels/<split>.tsv`` (``query-id``, ``corpus-id``, ``score``: a graded relevance, 0 = not
relevant). The CSV: a ``query,relevant`` header, then one query per line with the names of its
relevant gallery items separated by ``|`` (a file name, or a text item's text); a query that is the
name of a gallery image or video is that item, left out of its own ranking. An optional third
column, ``language`` (``en``, ``zh-CN``...), groups the queries: metrics are then also given per
language (the same query in several languages, against one gallery).

Every problem raises :class:`InputError` naming the file, the line and what is wrong; nothing is
returned half-read. Zips are extracted with bounds on size and file count, and no path may leave
the folder.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .items import Item, make_item
from .media import check_readable, kind_of_file, reason

MAX_ZIP_BYTES = 512 * 2**20  # uncompressed, all members together
MAX_ZIP_FILES = 5000
MAX_LINE_CHARS = 50_000


@dataclass
class LabelledSet:
    """Documents and queries with ids, and graded judgements: ``qrels[query id][doc id] = grade``.
    ``exclude[query id]``: a document left out of that query's ranking (the query itself);
    ``languages[query id]``: the query's language, where the set says (a CSV's ``language`` column)."""

    name: str  # in the summary: the uploaded file's name without its suffix
    doc_ids: list[str]
    documents: list[Item]
    query_ids: list[str]
    queries: list[Item]
    qrels: dict[str, dict[str, int]]
    exclude: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    source: str = ""  # the file the set came from, as its owner named it (messages start with it)
    languages: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        return (f"{self.name}: {len(self.queries)} queries, {len(self.documents)} documents, "
                f"{sum(len(v) for v in self.qrels.values())} judgements")

    def check_limits(self, max_documents: int, max_queries: int) -> None:
        if len(self.documents) > max_documents or len(self.queries) > max_queries:
            raise InputError(f"{self.summary()}; the limit here is {max_documents} documents and "
                             f"{max_queries} queries (larger sets: python -m qwen3vl_demo.evaluate DIR)")


# --- Zips --------------------------------------------------------------------------------------------
def extract_zip(path: str | os.PathLike, target: str | os.PathLike, max_bytes: int = MAX_ZIP_BYTES,
                max_files: int = MAX_ZIP_FILES) -> Path:
    """Extract ``path`` into ``target`` (bounded; no absolute or ``..`` names, no links) and return
    the folder holding ``corpus.jsonl`` (the root, or its one top-level folder). Every problem is an
    InputError naming the zip (and the member, where one is at fault)."""
    target, name = Path(target), Path(path).name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(f"{name} is not a readable zip file ({reason(exc)})") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        check_members(name, members, max_bytes, max_files)
        written = 0
        for member in members:
            written = copy_member(name, archive, member, target, written, max_bytes)
    return dataset_root(name, target)


def check_members(name: str, members: Sequence[zipfile.ZipInfo], max_bytes: int, max_files: int) -> None:
    if len(members) > max_files:
        raise InputError(f"{name}: the zip holds {len(members)} files; the limit is {max_files}")
    declared = sum(m.file_size for m in members)
    if declared > max_bytes:
        raise InputError(f"{name}: the zip unpacks to {declared / 2**20:.0f} MB; the limit is "
                         f"{max_bytes // 2**20} MB")
    for member in members:
        path = member.filename.replace("\\", "/")
        mode = member.external_attr >> 16
        if path.startswith("/") or ".." in path.split("/") or ":" in path.split("/")[0]:
            raise InputError(f"{name}: the zip member {member.filename!r} points outside the folder")
        if (mode & 0o170000) == 0o120000:
            raise InputError(f"{name}: the zip member {member.filename!r} is a link; links are not accepted")


def copy_member(name: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, written: int,
                max_bytes: int) -> int:
    """Copy one member, counting the bytes really written (a declared size can lie). A member that
    cannot be read (bad CRC, lying sizes, a truncated or undecodable stream, an unknown compression
    method, a password) is an InputError naming the zip and the member."""
    destination = target / member.filename.replace("\\", "/")
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        with archive.open(member) as source, destination.open("wb") as sink:
            for block in iter(lambda: source.read(1 << 20), b""):
                written += len(block)
                if written > max_bytes:
                    raise InputError(f"{name}: the zip unpacks to more than {max_bytes // 2**20} MB")
                sink.write(block)
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise InputError(f"{name}: the zip member {member.filename!r} {member_problem(exc)}") from None
    return written


def member_problem(exc: BaseException) -> str:
    """What is wrong with a zip member, from the error reading it raised."""
    if isinstance(exc, EOFError):
        return "is truncated (its data ends before the size its header gives)"
    if isinstance(exc, NotImplementedError):
        return "uses a compression method that cannot be read here (stored, deflate, bzip2 and lzma can)"
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc):
        return "is encrypted; upload the set without a password"
    if isinstance(exc, zlib.error):
        return f"is damaged: its compressed data cannot be decompressed ({reason(exc)})"
    return f"is damaged ({reason(exc)})"


def dataset_root(name: str, folder: Path) -> Path:
    if (folder / "corpus.jsonl").is_file():
        return folder
    inner = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(("__MACOSX", "."))]
    if len(inner) == 1 and (inner[0] / "corpus.jsonl").is_file():
        return inner[0]
    raise InputError(f"{name}: no corpus.jsonl found (expected at the top of the zip or of its one folder)")


def load_beir_zip(path: str | os.PathLike, target: str | os.PathLike, split: str | None = None,
                  max_bytes: int = MAX_ZIP_BYTES, max_files: int = MAX_ZIP_FILES) -> LabelledSet:
    """A BEIR set uploaded as a zip, extracted into ``target`` (a fresh folder, removed again if the
    set cannot be read) and named by the zip's file name (not by the folder it was unpacked to);
    every problem is an InputError that starts with the zip's name."""
    name = Path(path).name
    try:
        root = extract_zip(path, target, max_bytes, max_files)  # its messages name the zip already
        try:
            dataset = load_beir(root, split)
        except InputError as exc:
            raise InputError(f"{name}: {exc}") from None
    except InputError:
        shutil.rmtree(target, ignore_errors=True)
        raise
    dataset.name, dataset.source = Path(name).stem, name
    return dataset


# --- BEIR --------------------------------------------------------------------------------------------
def load_beir(folder: str | os.PathLike, split: str | None = None) -> LabelledSet:
    """A BEIR-style set from a folder (``corpus.jsonl``, ``queries.jsonl``, ``qrels/*.tsv``)."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"{root} is not a folder")
    doc_ids, documents = read_records(root, "corpus.jsonl")
    query_ids, queries = read_records(root, "queries.jsonl")
    qrels_path = qrels_file(root, split)
    qrels = read_qrels(qrels_path, set(query_ids), set(doc_ids))
    keep = [i for i, q in enumerate(query_ids) if q in qrels]
    notes = []
    if len(keep) < len(query_ids):
        notes.append(f"{len(query_ids) - len(keep)} queries of queries.jsonl have no judgement in "
                     f"{qrels_path.name} and are not evaluated")
    return LabelledSet(root.name, doc_ids, documents, [query_ids[i] for i in keep],
                       [queries[i] for i in keep], qrels, notes=notes, source=root.name)


def numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line) of the non-empty lines of a UTF-8 text file."""
    if not path.is_file():
        raise InputError(f"{path.name} is missing")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if len(line) > MAX_LINE_CHARS:
                raise InputError(f"{path.name} line {number}: longer than {MAX_LINE_CHARS:,} characters")
            yield number, line


def read_records(root: Path, name: str) -> tuple[list[str], list[Item]]:
    """Ids and items of ``corpus.jsonl`` or ``queries.jsonl``, in file order."""
    ids: list[str] = []
    items: list[Item] = []
    seen: dict[str, int] = {}
    for number, line in numbered_lines(root / name):
        where = f"{name} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not valid JSON ({exc.msg})") from None
        item_id = record_id(record, where)
        if item_id in seen:
            raise InputError(f"{where}: duplicate _id {item_id!r} (first on line {seen[item_id]})")
        seen[item_id] = number
        ids.append(item_id)
        items.append(record_item(record, root, where))
    if not ids:
        raise InputError(f"{name} has no records")
    return ids, items


def record_id(record: Any, where: str) -> str:
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object")
    value = record.get("_id")
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        raise InputError(f"{where}: missing _id (a non-empty string)")
    return str(value).strip()


def record_item(record: dict, root: Path, where: str) -> Item:
    """The item of a record: title + text, and at most one image or video file under ``root``."""
    texts = [record.get(k) for k in ("title", "text")]
    if any(t is not None and not isinstance(t, str) for t in texts):
        raise InputError(f"{where}: title and text must be strings")
    text = " ".join(t.strip() for t in texts if t and t.strip())
    files = [(k, record[k]) for k in ("image", "video") if record.get(k)]
    if len(files) > 1:
        raise InputError(f"{where}: give an image or a video, not both")
    if not files:
        if not text:
            raise InputError(f"{where}: no text, image or video")
        return make_item(text)
    return make_item(text, media_path(root, files[0][0], files[0][1], where))


def media_path(root: Path, kind: str, name: Any, where: str) -> str:
    """The file a record names, which must exist inside ``root`` and be of its kind."""
    if not isinstance(name, str):
        raise InputError(f"{where}: {kind} must be a file name")
    path = (root / name).resolve()
    if not path.is_relative_to(root.resolve()):
        raise InputError(f"{where}: {kind} {name!r} points outside the folder")
    if not path.is_file():
        raise InputError(f"{where}: {kind} file {name!r} not found")
    try:
        found = kind_of_file(path)
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    if found != kind:
        raise InputError(f"{where}: {name!r} is a{'n' if found == 'image' else ''} {found}, given as {kind}")
    try:
        check_readable(path, kind)  # its header only: a file that is no image or video, named now
    except InputError as exc:
        raise InputError(f"{where}: {kind} {name!r}: {exc}") from None
    return str(path)


def qrels_file(root: Path, split: str | None) -> Path:
    folder = root / "qrels"
    found = sorted(folder.glob("*.tsv")) if folder.is_dir() else []
    if split:
        wanted = folder / f"{split}.tsv"
        if wanted not in found:
            raise InputError(f"qrels/{split}.tsv is missing (found: {', '.join(p.name for p in found) or 'none'})")
        return wanted
    if not found:
        raise InputError("no qrels/*.tsv found")
    if len(found) == 1:
        return found[0]
    if folder / "test.tsv" in found:
        return folder / "test.tsv"
    raise InputError(f"several qrels files ({', '.join(p.name for p in found)}): choose a split")


def read_qrels(path: Path, query_ids: set[str], doc_ids: set[str]) -> dict[str, dict[str, int]]:
    """query id -> doc id -> grade, from ``query-id<TAB>corpus-id<TAB>score`` lines (a header
    line is allowed; a TREC ``q 0 doc grade`` line too)."""
    where_file = f"qrels/{path.name}"
    qrels: dict[str, dict[str, int]] = {}
    first_seen: dict[tuple[str, str], int] = {}
    for number, line in numbered_lines(path):
        fields = line.split("\t") if "\t" in line else line.split()
        if len(fields) == 4:
            fields = [fields[0], fields[2], fields[3]]
        if number == 1 and fields[-1].strip().lower() in ("score", "relevance", "grade"):
            continue
        query, doc, grade = qrels_line(fields, f"{where_file} line {number}", query_ids, doc_ids)
        if (query, doc) in first_seen:
            raise InputError(f"{where_file} line {number}: duplicate judgement of {doc!r} for query "
                             f"{query!r} (first on line {first_seen[query, doc]})")
        first_seen[query, doc] = number
        qrels.setdefault(query, {})[doc] = grade
    for query, docs in qrels.items():
        if not any(g >= 1 for g in docs.values()):
            raise InputError(f"{where_file}: query {query!r} has no relevant document (every grade is 0)")
    if not qrels:
        raise InputError(f"{where_file} has no judgements")
    return qrels


def qrels_line(fields: list[str], where: str, query_ids: set[str], doc_ids: set[str]) -> tuple[str, str, int]:
    if len(fields) != 3:
        raise InputError(f"{where}: expected query-id, corpus-id and score separated by tabs, got {len(fields)} fields")
    query, doc, grade_text = (f.strip() for f in fields)
    try:
        grade = int(grade_text)
    except ValueError:
        raise InputError(f"{where}: score {grade_text!r} is not an integer grade") from None
    if grade < 0:
        raise InputError(f"{where}: score {grade} is negative")
    if query not in query_ids:
        raise InputError(f"{where}: unknown query id {query!r} (not in queries.jsonl)")
    if doc not in doc_ids:
        raise InputError(f"{where}: unknown corpus id {doc!r} (not in corpus.jsonl)")
    return query, doc, grade


# --- The CSV against a gallery ----------------------------------------------------------------------
def item_key(item: Item) -> str:
    """How a CSV names a gallery item: its file name, or a text item's text."""
    return item.name or item.text


CSV_COLUMNS = ("query", "relevant", "language")  # the third one optional


def load_csv(text: str, gallery: Sequence[Item], name: str = "queries.csv") -> LabelledSet:
    """``query,relevant[,language]`` lines against ``gallery`` (relevant names separated by ``|``)."""
    by_name = gallery_names(gallery)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = [c.strip().lower() for c in rows[0]] if rows else []
    if tuple(header) not in (CSV_COLUMNS[:2], CSV_COLUMNS):
        raise InputError(f"{name} line 1: the header must be 'query,relevant' or 'query,relevant,language'")
    queries, query_ids, qrels, exclude, languages = [], [], {}, {}, {}
    seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"{name} line {number}"
        query_text, relevant, language = csv_row(row, where, len(header))
        if (language, query_text) in seen:
            raise InputError(f"{where}: duplicate query {query_text!r} (first on line {seen[language, query_text]})")
        seen[language, query_text] = number
        query_id = f"q{len(queries) + 1}"
        query = by_name.get(query_text)
        if query is not None and query.kind in ("image", "video"):
            exclude[query_id] = query_text
        queries.append(query if query is not None and query.kind in ("image", "video") else make_item(query_text))
        query_ids.append(query_id)
        qrels[query_id] = relevant_grades(relevant, by_name, where)
        if language:
            languages[query_id] = language
    if not queries:
        raise InputError(f"{name} has no queries after its header")
    return LabelledSet(Path(name).stem, list(by_name), list(by_name.values()), query_ids, queries, qrels, exclude,
                       source=name, languages=languages)


def gallery_names(gallery: Sequence[Item]) -> dict[str, Item]:
    """name -> item; the first of two items with one name wins (a later copy is not judged)."""
    names: dict[str, Item] = {}
    for item in gallery:
        names.setdefault(item_key(item), item)
    return names


def csv_row(row: list[str], where: str, columns: int = 2) -> tuple[str, list[str], str]:
    """(query, relevant names, language: "" where the set has no language column)."""
    if len(row) != columns:
        raise InputError(f"{where}: expected {columns} columns ({', '.join(CSV_COLUMNS[:columns])}), got {len(row)}; "
                         "quote a query that holds a comma")
    query_text = row[0].strip()
    relevant = [part.strip() for part in row[1].split("|") if part.strip()]
    if not query_text:
        raise InputError(f"{where}: the query is empty")
    if not relevant:
        raise InputError(f"{where}: no relevant item for query {query_text!r}")
    return query_text, relevant, row[2].strip() if columns > 2 else ""


def relevant_grades(names: list[str], by_name: dict[str, Item], where: str) -> dict[str, int]:
    grades: dict[str, int] = {}
    for relevant in names:
        if relevant not in by_name:
            raise InputError(f"{where}: unknown item {relevant!r} (not in the gallery)")
        if relevant in grades:
            raise InputError(f"{where}: {relevant!r} is listed twice")
        grades[relevant] = 1
    return grades
