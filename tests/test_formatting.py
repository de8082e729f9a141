"""Official input formatting: instructions, part order, conversations, prompts, vision expansion."""

from __future__ import annotations

import re

import pytest
from PIL import Image

from qwen3vl_demo import InputError
from qwen3vl_demo.core import config, formatting
from qwen3vl_demo.core.formatting import (
    IMAGE_PAD,
    IMAGE_PLACEHOLDER,
    VIDEO_PAD,
    VIDEO_PLACEHOLDER,
    VISION_END,
    VISION_START,
    VideoLayout,
)

DEFAULT = "Represent the user's input."


# --- instructions ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Find images matching this description.", "Find images matching this description."),
        ("Find images matching this description", "Find images matching this description."),
        ("abc", "abc."),
        ("Is this a cat?", "Is this a cat?"),
        ("Stop!", "Stop!"),
        ("找一张图片。", "找一张图片。"),  # Po
        ("找一张图片", "找一张图片."),
        ("Find (images)", "Find (images)"),  # Pe
        ("Say «yes»", "Say «yes»"),  # Pf
        ("list:", "list:"),
        ("a-", "a-"),  # Pd
        ("a…", "a…"),  # Po (ellipsis)
        ("Pay in $", "Pay in $."),  # Sc: a symbol, not punctuation
        ("1 + 1 =", "1 + 1 =."),  # Sm
        ("ends with 7", "ends with 7."),
        ("  padded instruction  ", "padded instruction."),
        ("\tpadded.\n", "padded."),
    ],
)
def test_embedding_instruction_punctuation(given, expected):
    assert formatting.embedding_instruction(given) == expected


@pytest.mark.parametrize("given", [None, "", " ", "   \n\t "])
def test_embedding_instruction_default(given):
    assert formatting.embedding_instruction(given) == DEFAULT == config.EMBED_DEFAULT_INSTRUCTION


def test_embedding_prompt_uses_instruction(embedder):
    item = {"text": "wooden spoons", "instruction": "  Find images matching this description "}
    ids = embedder.prepare(item).ids
    text = embedder.tokenizer.decode(ids)
    assert text.startswith("<|im_start|>system\nFind images matching this description.<|im_end|>\n")
    ids = embedder.prepare({"text": "wooden spoons", "instruction": "   "}).ids
    assert embedder.tokenizer.decode(ids).startswith(f"<|im_start|>system\n{DEFAULT}<|im_end|>\n")


# --- parsing and part order -----------------------------------------------------------------------
def test_parse_input_collects_parts():
    frames = [Image.new("RGB", (32, 32)) for _ in range(3)]
    parsed = formatting.parse_input(
        {"text": ["a", "", "b"], "image": ["x.jpg", None, ""], "video": frames, "instruction": "i", "fps": 2}
    )
    assert parsed.texts == ["a", "b"]
    assert parsed.images == ["x.jpg"]
    assert parsed.videos == [frames]  # a flat list of frames is one video
    assert (parsed.instruction, parsed.fps, parsed.max_frames) == ("i", 2, None)
    assert formatting.parse_input({"video": ["a.mp4", "b.mp4"]}).videos == ["a.mp4", "b.mp4"]
    assert formatting.parse_input({"video": ["f1.png", "f2.JPG"]}).videos == [["f1.png", "f2.JPG"]]
    assert formatting.parse_input({"video": "a.mp4", "text": "t"}).videos == ["a.mp4"]


def test_parse_input_rejects():
    for bad, cause in [("text", "expected a dict"), ({"texts": "a"}, "unknown key"),
                       ({"text": 3}, "text must be a string"), ({"text": "<|im_start|>"}, "reserved token"),
                       ({"instruction": 3}, "instruction must be a string"),
                       ({"instruction": "x" * 2001}, "longer than")]:
        with pytest.raises(InputError, match=cause):
            formatting.parse_input(bad)


def test_part_order_videos_images_texts():
    conversation = formatting.embedding_conversation("Do it.", 2, 2, ["first", "second"])
    assert conversation[0] == {"role": "system", "content": [{"type": "text", "text": "Do it."}]}
    assert conversation[1]["role"] == "user"
    parts = conversation[1]["content"]
    assert [p["type"] for p in parts] == ["video", "video", "image", "image", "text", "text"]
    assert [p["text"] for p in parts if p["type"] == "text"] == ["first", "second"]


