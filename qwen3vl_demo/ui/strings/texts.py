"""The fixed paragraphs: each tab's introduction, the notes under results, the footer. Markdown;
code, file names and option names stay as they are in every language."""

from __future__ import annotations

from .locales import tr

INSIDE_INTRO = (
    "See the properties the model card promises: smaller and quantized vectors, instruction awareness, clusters "
    "of mixed media, and what a video becomes. Everything runs on the gallery of the *Gallery search* tab "
    "(samples + your items)."
)
EXPORT_INTRO = (
    "The gallery's embeddings (samples + your items) as a NumPy `.npz`: `embeddings` [n, dim] float32 "
    "L2-normalised, `names`, `kinds`, `dim`, `model`. Every result elsewhere has its own CSV and JSON downloads."
)
QUANTIZATION_NOTE = (
    "**How the vectors are stored.** *float d*: the first *d* numbers of the embedding, renormalised (MRL). "
    "*int8*: each dimension scaled to −128…127 with that dimension's minimum and maximum over the gallery "
    "(scalar quantization, as vector databases do it; the query uses the same ranges). *binary*: one sign bit "
    "per dimension, packed 8 per byte, compared by Hamming similarity (its score error is measured on the "
    "cosine it estimates, cos(π·Hamming/d)). Everything is compared with float at full size: how many of its "
    "top-k are kept, and how far the scores move."
)
EVALUATE_INTRO = (
    "How good is retrieval **on your data**, does the reranker earn its cost, and how small can the vectors be? "
    "Upload a labelled set, or run a bundled example: 18 hand-written queries over the sample gallery, or 16 of "
    "them in 11 languages, each language's metrics side by side with its gap to English. Formats: a **BEIR "
    "zip** (`corpus.jsonl` with `_id` and `text` and/or an `image` / `video` file name, `queries.jsonl`, "
    "`qrels/test.tsv` with graded `query-id, corpus-id, score`, media files alongside), or a **CSV** "
    "`query,relevant` (and optionally `language`) with the relevant gallery items' names separated by `|`, "
    "evaluated against the gallery of *Gallery search* (samples + your items; a query that is the name of a "
    "gallery image or video is that item). Metrics by trec_eval (pytrec_eval)."
)
EVALUATE_LIMITS = (
    "Limits here: {documents} documents, {queries} queries, rerank depth up to {depth}, zips up to {mb} MB "
    "({unpacked} MB unpacked). Larger sets: `python -m qwen3vl_demo.evaluate DIR` (same metrics). Everything is "
    "embedded once and cached: another size or a smaller depth costs no forward pass. With random-weight test "
    "models the numbers are meaningless."
)
FOOTER = (
    "Limits: {queries} queries · {documents} documents · {mb} MB per file · videos up to {minutes} min · your "
    "uploads stay in your session. Sample media: Qwen3-VL-Embedding repository (Apache-2.0), see "
    "assets/NOTICE.md. Language: your browser's; change it under Settings at the foot of the page."
)

