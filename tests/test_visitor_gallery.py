"""The visitor's gallery as kept in their session: items with ids of their own, removed one at a
time; the thumbnails under an upload box (no server: the functions the page's events call)."""

from __future__ import annotations

from pathlib import Path

from conftest import ASSETS

from qwen3vl_demo.core.items import Item
from qwen3vl_demo.ui.paths import generated_dir
from qwen3vl_demo.ui.previews import upload_previews
from qwen3vl_demo.ui.visitor_gallery import add_what_fits, remove_choices, without_one


def test_two_items_of_one_label_are_removed_one_at_a_time() -> None:
    twins = [Item("image", path="/a/IMG_0001.jpg"), Item("image", path="/b/IMG_0001.jpg"), Item("text", text="x")]
    mine, added, refused = add_what_fits([], twins, [])
    assert len(mine) == len(added) == 3 and not refused and len({d["id"] for d in mine}) == 3
    menu = remove_choices(mine)
    assert [label for label, _ in menu] == ["1. IMG_0001.jpg", "2. IMG_0001.jpg", "3. x"]
    kept, label = without_one(mine, menu[1][1])  # the second one, by its id
    assert label == "IMG_0001.jpg" and [d["path"] for d in kept] == ["/a/IMG_0001.jpg", ""]
    kept, label = without_one(mine, "IMG_0001.jpg")  # an API caller's label: the first of them only
    assert [d["path"] for d in kept] == ["/b/IMG_0001.jpg", ""]
    assert without_one(mine, "nothing like it") == (mine, None)


def test_upload_previews_show_whole_names_and_name_a_bad_file(tmp_path: Path) -> None:
    folder = generated_dir() / "preview-test"  # a folder the app's files may come from
    folder.mkdir(exist_ok=True)
    broken = folder / "scan & notes.jpg"
    broken.write_text("not an image")
    long_name = folder / ("a_very_long_name_" * 4 + ".jpg")
    long_name.write_bytes((ASSETS / "images" / "img_1.jpg").read_bytes())
    shown = upload_previews([str(long_name), str(ASSETS / "videos" / "cycling.mp4"), str(broken)])
    assert shown.count("<figure") == 3 and shown.count("data:image/jpeg;base64,") == 2
    assert long_name.name in shown and "🎞️ cycling.mp4" in shown
    assert "scan &amp; notes.jpg is not a readable image" in shown  # named, and escaped
    assert upload_previews(None) == "" and upload_previews([]) == ""
    assert "only uploaded files" in upload_previews(["/etc/passwd"])