def test_empty_input_is_null():
    for texts in ([],):
        parts = formatting.embedding_conversation(DEFAULT, 0, 0, texts)[1]["content"]
        assert parts == [{"type": "text", "text": "NULL"}]
    parts = formatting.embedding_conversation(DEFAULT, 0, 1, [])[1]["content"]
    assert parts == [{"type": "image", "image": ""}]


def test_rendered_embedding_prompt_exact(embedder):
    conversation = formatting.embedding_conversation("Do it.", 1, 1, ["hello", "world"])
    prompt = formatting.render(embedder.tokenizer, conversation)
    assert prompt == (
        "<|im_start|>system\nDo it.<|im_end|>\n<|im_start|>user\n"
        f"{VIDEO_PLACEHOLDER}{IMAGE_PLACEHOLDER}helloworld<|im_end|>\n<|im_start|>assistant\n"
    )
    empty = formatting.render(embedder.tokenizer, formatting.embedding_conversation(DEFAULT, 0, 0, []))
    assert empty == (
        f"<|im_start|>system\n{DEFAULT}<|im_end|>\n<|im_start|>user\nNULL<|im_end|>\n<|im_start|>assistant\n"
    )


def test_prepared_prompt_order_video_image_text(embedder):
    frames = [Image.new("RGB", (64, 64), (i * 40, 0, 0)) for i in range(4)]
    prepared = embedder.prepare({"text": "caption", "image": Image.new("RGB", (64, 64)), "video": frames})
    text = embedder.tokenizer.decode(prepared.ids)
    compact = re.sub(r"(<\|video_pad\|>)+", "V", re.sub(r"(<\|image_pad\|>)+", "I", text))
    assert compact == (
        f"<|im_start|>system\n{DEFAULT}<|im_end|>\n<|im_start|>user\n"
        "<0.2 seconds><|vision_start|>V<|vision_end|><1.2 seconds><|vision_start|>V<|vision_end|>"
        "<|vision_start|>I<|vision_end|>caption<|im_end|>\n<|im_start|>assistant\n"
    )


# --- reranker conversation ------------------------------------------------------------------------
def test_reranker_conversation_exact():
    conversation = formatting.reranker_conversation("Find it", (1, 1, ["q1"]), (0, 2, ["d1", "d2"]))
    assert conversation == [
        {"role": "system", "content": [{"type": "text", "text": (
            "Judge whether the Document meets the requirements based on the Query and the Instruct "
            'provided. Note that the answer can only be "yes" or "no".')}]},
        {"role": "user", "content": [
            {"type": "text", "text": "<Instruct>: Find it"},
            {"type": "text", "text": "<Query>:"},
            {"type": "video", "video": ""},
            {"type": "image", "image": ""},
            {"type": "text", "text": "q1"},
            {"type": "text", "text": "\n<Document>:"},
            {"type": "image", "image": ""},
            {"type": "image", "image": ""},
            {"type": "text", "text": "d1"},
            {"type": "text", "text": "d2"},
        ]},
    ]


def test_reranker_conversation_empty_sides_are_null():
    parts = formatting.reranker_conversation("I", (0, 0, []), (0, 0, []))[1]["content"]
    assert parts == [
        {"type": "text", "text": "<Instruct>: I"},
        {"type": "text", "text": "<Query>:"},
        {"type": "text", "text": "NULL"},
        {"type": "text", "text": "\n<Document>:"},
        {"type": "text", "text": "NULL"},
    ]


def test_reranker_prompt_exact(reranker):
    from qwen3vl_demo.core.inputs import LoadedMedia

    query = LoadedMedia(["A person riding a bicycle."], [], [])
    document = LoadedMedia(["A cyclist."], [], [])
    ids = reranker.prepare_pair(config.RERANK_DEFAULT_INSTRUCTION, query, document).ids
    assert reranker.tokenizer.decode(ids) == (
        f"<|im_start|>system\n{config.RERANK_SYSTEM_PROMPT}<|im_end|>\n<|im_start|>user\n"
        "<Instruct>: Given a search query, retrieve relevant candidates that answer the query."
        "<Query>:A person riding a bicycle.\n<Document>:A cyclist.<|im_end|>\n<|im_start|>assistant\n"
    )
    # The reranker instruction is used as given: no punctuation rule.
    ids = reranker.prepare_pair("no full stop", query, document).ids
    assert "<Instruct>: no full stop<Query>:" in reranker.tokenizer.decode(ids)