STRINGS = {
    INSIDE_INTRO: tr(
        zh="查看模型卡所承诺的特性：更小的向量与量化向量、对指令的感知、混合媒体的聚类，以及一段视频会变成什么。"
           "一切都在 *图库搜索* 标签页的图库上运行（示例 + 你的项目）。",
        ja="モデルカードが約束する性質を確かめます：小さなベクトルと量子化ベクトル、指示文への反応、さまざまなメディアのクラスター、"
           "そして動画が何に変わるか。すべて *ギャラリー検索* タブのギャラリー（サンプル＋自分の項目）で動きます。",
        ko="모델 카드가 약속하는 특성을 확인하세요: 더 작은 벡터와 양자화된 벡터, 지시문 인식, 여러 미디어의 클러스터, "
           "그리고 동영상이 무엇이 되는지. 모두 *갤러리 검색* 탭의 갤러리(샘플 + 내 항목)에서 실행됩니다.",
        es="Mira las propiedades que promete la ficha del modelo: vectores más pequeños y cuantizados, sensibilidad "
           "a las instrucciones, grupos de medios mezclados y en qué se convierte un vídeo. Todo se ejecuta sobre la "
           "galería de la pestaña *Buscar en la galería* (muestras + tus elementos).",
        fr="Voyez les propriétés que promet la fiche du modèle : vecteurs plus petits et quantifiés, sensibilité aux "
           "consignes, groupes de médias mélangés, et ce que devient une vidéo. Tout s'exécute sur la galerie de "
           "l'onglet *Recherche dans la galerie* (exemples + vos éléments).",
        de="Die Eigenschaften, die die Model Card verspricht: kleinere und quantisierte Vektoren, Gespür für "
           "Anweisungen, Cluster gemischter Medien und was aus einem Video wird. Alles läuft auf der Galerie des "
           "Tabs *Galeriesuche* (Beispiele + Ihre Elemente).",
        pt="Veja as propriedades que o cartão do modelo promete: vetores menores e quantizados, sensibilidade às "
           "instruções, grupos de mídias misturadas e no que um vídeo se transforma. Tudo roda sobre a galeria da "
           "aba *Busca na galeria* (amostras + seus itens).",
        ru="Свойства, которые обещает карточка модели: меньшие и квантованные векторы, чувствительность к "
           "инструкциям, кластеры из разных медиа и то, во что превращается видео. Всё работает на галерее вкладки "
           "*Поиск по галерее* (примеры + ваши элементы).",
        ar="شاهد الخصائص التي تعد بها بطاقة النموذج: متجهات أصغر ومكمّمة، والتأثر بالتعليمات، وعناقيد من وسائط "
           "مختلطة، وما يصير إليه الفيديو. يعمل كل شيء على معرض تبويب *البحث في المعرض* (العينات + عناصرك)."),
    EXPORT_INTRO: tr(
        zh="图库的嵌入（示例 + 你的项目）导出为 NumPy `.npz`：`embeddings` [n, dim] float32、L2 归一化，以及 `names`、"
           "`kinds`、`dim`、`model`。其他每个结果都有自己的 CSV 和 JSON 下载。",
        ja="ギャラリー（サンプル＋自分の項目）の埋め込みを NumPy の `.npz` で：`embeddings` [n, dim] float32・L2 正規化、"
           "`names`、`kinds`、`dim`、`model`。ほかの結果にはそれぞれ CSV と JSON のダウンロードがあります。",
        ko="갤러리(샘플 + 내 항목)의 임베딩을 NumPy `.npz`로: `embeddings` [n, dim] float32, L2 정규화, `names`, "
           "`kinds`, `dim`, `model`. 다른 모든 결과에는 각자의 CSV와 JSON 다운로드가 있습니다.",
        es="Los embeddings de la galería (muestras + tus elementos) como `.npz` de NumPy: `embeddings` [n, dim] "
           "float32 normalizados L2, `names`, `kinds`, `dim`, `model`. Cada resultado tiene además sus propias "
           "descargas CSV y JSON.",
        fr="Les embeddings de la galerie (exemples + vos éléments) en `.npz` NumPy : `embeddings` [n, dim] float32 "
           "normalisés L2, `names`, `kinds`, `dim`, `model`. Chaque autre résultat a ses propres téléchargements "
           "CSV et JSON.",
        de="Die Embeddings der Galerie (Beispiele + Ihre Elemente) als NumPy-`.npz`: `embeddings` [n, dim] float32, "
           "L2-normiert, `names`, `kinds`, `dim`, `model`. Jedes andere Ergebnis hat eigene CSV- und JSON-Downloads.",
        pt="Os embeddings da galeria (amostras + seus itens) como `.npz` do NumPy: `embeddings` [n, dim] float32 "
           "normalizados L2, `names`, `kinds`, `dim`, `model`. Cada outro resultado tem seus próprios downloads "
           "CSV e JSON.",
        ru="Эмбеддинги галереи (примеры + ваши элементы) в NumPy `.npz`: `embeddings` [n, dim] float32 с "
           "L2-нормировкой, `names`, `kinds`, `dim`, `model`. У каждого другого результата есть свои файлы CSV и JSON.",
        ar="تضمينات المعرض (العينات + عناصرك) كملف NumPy بصيغة `.npz`: `embeddings` [n, dim] من نوع float32 "
           "مطبّعة L2، و`names` و`kinds` و`dim` و`model`. ولكل نتيجة أخرى تنزيلات CSV وJSON خاصة بها."),
    QUANTIZATION_NOTE: tr(
        zh="**向量如何存储。** *float d*：嵌入的前 *d* 个数，重新归一化（MRL）。*int8*：每一维按该维在图库上的最小值和最大值"
           "缩放到 −128…127（标量量化，与向量数据库的做法相同；查询使用同样的范围）。*binary*：每一维一个符号位，每字节打包 8 个，"
           "按汉明相似度比较（其分数误差按它所估计的余弦 cos(π·Hamming/d) 衡量）。一切都与全尺寸 float 比较：保留了它的前 k "
           "个中的多少，分数偏移了多少。",
        ja="**ベクトルの保存方法。** *float d*：埋め込みの先頭 *d* 個の値を再正規化（MRL）。*int8*：各次元をギャラリー上のその次元の"
           "最小値と最大値で −128…127 に変換（スカラー量子化。ベクトル DB と同じ方法で、クエリにも同じ範囲を使います）。"
           "*binary*：各次元を符号の 1 ビットにし、1 バイトに 8 個詰めて、ハミング類似度で比較（スコアの誤差は、それが推定する"
           "コサイン cos(π·Hamming/d) で測ります）。すべて最大次元の float と比べます：その上位 k 件がいくつ残るか、"
           "スコアがどれだけずれるか。",
        ko="**벡터 저장 방식.** *float d*: 임베딩의 앞쪽 *d*개 값을 재정규화(MRL). *int8*: 각 차원을 갤러리에서 그 차원의 "
           "최솟값과 최댓값으로 −128…127에 맞춤(스칼라 양자화, 벡터 데이터베이스와 같은 방식이며 쿼리도 같은 범위를 사용). "
           "*binary*: 차원마다 부호 비트 하나, 바이트당 8개씩 묶어 해밍 유사도로 비교(점수 오차는 그것이 추정하는 코사인 "
           "cos(π·Hamming/d)로 측정). 모두 전체 크기 float와 비교합니다: 그 상위 k개 중 몇 개가 남는지, 점수가 얼마나 "
           "움직이는지.",
        es="**Cómo se guardan los vectores.** *float d*: los primeros *d* números del embedding, renormalizados (MRL). "
           "*int8*: cada dimensión escalada a −128…127 con el mínimo y el máximo de esa dimensión en la galería "
           "(cuantización escalar, como en las bases de datos vectoriales; la consulta usa los mismos rangos). "
           "*binary*: un bit de signo por dimensión, 8 por byte, comparados por similitud de Hamming (su error se mide "
           "sobre el coseno que estima, cos(π·Hamming/d)). Todo se compara con float a tamaño completo: cuántos de "
           "sus k primeros se mantienen y cuánto se mueven las puntuaciones.",
        fr="**Comment les vecteurs sont stockés.** *float d* : les *d* premiers nombres de l'embedding, renormalisés "
           "(MRL). *int8* : chaque dimension ramenée à −128…127 avec le minimum et le maximum de cette dimension sur "
           "la galerie (quantification scalaire, comme dans les bases vectorielles ; la requête utilise les mêmes "
           "plages). *binary* : un bit de signe par dimension, 8 par octet, comparés par similarité de Hamming (son "
           "erreur se mesure sur le cosinus qu'elle estime, cos(π·Hamming/d)). Tout est comparé au float en taille "
           "complète : combien de ses k premiers sont conservés, et de combien les scores bougent.",
        de="**Wie die Vektoren gespeichert werden.** *float d*: die ersten *d* Zahlen des Embeddings, renormiert "
           "(MRL). *int8*: jede Dimension mit ihrem Minimum und Maximum über die Galerie auf −128…127 skaliert "
           "(skalare Quantisierung wie in Vektordatenbanken; die Anfrage nutzt dieselben Bereiche). *binary*: ein "
           "Vorzeichenbit pro Dimension, 8 pro Byte, verglichen per Hamming-Ähnlichkeit (ihr Fehler wird am "
           "geschätzten Kosinus cos(π·Hamming/d) gemessen). Alles wird mit float in voller Größe verglichen: wie viele "
           "seiner Top-k bleiben und wie weit sich die Scores verschieben.",
        pt="**Como os vetores são guardados.** *float d*: os primeiros *d* números do embedding, renormalizados (MRL). "
           "*int8*: cada dimensão escalada para −128…127 com o mínimo e o máximo dessa dimensão na galeria "
           "(quantização escalar, como nos bancos de dados vetoriais; a consulta usa os mesmos intervalos). "
           "*binary*: um bit de sinal por dimensão, 8 por byte, comparados pela similaridade de Hamming (seu erro é "
           "medido no cosseno que ela estima, cos(π·Hamming/d)). Tudo é comparado com o float em tamanho completo: "
           "quantos dos seus k primeiros se mantêm e quanto as pontuações mudam.",
        ru="**Как хранятся векторы.** *float d*: первые *d* чисел эмбеддинга, перенормированные (MRL). *int8*: "
           "каждое измерение приведено к −128…127 по его минимуму и максимуму на галерее (скалярное квантование, как "
           "в векторных базах; запрос использует те же диапазоны). *binary*: один знаковый бит на измерение, по 8 в "
           "байте, сравнение по сходству Хэмминга (его ошибка измеряется на оцениваемом косинусе cos(π·Hamming/d)). "
           "Всё сравнивается с float полного размера: сколько его первых k сохраняется и насколько сдвигаются оценки.",
        ar="**كيف تُخزَّن المتجهات.** *float d*: أول *d* رقمًا من التضمين مع إعادة التطبيع (MRL). *int8*: يُحجَّم كل بُعد إلى "
           "−128…127 بحسب أصغر قيمة وأكبر قيمة لذلك البعد في المعرض (تكميم قياسي كما تفعل قواعد بيانات المتجهات؛ "
           "ويستخدم الاستعلام المدى نفسه). *binary*: بت إشارة واحد لكل بُعد، 8 في كل بايت، وتُقارن بتشابه هامينغ "
           "(ويُقاس خطؤها على جيب التمام الذي تقدّره، cos(π·Hamming/d)). يُقارن كل شيء مع float بالحجم الكامل: كم "
           "يبقى من أفضل k لديه، وإلى أي حد تتحرك الدرجات."),
    EVALUATE_INTRO: tr(
        zh="检索在**你的数据**上表现如何？重排序值得它的开销吗？向量能有多小？上传一个标注集，或运行一个自带示例：针对示例图库的 18 "
           "条手写查询，或其中 16 条的 11 种语言版本，各语言的指标并排显示，并给出与英文的差距。格式：**BEIR zip**（`corpus.jsonl` "
           "含 `_id` 与 `text` 和/或 `image` / `video` 文件名，`queries.jsonl`，`qrels/test.tsv` 含分级的 "
           "`query-id, corpus-id, score`，媒体文件放在一起），或 **CSV** `query,relevant`（可选 `language` 列），相关图库项"
           "的名称用 `|` 分隔，针对 *图库搜索* 的图库评估（示例 + 你的项目；若查询是图库中某个图像或视频的名称，则查询就是该项）。"
           "指标由 trec_eval（pytrec_eval）计算。",
        ja="**あなたのデータ**で検索はどれだけ良いか、リランカーはコストに見合うか、ベクトルはどこまで小さくできるか。ラベル付き"
           "セットをアップロードするか、同梱の例を実行します：サンプルギャラリーに対する手書きのクエリ 18 件、またはそのうち 16 件の "
           "11 言語版（言語ごとの指標と英語との差を並べて表示）。形式：**BEIR zip**（`_id` と `text` および／または `image` / "
           "`video` のファイル名を持つ `corpus.jsonl`、`queries.jsonl`、段階評価 `query-id, corpus-id, score` の "
           "`qrels/test.tsv`、メディアファイルを同梱）、または **CSV** `query,relevant`（任意で `language`）で、関連する"
           "ギャラリー項目の名前を `|` で区切り、*ギャラリー検索* のギャラリー（サンプル＋自分の項目）に対して評価します（クエリが"
           "ギャラリーの画像・動画の名前なら、その項目がクエリです）。指標は trec_eval（pytrec_eval）で計算します。",
        ko="**내 데이터**에서 검색이 얼마나 잘 되는지, 리랭커가 비용만큼의 가치가 있는지, 벡터를 얼마나 작게 만들 수 있는지 "
           "확인하세요. 레이블 세트를 올리거나 포함된 예시를 실행하세요: 샘플 갤러리에 대한 직접 쓴 쿼리 18개, 또는 그중 16개를 "
           "11개 언어로 옮긴 것(언어별 지표와 영어와의 차이를 나란히 표시). 형식: **BEIR zip**(`_id`와 `text` 및/또는 "
           "`image` / `video` 파일 이름이 있는 `corpus.jsonl`, `queries.jsonl`, 등급이 있는 `query-id, corpus-id, score`의 "
           "`qrels/test.tsv`, 미디어 파일 동봉), 또는 관련 갤러리 항목 이름을 `|`로 구분한 **CSV** `query,relevant`"
           "(선택적으로 `language`)로, *갤러리 검색*의 갤러리(샘플 + 내 항목)에 대해 평가합니다(쿼리가 갤러리 이미지나 동영상의 "
           "이름이면 그 항목이 쿼리). 지표는 trec_eval(pytrec_eval)로 계산합니다.",
        es="¿Qué tal funciona la búsqueda **con tus datos**, compensa el coste del reordenador y cuánto pueden encogerse "
           "los vectores? Sube un conjunto etiquetado o ejecuta un ejemplo incluido: 18 consultas escritas a mano sobre "
           "la galería de muestra, o 16 de ellas en 11 idiomas, con las métricas de cada idioma una junto a otra y su "
           "diferencia con el inglés. Formatos: un **zip BEIR** (`corpus.jsonl` con `_id` y `text` y/o un nombre de "
           "archivo `image` / `video`, `queries.jsonl`, `qrels/test.tsv` con `query-id, corpus-id, score` graduados, "
           "y los archivos multimedia al lado), o un **CSV** `query,relevant` (y opcionalmente `language`) con los "
           "nombres de los elementos relevantes de la galería separados por `|`, evaluado con la galería de *Buscar en "
           "la galería* (muestras + tus elementos; una consulta que es el nombre de una imagen o vídeo de la galería es "
           "ese elemento). Métricas de trec_eval (pytrec_eval).",
        fr="La recherche est-elle bonne **sur vos données**, le reclassement vaut-il son coût, et jusqu'où réduire les "
           "vecteurs ? Importez un jeu annoté ou lancez un exemple fourni : 18 requêtes écrites à la main sur la galerie "
           "d'exemple, ou 16 d'entre elles en 11 langues, les métriques de chaque langue côte à côte avec leur écart à "
           "l'anglais. Formats : un **zip BEIR** (`corpus.jsonl` avec `_id` et `text` et/ou un nom de fichier "
           "`image` / `video`, `queries.jsonl`, `qrels/test.tsv` avec des `query-id, corpus-id, score` gradués, les "
           "médias à côté), ou un **CSV** `query,relevant` (et éventuellement `language`) avec les noms des éléments "
           "pertinents de la galerie séparés par `|`, évalué sur la galerie de *Recherche dans la galerie* (exemples + "
           "vos éléments ; une requête qui est le nom d'une image ou d'une vidéo de la galerie est cet élément). "
           "Métriques par trec_eval (pytrec_eval).",
        de="Wie gut ist die Suche **auf Ihren Daten**, lohnt sich der Reranker, und wie klein dürfen die Vektoren sein? "
           "Laden Sie einen annotierten Satz hoch oder starten Sie ein mitgeliefertes Beispiel: 18 handgeschriebene "
           "Anfragen über die Beispielgalerie oder 16 davon in 11 Sprachen, die Metriken jeder Sprache nebeneinander "
           "mit ihrem Abstand zu Englisch. Formate: ein **BEIR-Zip** (`corpus.jsonl` mit `_id` und `text` und/oder "
           "einem `image`- / `video`-Dateinamen, `queries.jsonl`, `qrels/test.tsv` mit abgestuften `query-id, "
           "corpus-id, score`, Mediendateien daneben) oder eine **CSV** `query,relevant` (optional `language`) mit den "
           "Namen der relevanten Galerie-Elemente, getrennt durch `|`, ausgewertet gegen die Galerie der *Galeriesuche* "
           "(Beispiele + Ihre Elemente; eine Anfrage, die der Name eines Galeriebilds oder -videos ist, ist dieses "
           "Element). Metriken per trec_eval (pytrec_eval).",
        pt="Quão boa é a busca **nos seus dados**, o reordenador compensa o custo e quanto os vetores podem encolher? "
           "Envie um conjunto rotulado ou rode um exemplo incluído: 18 consultas escritas à mão sobre a galeria de "
           "exemplo, ou 16 delas em 11 idiomas, com as métricas de cada idioma lado a lado e a diferença para o inglês. "
           "Formatos: um **zip BEIR** (`corpus.jsonl` com `_id` e `text` e/ou um nome de arquivo `image` / `video`, "
           "`queries.jsonl`, `qrels/test.tsv` com `query-id, corpus-id, score` graduados, arquivos de mídia junto), ou "
           "um **CSV** `query,relevant` (e opcionalmente `language`) com os nomes dos itens relevantes da galeria "
           "separados por `|`, avaliado com a galeria da *Busca na galeria* (amostras + seus itens; uma consulta que é "
           "o nome de uma imagem ou vídeo da galeria é esse item). Métricas pelo trec_eval (pytrec_eval).",
        ru="Насколько хорош поиск **на ваших данных**, окупается ли переранжирование и насколько можно уменьшить "
           "векторы? Загрузите размеченный набор или запустите встроенный пример: 18 написанных вручную запросов к "
           "галерее примеров или 16 из них на 11 языках — метрики каждого языка рядом, с отставанием от английского. "
           "Форматы: **BEIR zip** (`corpus.jsonl` с `_id` и `text` и/или именем файла `image` / `video`, "
           "`queries.jsonl`, `qrels/test.tsv` с градуированными `query-id, corpus-id, score`, медиафайлы рядом) или "
           "**CSV** `query,relevant` (и по желанию `language`) с именами релевантных элементов галереи через `|`, "
           "оцениваемый на галерее вкладки *Поиск по галерее* (примеры + ваши элементы; запрос, совпадающий с именем "
           "изображения или видео галереи, и есть этот элемент). Метрики считает trec_eval (pytrec_eval).",
        ar="ما مدى جودة الاسترجاع **على بياناتك**، وهل تستحق إعادة الترتيب تكلفتها، وإلى أي حد يمكن تصغير المتجهات؟ ارفع "
           "مجموعة موسومة أو شغّل مثالًا مرفقًا: 18 استعلامًا مكتوبًا يدويًا على معرض العينات، أو 16 منها بـ11 لغة مع "
           "مقاييس كل لغة جنبًا إلى جنب وفارقها عن الإنجليزية. الصيغ: ملف **BEIR zip** (`corpus.jsonl` يحوي `_id` "
           "و`text` و/أو اسم ملف `image` / `video`، و`queries.jsonl`، و`qrels/test.tsv` يحوي `query-id, corpus-id, "
           "score` متدرّجة، وملفات الوسائط بجانبها)، أو ملف **CSV** `query,relevant` (واختياريًا `language`) بأسماء "
           "عناصر المعرض ذات الصلة مفصولة بـ`|`، ويُقيَّم على معرض *البحث في المعرض* (العينات + عناصرك؛ والاستعلام "
           "الذي هو اسم صورة أو فيديو في المعرض هو ذلك العنصر). تحسب المقاييسَ أداةُ trec_eval (pytrec_eval)."),
    EVALUATE_LIMITS: tr(
        zh="此处的限制：{documents} 个文档、{queries} 条查询、重排序深度最多 {depth}、zip 最大 {mb} MB（解压后 {unpacked} "
           "MB）。更大的集合：`python -m qwen3vl_demo.evaluate DIR`（指标相同）。一切只嵌入一次并缓存：换一个尺寸或更小的"
           "深度无需再做前向计算。使用随机权重的测试模型时，这些数字没有意义。",
        ja="ここでの上限：文書 {documents} 件、クエリ {queries} 件、並べ替えの深さ {depth} まで、zip は {mb} MB まで（展開後 "
           "{unpacked} MB）。もっと大きなセットは `python -m qwen3vl_demo.evaluate DIR`（同じ指標）。すべて 1 回だけ埋め込んで"
           "キャッシュするので、別の次元数や浅い深さなら順伝播は不要です。ランダム重みのテストモデルでは数値に意味はありません。",
        ko="여기서의 한도: 문서 {documents}개, 쿼리 {queries}개, 재순위화 깊이 최대 {depth}, zip 최대 {mb} MB(압축 해제 "
           "{unpacked} MB). 더 큰 세트: `python -m qwen3vl_demo.evaluate DIR`(같은 지표). 모든 것은 한 번만 임베딩되고 "
           "캐시됩니다: 다른 크기나 더 얕은 깊이에는 순전파가 필요 없습니다. 무작위 가중치 테스트 모델에서는 숫자가 무의미합니다.",
        es="Límites aquí: {documents} documentos, {queries} consultas, profundidad de reordenación hasta {depth}, zips "
           "de hasta {mb} MB ({unpacked} MB descomprimidos). Conjuntos mayores: `python -m qwen3vl_demo.evaluate DIR` "
           "(mismas métricas). Todo se calcula una vez y se guarda en caché: otro tamaño o una profundidad menor no "
           "cuestan ninguna pasada por el modelo. Con modelos de prueba de pesos aleatorios, los números no significan "
           "nada.",
        fr="Limites ici : {documents} documents, {queries} requêtes, profondeur de reclassement jusqu'à {depth}, zips "
           "jusqu'à {mb} Mo ({unpacked} Mo décompressés). Jeux plus grands : `python -m qwen3vl_demo.evaluate DIR` "
           "(mêmes métriques). Tout est calculé une fois et mis en cache : une autre taille ou une profondeur moindre "
           "ne coûte aucun passage dans le modèle. Avec les modèles de test à poids aléatoires, les chiffres ne "
           "veulent rien dire.",
        de="Grenzen hier: {documents} Dokumente, {queries} Anfragen, Neuordnungstiefe bis {depth}, Zips bis {mb} MB "
           "({unpacked} MB entpackt). Größere Sätze: `python -m qwen3vl_demo.evaluate DIR` (gleiche Metriken). Alles "
           "wird einmal eingebettet und zwischengespeichert: eine andere Größe oder geringere Tiefe kostet keinen "
           "Modelldurchlauf. Mit Testmodellen mit Zufallsgewichten sind die Zahlen bedeutungslos.",
        pt="Limites aqui: {documents} documentos, {queries} consultas, profundidade de reordenação até {depth}, zips "
           "de até {mb} MB ({unpacked} MB descompactados). Conjuntos maiores: `python -m qwen3vl_demo.evaluate DIR` "
           "(mesmas métricas). Tudo é calculado uma vez e guardado em cache: outro tamanho ou uma profundidade menor "
           "não custam nenhuma passada pelo modelo. Com modelos de teste de pesos aleatórios, os números não "
           "significam nada.",
        ru="Ограничения здесь: {documents} документов, {queries} запросов, глубина переранжирования до {depth}, zip "
           "до {mb} МБ ({unpacked} МБ в распакованном виде). Наборы побольше: `python -m qwen3vl_demo.evaluate DIR` "
           "(те же метрики). Всё вычисляется один раз и кешируется: другой размер или меньшая глубина не требуют "
           "прохода через модель. На тестовых моделях со случайными весами числа ничего не значат.",
        ar="الحدود هنا: {documents} مستند، و{queries} استعلام، وعمق إعادة ترتيب حتى {depth}، وملفات zip حتى {mb} "
           "ميغابايت ({unpacked} ميغابايت بعد فك الضغط). للمجموعات الأكبر: `python -m qwen3vl_demo.evaluate DIR` "
           "(المقاييس نفسها). يُحسب كل شيء مرة واحدة ويُخزَّن مؤقتًا: حجم آخر أو عمق أصغر لا يكلّف أي تمرير عبر النموذج. "
           "مع نماذج الاختبار ذات الأوزان العشوائية لا معنى للأرقام."),
    FOOTER: tr(
        zh="限制：{queries} 条查询 · {documents} 个文档 · 每个文件 {mb} MB · 视频最长 {minutes} 分钟 · 你上传的内容只留在你的"
           "会话中。示例媒体：Qwen3-VL-Embedding 仓库（Apache-2.0），见 assets/NOTICE.md。界面语言：跟随浏览器；可在页面底部的"
           "“设置”中更改。",
        ja="上限：クエリ {queries} 件 · 文書 {documents} 件 · ファイルごとに {mb} MB · 動画は {minutes} 分まで · アップロード"
           "はあなたのセッション内だけに残ります。サンプルメディア：Qwen3-VL-Embedding リポジトリ（Apache-2.0）、"
           "assets/NOTICE.md を参照。表示言語：ブラウザーの言語。ページ下部の「設定」で変更できます。",
        ko="한도: 쿼리 {queries}개 · 문서 {documents}개 · 파일당 {mb} MB · 동영상 최대 {minutes}분 · 업로드한 파일은 내 "
           "세션에만 남습니다. 샘플 미디어: Qwen3-VL-Embedding 저장소(Apache-2.0), assets/NOTICE.md 참조. 언어: "
           "브라우저 언어를 따르며, 페이지 맨 아래의 설정에서 바꿀 수 있습니다.",
        es="Límites: {queries} consultas · {documents} documentos · {mb} MB por archivo · vídeos de hasta {minutes} min "
           "· lo que subes se queda en tu sesión. Medios de muestra: repositorio Qwen3-VL-Embedding (Apache-2.0), ver "
           "assets/NOTICE.md. Idioma: el de tu navegador; cámbialo en Configuración, al pie de la página.",
        fr="Limites : {queries} requêtes · {documents} documents · {mb} Mo par fichier · vidéos jusqu'à {minutes} min "
           "· vos fichiers restent dans votre session. Médias d'exemple : dépôt Qwen3-VL-Embedding (Apache-2.0), voir "
           "assets/NOTICE.md. Langue : celle de votre navigateur ; changez-la dans Paramètres, en bas de la page.",
        de="Grenzen: {queries} Anfragen · {documents} Dokumente · {mb} MB pro Datei · Videos bis {minutes} min · Ihre "
           "Uploads bleiben in Ihrer Sitzung. Beispielmedien: Repository Qwen3-VL-Embedding (Apache-2.0), siehe "
           "assets/NOTICE.md. Sprache: die Ihres Browsers; ändern unter Einstellungen am Fuß der Seite.",
        pt="Limites: {queries} consultas · {documents} documentos · {mb} MB por arquivo · vídeos de até {minutes} min "
           "· seus envios ficam na sua sessão. Mídias de exemplo: repositório Qwen3-VL-Embedding (Apache-2.0), veja "
           "assets/NOTICE.md. Idioma: o do seu navegador; mude em Configurações, no rodapé da página.",
        ru="Ограничения: {queries} запросов · {documents} документов · {mb} МБ на файл · видео до {minutes} мин · ваши "
           "файлы остаются в вашей сессии. Примеры медиа: репозиторий Qwen3-VL-Embedding (Apache-2.0), см. "
           "assets/NOTICE.md. Язык: как в браузере; сменить можно в «Настройках» внизу страницы.",
        ar="الحدود: {queries} استعلامًا · {documents} مستندًا · {mb} ميغابايت لكل ملف · فيديو حتى {minutes} دقيقة · تبقى "
           "ملفاتك المرفوعة في جلستك. الوسائط النموذجية: مستودع Qwen3-VL-Embedding (Apache-2.0)، انظر "
           "assets/NOTICE.md. اللغة: لغة متصفحك؛ غيّرها من «الإعدادات» أسفل الصفحة."),
}
