"""The bundled examples, one list per tab, in the widgets' order; and what they embed.

The saved index holds the examples' embeddings with the sample gallery's, so a first click on an
example is answered from it, even while the model is still loading. The items are built by the
same ``forms`` functions as the handlers build them. No gradio here.
"""

from __future__ import annotations

from ..core import config
from ..core.config import ASSETS_DIR
from ..core.items import Item
from . import forms

QUERY_INSTRUCTION = "Retrieve images or text relevant to the user's query."
DOCUMENT_IMAGE_INSTRUCTION = "Find a document image that matches the given query."


def _asset(*parts: str) -> str:
    return str(ASSETS_DIR.joinpath(*parts))


SIMILARITY_EXAMPLES = [
    [
        "A woman playing with her dog on a beach at sunset.\nCyclists riding in a green city bike lane.\n"
        "A bathroom with a glass shower.",
        None, QUERY_INSTRUCTION,
        "A woman shares a quiet moment with her dog on the sand as the sun goes down.\n"
        "Wooden spoons laid out on a kitchen table.",
        [_asset("images", "img_8.jpg"), _asset("images", "img_7.jpg"), _asset("images", "img_4.jpg"),
         _asset("videos", "cycling.mp4")],
        "A bathroom sink under a mirror.", _asset("images", "img_9.jpg"),
        config.EMBED_DEFAULT_INSTRUCTION, False,
    ],
    [
        "", [_asset("images", "img_6.jpg"), _asset("images", "img_2.jpg")],
        "Find images that show the same kind of scene.", "",
        [_asset("images", "img_7.jpg"), _asset("images", "img_9.jpg"), _asset("images", "img_8.jpg"),
         _asset("images", "img_0.jpg"), _asset("videos", "bathrooms.mp4")],
        "", None, config.EMBED_DEFAULT_INSTRUCTION, False,
    ],
    [
        "A bar chart comparing the accuracy of several models.\nA diagram of a model architecture.",
        None, "Find a document image that matches the given query.", "",
        [_asset("documents", f"doc_{i}.jpg") for i in range(5)],
        "", None, config.EMBED_DEFAULT_INSTRUCTION, False,
    ],
    [  # a PDF document: one document per page (the same figures, as the pages of figures.pdf)
        "A bar chart comparing the accuracy of several models.\nA diagram of a model architecture.",
        None, "Find a document image that matches the given query.", "", [_asset("pdf", "figures.pdf")],
        "", None, config.EMBED_DEFAULT_INSTRUCTION, False,
    ],
    [  # several files as one document (one vector): three photos of bathrooms
        "A bathroom with a shower.\nCyclists riding in a city.", None, QUERY_INSTRUCTION,
        "A kitchen with a window.\nWooden spoons on a table.",
        [_asset("images", "img_6.jpg"), _asset("images", "img_7.jpg"), _asset("images", "img_9.jpg")],
        "", None, config.EMBED_DEFAULT_INSTRUCTION, True,
    ],
]