def test_rerank_default_instruction_when_none_or_empty(reranker):
    docs = [{"text": "A cyclist rides down a green bike lane."}, {"text": "Kitchen sink."}]
    query = {"text": "bicycle"}
    default = reranker.rerank(query, docs, instruction=config.RERANK_DEFAULT_INSTRUCTION)
    assert reranker.rerank(query, docs) == pytest.approx(default, abs=1e-6)
    assert reranker.rerank(query, docs, instruction="") == pytest.approx(default, abs=1e-6)
    other = reranker.rerank(query, docs, instruction="Find a video with the following visual content.")
    assert max(abs(a - b) for a, b in zip(other, default, strict=True)) > 1e-5


# --- vision expansion -----------------------------------------------------------------------------
def test_expand_vision_image():
    prompt = f"user\n{IMAGE_PLACEHOLDER}a cat"
    out = formatting.expand_vision(prompt, [6], [])
    assert out == f"user\n{VISION_START}{IMAGE_PAD * 6}{VISION_END}a cat"


def test_expand_vision_two_group_video():
    layout = VideoLayout(timestamps=[0.5625, 2.6875], tokens_per_group=4)
    out = formatting.expand_vision(f"x{VIDEO_PLACEHOLDER}y", [], [layout])
    group = f"{VISION_START}{VIDEO_PAD * 4}{VISION_END}"
    assert out == f"x<0.6 seconds>{group}<2.7 seconds>{group}y"
    assert out.count(VISION_START) == 2  # no extra outer pair


def test_expand_vision_mixed_in_order():
    prompt = f"{VIDEO_PLACEHOLDER}{VIDEO_PLACEHOLDER}{IMAGE_PLACEHOLDER}{IMAGE_PLACEHOLDER}t"
    videos = [VideoLayout([0.25], 2), VideoLayout([1.0, 3.0], 3)]
    out = formatting.expand_vision(prompt, [1, 5], videos)
    assert out == (
        f"<0.2 seconds>{VISION_START}{VIDEO_PAD * 2}{VISION_END}"
        f"<1.0 seconds>{VISION_START}{VIDEO_PAD * 3}{VISION_END}"
        f"<3.0 seconds>{VISION_START}{VIDEO_PAD * 3}{VISION_END}"
        f"{VISION_START}{IMAGE_PAD}{VISION_END}{VISION_START}{IMAGE_PAD * 5}{VISION_END}t"
    )


def test_expand_vision_count_mismatch():
    with pytest.raises(ValueError):
        formatting.expand_vision(IMAGE_PLACEHOLDER, [], [])
    with pytest.raises(ValueError):
        formatting.expand_vision("no placeholders", [4], [])
    with pytest.raises(ValueError):
        formatting.expand_vision(VIDEO_PLACEHOLDER, [], [])


# --- fitting to max_length ------------------------------------------------------------------------
def test_fit_to_length_cuts_only_user_text(embedder):
    tokenizer = embedder.tokenizer

    def build(texts):
        conversation = formatting.embedding_conversation(DEFAULT, 0, 1, texts[0])
        return formatting.expand_vision(formatting.render(tokenizer, conversation), [10], [])

    ids = formatting.fit_to_length(tokenizer, build, [["word " * 400]], 100)
    assert len(ids) <= 100
    text = tokenizer.decode(ids)
    assert text.count(IMAGE_PAD) == 10
    assert text.endswith("<|im_end|>\n<|im_start|>assistant\n")
    assert text.startswith(f"<|im_start|>system\n{DEFAULT}<|im_end|>\n<|im_start|>user\n")
    with pytest.raises(InputError, match="images/videos need"):
        formatting.fit_to_length(tokenizer, build, [["word"]], 20)