# Cross-lingual (one query per language, instructions in English as the model card advises): the
# captions of the sample photos and figures are English (assets/NOTICE.md); then the reverse, English
# queries against texts in five languages and screenshots of Chinese, Arabic and Hindi text.
CROSS_LINGUAL_SIMILARITY = [
    [
        "山路上的一辆摩托车。\nراكبو دراجات في مسار دراجات أخضر في المدينة.\nकांच के शॉवर वाला एक बाथरूम।\n"
        "Cucharas de madera sobre una mesa.\nボウルに卵を割り入れる手。",
        None, QUERY_INSTRUCTION, "",
        [_asset("images", "img_0.jpg"), _asset("images", "img_8.jpg"), _asset("images", "img_7.jpg"),
         _asset("images", "img_4.jpg"), _asset("images", "example_0.jpeg")],
        "", None, config.EMBED_DEFAULT_INSTRUCTION, False,
    ],
    [
        "比较几组数据的柱状图。\nمخطط لحلقة تغذية راجعة بين التطور والبيئة.\nसमय के साथ दोलन करता हुआ एक संकेत।\n"
        "Gráficos de dispersión con puntos rojos y negros.\n誤差棒付きの天文観測データ。",
        None, DOCUMENT_IMAGE_INSTRUCTION, "",
        [_asset("documents", f"doc_{i}.jpg") for i in (1, 9, 8, 4, 3)],
        "", None, config.EMBED_DEFAULT_INSTRUCTION, False,
    ],
    [
        "A bathroom with a glass shower.\nCyclists riding in a green city bike lane.\nHow to fry eggs in a pan.",
        None, QUERY_INSTRUCTION,
        "浴室里有一个玻璃淋浴间和一个洗手台。\nيركب الناس دراجاتهم في مسار أخضر وسط المدينة.\n"
        "पैन में अंडे तलने का आसान तरीका।\nUn tren de cercanías pasa junto a la vía.\n山道をバイクで走る男性。",
        [_asset("multilingual", "notice_zh.png"), _asset("multilingual", "sign_ar.png"),
         _asset("multilingual", "recipe_hi.png")],
        "", None, config.EMBED_DEFAULT_INSTRUCTION, False,
    ],
]
SIMILARITY_EXAMPLES += CROSS_LINGUAL_SIMILARITY

SEARCH_EXAMPLES = [  # the embedding size is left as it is (full size)
    ["A woman playing with her dog on a beach at sunset.", None, None, QUERY_INSTRUCTION, 5, True],
    ["A clean bathroom with a shower.", None, None, "Find images matching this description.", 5, True],
    ["", _asset("images", "img_2.jpg"), None, "Find images that show the same kind of scene.", 5, False],
    ["", None, _asset("videos", "cycling.mp4"), "Find images that show what happens in this video.", 5,
     True],
    # cross-lingual: one query in each of five languages over the English-captioned gallery
    ["浴室里的玻璃淋浴间", None, None, QUERY_INSTRUCTION, 5, True],
    ["راكبو دراجات في مسار دراجات في المدينة", None, None, QUERY_INSTRUCTION, 5, True],
    ["किसी वैज्ञानिक लेख का बार चार्ट", None, None, DOCUMENT_IMAGE_INSTRUCTION, 5, True],
    ["Un tren de cercanías pasa junto a un ciclista", None, None, QUERY_INSTRUCTION, 5, True],
    ["テーブルに並んだ木のスプーン", None, None, QUERY_INSTRUCTION, 5, True],
]

RERANK_EXAMPLES = [
    ["A woman playing with her dog on a beach at sunset.", None, config.RERANK_DEFAULT_INSTRUCTION,
     "A woman shares a moment with her dog on the sand at dusk.\nA city street at night.\n"
     "Dogs are loyal companions.",
     [_asset("images", "img_8.jpg"), _asset("images", "img_1.jpg")]],
    ["", _asset("images", "img_4.jpg"),
     "Given a caption, determine if the image matches the description.",
     "Wooden spoons laid out on a table.\nA train passing by.\nA bathroom with a glass shower.", []],
    ["Cyclists in a city.", None, config.RERANK_DEFAULT_INSTRUCTION, "",
     [_asset("videos", "cycling.mp4"), _asset("videos", "bathrooms.mp4"), _asset("images", "img_8.jpg"),
      _asset("images", "img_3.jpg")]],
]


def embedding_inputs() -> list[tuple[Item, str | None]]:
    """(item, instruction) for everything the Similarity and Search examples embed, built as their
    handlers build them."""
    found: list[tuple[Item, str | None]] = []
    for row in SIMILARITY_EXAMPLES:
        q_text, q_files, q_instruction, d_text, d_files, pair_text, pair_image, d_instruction, one = row
        queries, documents = forms.similarity_items(q_text, q_files, d_text, d_files, pair_text, pair_image,
                                                    as_one=one)
        found += [(item, forms.instruction(q_instruction, "query") or None) for item in queries]
        found += [(item, forms.instruction(d_instruction, "document") or None) for item in documents]
    for query_text, query_image, query_video, instruction, *_ in SEARCH_EXAMPLES:
        found.append((forms.search_query(query_text, query_image, query_video),
                      forms.instruction(instruction, "query") or None))
    return found
