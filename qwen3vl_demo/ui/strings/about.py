"""The About tab: its headings, the models table's columns, the notes on bfloat16, the recipe and
the limits. Code, option names and model names stay as they are in every language."""

from __future__ import annotations

from .locales import tr

# Measured by ``python -m qwen3vl_demo.bench --shape 2b`` (README, "Speed"): what bfloat16 costs.
BFLOAT16_NOTE = (
    "**bfloat16** ran text queries 2.4x, photos 1.9x and document pages 1.5x faster than float32 at 2B shape on a "
    "CPU with AVX512-BF16 and no AMX (its matrix products are 2.4x float32's there), in half the memory; its "
    "vectors depart slightly from the official float32 ones (min cosine 0.9996 at 2B shape, 0.9999 on the test "
    "models; the top-10 of a gallery search was the same). Start with `--dtype float32` for exact parity."
)
# The exact path (docs/lean-memory.md): checked bit for bit on the test models by tests/test_lean.py.
EXACT_NOTE = (
    "**Exact in half the memory:** the weights stay in the checkpoint's own 16 bits and each matrix product runs in "
    "float32 on them, upcast just before it, so the vectors are bit-identical to a float32 model's in about half its "
    "memory (checked on the test models)."
)
# The fast mode's drift, speed and memory at the 2B shape, measured against float32 in one run by
# ``python -m qwen3vl_demo.bench --shape 2b --lean`` (docs/lean-memory.md): the one place to update
# them; INT8_NOTE takes them in every language (decimals written as each language writes them).
INT8_AT_2B = {"text": "0.959", "photo": "0.967", "page": "0.991", "top10": "94%", "top3": "100%", "text_speed": "6.1x",
              "photo_speed": "2.8x", "memory": "38%"}
INT8_NOTE = (
    "**Fast mode (int8):** the linear layers are quantized to int8 (dynamic, one scale per output channel), which "
    "departs from the official float32 vectors. Measured against float32: lowest cosine 0.9995 on the test models; at "
    "2B shape (random weights) {text} for text queries, {photo} for photos, {page} for a document page, and a search "
    "of 12 photos kept {top10} of its top-10 (and {top3} of its top-3); {text_speed} faster on text, {photo_speed} on "
    "photos, in {memory} of float32's memory. Start with `--dtype exact` (or the default) for exact results."
)
HOW_IT_WORKS = (
    "Inputs are formatted exactly as the official Qwen3-VL-Embedding code does (instruction as the system message, "
    "then videos, images and texts; images resized to multiples of 32 px within 4–1800 visual tokens; videos "
    "sampled at 1 fps, at most 64 frames, with a timestamp before every pair of frames). The embedding is the last "
    "token's hidden state, L2-normalised; smaller sizes (MRL, 64 to full) keep the first *d* numbers and "
    "renormalise. The reranker scores *sigmoid(logit(yes) − logit(no))*."
)
LIMITS = (
    "{queries} queries and {documents} documents per similarity request, {rerank} documents per rerank, {mine} "
    "items of your own in the gallery (visible only to your session), {mb} MB per upload, videos up to {minutes} "
    "minutes."
)
REFUSED = ("A refused input raises `gradio_client.exceptions.AppError` with the message (on the page it shows "
           "beside the button that ran it).")

STRINGS = {
    "Models": tr(zh="模型", ja="モデル", ko="모델", es="Modelos", fr="Modèles", de="Modelle", pt="Modelos", ru="Модели",
                 ar="النماذج"),
    "How it works": tr(zh="工作原理", ja="仕組み", ko="작동 방식", es="Cómo funciona", fr="Comment ça marche",
                       de="So funktioniert es", pt="Como funciona", ru="Как это работает", ar="كيف يعمل"),
    "Limits": tr(zh="限制", ja="上限", ko="한도", es="Límites", fr="Limites", de="Grenzen", pt="Limites", ru="Ограничения",
                 ar="الحدود"),
    "Call it from Python": tr(zh="从 Python 调用", ja="Python から呼び出す", ko="Python에서 호출하기", es="Llamarlo desde Python",
                              fr="L'appeler depuis Python", de="Aus Python aufrufen", pt="Chamar pelo Python",
                              ru="Вызов из Python", ar="استدعاؤه من Python"),
    "role": tr(zh="角色", ja="役割", ko="역할", es="función", fr="rôle", de="Rolle", pt="papel", ru="роль", ar="الدور"),
    "model": tr(zh="模型", ja="モデル", ko="모델", es="modelo", fr="modèle", de="Modell", pt="modelo", ru="модель",
                ar="النموذج"),
    "state": tr(zh="状态", ja="状態", ko="상태", es="estado", fr="état", de="Zustand", pt="estado", ru="состояние",
                ar="الحالة"),
    "device": tr(zh="设备", ja="デバイス", ko="장치", es="dispositivo", fr="appareil", de="Gerät", pt="dispositivo",
                 ru="устройство", ar="الجهاز"),
    "dtype": tr(zh="数据类型", ja="データ型", ko="데이터 형식", es="tipo de datos", fr="type de données", de="Datentyp",
                pt="tipo de dados", ru="тип данных", ar="نوع البيانات"),
    "attention": tr(zh="注意力实现", ja="アテンション", ko="어텐션", es="atención", fr="attention", de="Attention-Kern",
                    pt="atenção", ru="внимание", ar="الانتباه"),
    "parameters": tr(zh="参数量", ja="パラメーター数", ko="파라미터", es="parámetros", fr="paramètres", de="Parameter",
                     pt="parâmetros", ru="параметры", ar="المعاملات"),
    "load time": tr(zh="加载时间", ja="読み込み時間", ko="로드 시간", es="tiempo de carga", fr="temps de chargement",
                    de="Ladezeit", pt="tempo de carga", ru="время загрузки", ar="زمن التحميل"),
    "Memory": tr(zh="内存", ja="メモリー", ko="메모리", es="Memoria", fr="Mémoire", de="Speicher", pt="Memória", ru="Память",
                 ar="الذاكرة"),
    "cached embeddings": tr(zh="已缓存的嵌入", ja="キャッシュ済みの埋め込み", ko="캐시된 임베딩", es="embeddings en caché",
                            fr="embeddings en cache", de="zwischengespeicherte Embeddings", pt="embeddings em cache",
                            ru="эмбеддингов в кеше", ar="التضمينات المخزنة مؤقتًا"),
    "this process (resident)": tr(zh="本进程（常驻）", ja="このプロセス（常駐）", ko="이 프로세스(상주)", es="este proceso (residente)",
                                  fr="ce processus (résident)", de="dieser Prozess (resident)", pt="este processo (residente)",
                                  ru="этот процесс (резидентно)", ar="هذه العملية (المقيمة)"),
    "GPU allocated": tr(zh="GPU 已分配", ja="GPU 割り当て済み", ko="GPU 할당됨", es="GPU asignada", fr="GPU allouée",
                        de="GPU belegt", pt="GPU alocada", ru="GPU выделено", ar="ذاكرة GPU المخصّصة"),
    "GPU reserved": tr(zh="GPU 已预留", ja="GPU 予約済み", ko="GPU 예약됨", es="GPU reservada", fr="GPU réservée",
                       de="GPU reserviert", pt="GPU reservada", ru="GPU зарезервировано", ar="ذاكرة GPU المحجوزة"),
    "GPU peak": tr(zh="GPU 峰值", ja="GPU ピーク", ko="GPU 최대치", es="pico de GPU", fr="pic GPU", de="GPU-Spitze",
                   pt="pico da GPU", ru="пик GPU", ar="ذروة GPU"),
    BFLOAT16_NOTE: tr(
        zh="**bfloat16** 在 2B 规模下、在一台支持 AVX512-BF16 但没有 AMX 的 CPU 上（那里它的矩阵乘法是 float32 的 2.4 倍速），"
           "处理文本查询比 float32 快 2.4 倍、照片快 1.9 倍、文档页面快 1.5 倍，内存减半；它的向量与官方 float32 向量略有偏差"
           "（2B 规模下最小余弦 0.9996，测试模型上 0.9999；图库搜索的前 10 名相同）。要与官方完全一致，请用 `--dtype float32` 启动。",
        ja="**bfloat16** は 2B 規模で、AVX512-BF16 があり AMX のない CPU（そこでは行列積が float32 の 2.4 倍速）上で、float32 "
           "よりテキストのクエリが 2.4 倍、写真が 1.9 倍、文書ページが 1.5 倍速く、メモリーは半分でした。ベクトルは公式の float32 "
           "からわずかにずれます（2B 規模で最小コサイン 0.9996、テストモデルで 0.9999。ギャラリー検索の上位 10 件は同じでした）。"
           "公式と完全に一致させるには `--dtype float32` で起動してください。",
        ko="**bfloat16**은 2B 규모에서, AVX512-BF16은 있고 AMX는 없는 CPU(거기서 행렬 곱이 float32의 2.4배 속도)에서 float32보다 "
           "텍스트 쿼리는 2.4배, 사진은 1.9배, 문서 페이지는 1.5배 빨랐고 메모리는 절반이었습니다. 벡터는 공식 float32와 약간 "
           "다릅니다(2B 규모에서 최소 코사인 0.9996, 테스트 모델에서 0.9999, 갤러리 검색 상위 10개는 같았음). 공식과 정확히 같게 "
           "하려면 `--dtype float32`로 시작하세요.",
        es="**bfloat16** procesó las consultas de texto 2,4 veces, las fotos 1,9 veces y las páginas de documentos 1,5 veces "
           "más rápido que float32 con la forma 2B, en una CPU con AVX512-BF16 y sin AMX (allí sus productos de matrices "
           "van 2,4 veces más rápido que en float32), con la mitad de memoria; sus vectores se apartan un poco de los "
           "float32 oficiales (coseno mínimo 0,9996 con la forma 2B, 0,9999 con los modelos de prueba; el top 10 de una "
           "búsqueda en la galería fue el mismo). Inicia con `--dtype float32` para una paridad exacta.",
        fr="**bfloat16** a traité les requêtes texte 2,4 fois, les photos 1,9 fois et les pages de documents 1,5 fois plus "
           "vite que float32 à la taille 2B, sur un CPU avec AVX512-BF16 et sans AMX (ses produits matriciels y vont "
           "2,4 fois plus vite qu'en float32), avec moitié moins de mémoire ; ses vecteurs s'écartent légèrement des "
           "float32 officiels (cosinus minimal 0,9996 à la taille 2B, 0,9999 sur les modèles de test ; le top 10 d'une "
           "recherche dans la galerie était identique). Lancez avec `--dtype float32` pour une parité exacte.",
        de="**bfloat16** verarbeitete Textanfragen 2,4-mal, Fotos 1,9-mal und Dokumentseiten 1,5-mal schneller als float32 "
           "in 2B-Größe, auf einer CPU mit AVX512-BF16 und ohne AMX (dort sind seine Matrixprodukte 2,4-mal so schnell "
           "wie in float32), bei halbem Speicher; seine Vektoren weichen leicht von den offiziellen float32-Vektoren ab "
           "(minimaler Kosinus 0,9996 in 2B-Größe, 0,9999 bei den Testmodellen; die Top 10 einer Galeriesuche waren "
           "gleich). Für exakte Parität mit `--dtype float32` starten.",
        pt="**bfloat16** processou consultas de texto 2,4 vezes, fotos 1,9 vez e páginas de documentos 1,5 vez mais rápido "
           "que float32 no formato 2B, numa CPU com AVX512-BF16 e sem AMX (lá seus produtos de matrizes são 2,4 vezes mais "
           "rápidos que em float32), com metade da memória; seus vetores se afastam um pouco dos float32 oficiais "
           "(cosseno mínimo 0,9996 no formato 2B, 0,9999 nos modelos de teste; o top 10 de uma busca na galeria foi o "
           "mesmo). Inicie com `--dtype float32` para paridade exata.",
        ru="**bfloat16** обрабатывал текстовые запросы в 2,4 раза, фото в 1,9 раза и страницы документов в 1,5 раза быстрее "
           "float32 при размере 2B на CPU с AVX512-BF16 и без AMX (там его матричные умножения в 2,4 раза быстрее, чем в "
           "float32), при вдвое меньшей памяти; его векторы немного отличаются от официальных float32 (минимальный "
           "косинус 0,9996 при размере 2B, 0,9999 на тестовых моделях; top-10 поиска по галерее совпал). Для точного "
           "совпадения запускайте с `--dtype float32`.",
        ar="عالج **bfloat16** الاستعلامات النصية أسرع بـ2.4 مرة والصور بـ1.9 مرة وصفحات المستندات بـ1.5 مرة من float32 "
           "بحجم 2B، على معالج فيه AVX512-BF16 ولا AMX (حيث تبلغ سرعة ضرب مصفوفاته 2.4 ضعف float32)، وبنصف الذاكرة؛ "
           "وتحيد متجهاته قليلًا عن متجهات float32 الرسمية (أدنى جيب تمام 0.9996 بحجم 2B، و0.9999 على نماذج الاختبار؛ "
           "وكانت أفضل 10 نتائج في بحث المعرض هي نفسها). شغّل مع `--dtype float32` لتطابق تام."),
    HOW_IT_WORKS: tr(
        zh="输入的格式与官方 Qwen3-VL-Embedding 代码完全一致（指令作为系统消息，然后是视频、图像和文本；图像缩放到 32 像素的倍数、"
           "视觉 token 在 4–1800 之间；视频按 1 fps 采样，最多 64 帧，每两帧前有一个时间戳）。嵌入是最后一个 token 的隐藏状态，"
           "经 L2 归一化；更小的尺寸（MRL，64 到完整尺寸）保留前 *d* 个数并重新归一化。重排序器的分数是 "
           "*sigmoid(logit(yes) − logit(no))*。",
        ja="入力は公式の Qwen3-VL-Embedding のコードとまったく同じ形にします（指示文をシステムメッセージに、続いて動画・画像・テキスト。"
           "画像は 32 px の倍数に、視覚トークン 4〜1800 の範囲でリサイズ。動画は 1 fps で最大 64 フレームを取り出し、2 フレームごとに"
           "タイムスタンプを付けます）。埋め込みは最後のトークンの隠れ状態を L2 正規化したものです。小さな次元数（MRL、64〜最大）は"
           "先頭の *d* 個を残して再正規化します。リランカーのスコアは *sigmoid(logit(yes) − logit(no))* です。",
        ko="입력은 공식 Qwen3-VL-Embedding 코드와 똑같은 형식입니다(지시문은 시스템 메시지로, 그다음 동영상, 이미지, 텍스트. "
           "이미지는 32px의 배수로, 시각 토큰 4–1800 범위에서 크기 조정. 동영상은 1fps로 최대 64프레임을 뽑고 두 프레임마다 앞에 "
           "타임스탬프를 붙임). 임베딩은 마지막 토큰의 은닉 상태를 L2 정규화한 것이고, 더 작은 크기(MRL, 64~전체)는 앞쪽 *d*개 값을 "
           "남기고 재정규화합니다. 리랭커 점수는 *sigmoid(logit(yes) − logit(no))*입니다.",
        es="Las entradas tienen exactamente el formato del código oficial de Qwen3-VL-Embedding (la instrucción como mensaje "
           "del sistema, luego vídeos, imágenes y textos; imágenes redimensionadas a múltiplos de 32 px entre 4 y 1800 "
           "tokens visuales; vídeos muestreados a 1 fps, como mucho 64 fotogramas, con una marca de tiempo antes de cada "
           "par de fotogramas). El embedding es el estado oculto del último token, normalizado L2; los tamaños menores "
           "(MRL, de 64 al completo) conservan los primeros *d* números y se renormalizan. El reordenador puntúa "
           "*sigmoid(logit(yes) − logit(no))*.",
        fr="Les entrées sont formatées exactement comme le fait le code officiel de Qwen3-VL-Embedding (la consigne en "
           "message système, puis vidéos, images et textes ; images redimensionnées en multiples de 32 px entre 4 et "
           "1800 jetons visuels ; vidéos échantillonnées à 1 fps, 64 images au plus, avec un horodatage avant chaque "
           "paire d'images). L'embedding est l'état caché du dernier jeton, normalisé L2 ; les tailles plus petites "
           "(MRL, de 64 à la taille complète) gardent les *d* premiers nombres et renormalisent. Le reclassement note "
           "*sigmoid(logit(yes) − logit(no))*.",
        de="Die Eingaben werden genau so formatiert wie im offiziellen Qwen3-VL-Embedding-Code (die Anweisung als "
           "Systemnachricht, dann Videos, Bilder und Texte; Bilder auf Vielfache von 32 px mit 4–1800 visuellen Tokens "
           "skaliert; Videos mit 1 fps abgetastet, höchstens 64 Frames, mit einem Zeitstempel vor jedem Frame-Paar). "
           "Das Embedding ist der verborgene Zustand des letzten Tokens, L2-normiert; kleinere Größen (MRL, 64 bis "
           "voll) behalten die ersten *d* Zahlen und werden renormiert. Der Reranker bewertet mit "
           "*sigmoid(logit(yes) − logit(no))*.",
        pt="As entradas são formatadas exatamente como o código oficial do Qwen3-VL-Embedding faz (a instrução como "
           "mensagem do sistema, depois vídeos, imagens e textos; imagens redimensionadas em múltiplos de 32 px entre 4 "
           "e 1800 tokens visuais; vídeos amostrados a 1 fps, no máximo 64 quadros, com um carimbo de tempo antes de "
           "cada par de quadros). O embedding é o estado oculto do último token, normalizado L2; tamanhos menores (MRL, "
           "de 64 ao completo) mantêm os primeiros *d* números e renormalizam. O reordenador pontua "
           "*sigmoid(logit(yes) − logit(no))*.",
        ru="Входы форматируются в точности как в официальном коде Qwen3-VL-Embedding (инструкция — системным сообщением, "
           "затем видео, изображения и тексты; изображения масштабируются до кратных 32 px в пределах 4–1800 визуальных "
           "токенов; из видео берутся кадры с частотой 1 fps, не более 64, с меткой времени перед каждой парой кадров). "
           "Эмбеддинг — скрытое состояние последнего токена с L2-нормировкой; меньшие размеры (MRL, от 64 до полного) "
           "берут первые *d* чисел и перенормируются. Переранжирование оценивает *sigmoid(logit(yes) − logit(no))*.",
        ar="تُنسَّق المدخلات تمامًا كما تفعل شيفرة Qwen3-VL-Embedding الرسمية (التعليمات كرسالة نظام، ثم مقاطع الفيديو "
           "والصور والنصوص؛ وتُغيَّر أحجام الصور إلى مضاعفات 32 بكسل بين 4 و1800 رمز بصري؛ وتؤخذ من الفيديو إطارات بمعدل "
           "1 fps، 64 إطارًا على الأكثر، مع طابع زمني قبل كل زوج من الإطارات). التضمين هو الحالة المخفية لآخر رمز مطبّعة "
           "L2؛ والأحجام الأصغر (MRL، من 64 إلى الكامل) تحتفظ بأول *d* رقمًا وتُعاد تطبيعها. وتحسب إعادة الترتيب "
           "*sigmoid(logit(yes) − logit(no))*."),
    LIMITS: tr(
        zh="每次相似度请求 {queries} 条查询和 {documents} 个文档，每次重排序 {rerank} 个文档，图库中你自己的项目最多 {mine} 个"
           "（只在你的会话中可见），每次上传 {mb} MB，视频最长 {minutes} 分钟。",
        ja="類似度のリクエストごとにクエリ {queries} 件と文書 {documents} 件、並べ替えごとに文書 {rerank} 件、ギャラリーの自分の項目は "
           "{mine} 件まで（自分のセッションでだけ見えます）、アップロードは {mb} MB まで、動画は {minutes} 分まで。",
        ko="유사도 요청마다 쿼리 {queries}개와 문서 {documents}개, 재순위화마다 문서 {rerank}개, 갤러리의 내 항목 {mine}개(내 "
           "세션에서만 보임), 업로드당 {mb} MB, 동영상은 최대 {minutes}분.",
        es="{queries} consultas y {documents} documentos por petición de similitud, {rerank} documentos por reordenación, "
           "{mine} elementos propios en la galería (visibles solo en tu sesión), {mb} MB por archivo subido, vídeos de "
           "hasta {minutes} minutos.",
        fr="{queries} requêtes et {documents} documents par demande de similarité, {rerank} documents par reclassement, "
           "{mine} éléments à vous dans la galerie (visibles dans votre seule session), {mb} Mo par fichier importé, "
           "vidéos jusqu'à {minutes} minutes.",
        de="{queries} Anfragen und {documents} Dokumente pro Ähnlichkeitsanfrage, {rerank} Dokumente pro Neu-Ranking, "
           "{mine} eigene Elemente in der Galerie (nur in Ihrer Sitzung sichtbar), {mb} MB pro Upload, Videos bis "
           "{minutes} Minuten.",
        pt="{queries} consultas e {documents} documentos por pedido de similaridade, {rerank} documentos por "
           "reordenação, {mine} itens seus na galeria (visíveis só na sua sessão), {mb} MB por envio, vídeos de até "
           "{minutes} minutos.",
        ru="{queries} запросов и {documents} документов на запрос сходства, {rerank} документов на переранжирование, "
           "{mine} ваших элементов в галерее (видны только в вашей сессии), {mb} МБ на файл, видео до {minutes} минут.",
        ar="{queries} استعلامًا و{documents} مستندًا في كل طلب تشابه، و{rerank} مستندًا في كل إعادة ترتيب، و{mine} عنصرًا "
           "خاصًا بك في المعرض (لا يُرى إلا في جلستك)، و{mb} ميغابايت لكل ملف مرفوع، وفيديو حتى {minutes} دقيقة."),
    REFUSED: tr(
        zh="被拒绝的输入会抛出 `gradio_client.exceptions.AppError` 并附带消息（在页面上，它显示在运行它的按钮旁）。",
        ja="拒否された入力はメッセージ付きで `gradio_client.exceptions.AppError` を送出します（ページでは実行したボタンの横に表示されます）。",
        ko="거부된 입력은 메시지와 함께 `gradio_client.exceptions.AppError`를 발생시킵니다(페이지에서는 실행한 버튼 옆에 표시됩니다).",
        es="Una entrada rechazada lanza `gradio_client.exceptions.AppError` con el mensaje (en la página aparece junto al "
           "botón que la ejecutó).",
        fr="Une entrée refusée lève `gradio_client.exceptions.AppError` avec le message (sur la page, il s'affiche à côté "
           "du bouton qui l'a lancée).",
        de="Eine abgelehnte Eingabe löst `gradio_client.exceptions.AppError` mit der Meldung aus (auf der Seite steht sie "
           "neben dem Knopf, der sie gestartet hat).",
        pt="Uma entrada recusada lança `gradio_client.exceptions.AppError` com a mensagem (na página ela aparece ao lado "
           "do botão que a executou).",
        ru="Отклонённый ввод вызывает `gradio_client.exceptions.AppError` с сообщением (на странице оно видно рядом с "
           "кнопкой, которая его запустила).",
        ar="يرفع الإدخال المرفوض `gradio_client.exceptions.AppError` مع الرسالة (وفي الصفحة تظهر بجانب الزر الذي شغّله)."),
    EXACT_NOTE: tr(
        zh="**精确且只用一半内存：** 权重保持检查点自身的 16 位格式，每次矩阵乘法前才转换为 float32 并以 float32 计算，因此向量"
           "与 float32 模型的逐位相同，而内存只需约一半（已在测试模型上验证）。",
        ja="**半分のメモリーで厳密に：** 重みはチェックポイントそのままの 16 ビットで持ち、行列積のたびに直前で float32 に変換して "
           "float32 で計算します。そのためベクトルは float32 モデルとビット単位で同一で、メモリーは約半分です（テストモデルで"
           "確認済み）。",
        ko="**메모리 절반으로 정확하게:** 가중치는 체크포인트 그대로 16비트로 두고, 행렬 곱마다 직전에 float32로 변환해 float32로 "
           "계산합니다. 그래서 벡터는 float32 모델과 비트 단위로 같고 메모리는 약 절반입니다(테스트 모델에서 확인).",
        es="**Exacto con la mitad de memoria:** los pesos se quedan en los 16 bits del propio checkpoint y cada producto de "
           "matrices se calcula en float32, convirtiéndolos justo antes, así que los vectores son idénticos bit a bit a "
           "los de un modelo float32 con cerca de la mitad de su memoria (comprobado con los modelos de prueba).",
        fr="**Exact avec moitié moins de mémoire :** les poids restent dans les 16 bits du checkpoint et chaque produit "
           "matriciel est calculé en float32, après conversion juste avant, si bien que les vecteurs sont identiques bit "
           "à bit à ceux d'un modèle float32, avec environ moitié moins de mémoire (vérifié sur les modèles de test).",
        de="**Exakt mit halbem Speicher:** die Gewichte bleiben in den 16 Bit des Checkpoints, und jedes Matrixprodukt "
           "läuft in float32, unmittelbar davor hochkonvertiert; so sind die Vektoren bitgenau dieselben wie die eines "
           "float32-Modells, bei etwa halbem Speicher (an den Testmodellen geprüft).",
        pt="**Exato com metade da memória:** os pesos ficam nos 16 bits do próprio checkpoint e cada produto de matrizes "
           "é feito em float32, convertendo-os logo antes, então os vetores são idênticos bit a bit aos de um modelo "
           "float32, com cerca de metade da memória (verificado nos modelos de teste).",
        ru="**Точно и вдвое экономнее по памяти:** веса остаются в 16 битах самого чекпоинта, а каждое умножение матриц "
           "выполняется в float32 — веса преобразуются непосредственно перед ним, — поэтому векторы побитово совпадают с "
           "векторами модели float32 при примерно вдвое меньшей памяти (проверено на тестовых моделях).",
        ar="**دقة تامة بنصف الذاكرة:** تبقى الأوزان بصيغة 16 بت كما في نقطة الحفظ، ويجري كل ضرب مصفوفات بدقة float32 بعد "
           "تحويلها قبيله مباشرة، فتأتي المتجهات مطابقة بتًا ببت لمتجهات نموذج float32 بنحو نصف ذاكرته (جرى التحقق على "
           "نماذج الاختبار)."),
    INT8_NOTE: tr(
        zh="**快速模式（int8）：** 线性层量化为 int8（动态量化，每个输出通道一个缩放系数），因此会偏离官方的 float32 向量。"
           "与 float32 对比实测：测试模型上最低余弦 0.9995；在 2B 规模（随机权重）下，文本查询为 {text}，照片为 {photo}，"
           "文档页面为 {page}；在 12 张照片中搜索，前 10 名保留了 {top10}（前 3 名保留了 {top3}）；文本提速 {text_speed}，"
           "照片提速 {photo_speed}，内存为 float32 的 {memory}。要得到精确结果，请用 `--dtype exact`（或默认设置）启动。",
        ja="**高速モード（int8）：** 線形層を int8 に量子化します（動的量子化、出力チャネルごとに 1 つのスケール）。そのため公式の "
           "float32 のベクトルからずれます。float32 と比べた実測値：テストモデルでコサイン最小 0.9995。2B 規模（ランダム重み）"
           "ではテキストのクエリで {text}、写真で {photo}、文書ページで {page}。写真 12 枚の検索では上位 10 件の {top10}"
           "（上位 3 件の {top3}）がそのまま残りました。テキストは {text_speed}、写真は {photo_speed} 高速で、メモリーは float32 "
           "の {memory} です。厳密な結果が必要なら `--dtype exact`（または既定の設定）で起動してください。",
        ko="**고속 모드(int8):** 선형 레이어를 int8로 양자화합니다(동적 양자화, 출력 채널마다 스케일 하나). 그래서 공식 float32 "
           "벡터와 달라집니다. float32 대비 측정값: 테스트 모델에서 최저 코사인 0.9995, 2B 규모(무작위 가중치)에서는 텍스트 "
           "쿼리 {text}, 사진 {photo}, 문서 페이지 {page}. 사진 12장 검색에서 상위 10개는 {top10}, 상위 3개는 {top3}가 그대로 "
           "유지되었습니다. 텍스트는 {text_speed}, 사진은 {photo_speed} 빨라지고 메모리는 float32의 {memory}만 씁니다. 정확한 "
           "결과를 원하면 `--dtype exact`(또는 기본값)로 시작하세요.",
        es="**Modo rápido (int8):** las capas lineales se cuantizan a int8 (dinámico, una escala por canal de salida), lo "
           "que aparta los vectores de los float32 oficiales. Medido frente a float32: coseno mínimo 0,9995 con los "
           "modelos de prueba; con la forma 2B (pesos aleatorios), {text} en consultas de texto, {photo} en fotos y {page} "
           "en una página de documento, y una búsqueda entre 12 fotos conservó el {top10} de su top 10 (y el {top3} de su "
           "top 3); {text_speed} más rápido en texto y {photo_speed} en fotos, con el {memory} de la memoria de float32. "
           "Inicia con `--dtype exact` (o la opción predeterminada) para obtener resultados exactos.",
        fr="**Mode rapide (int8) :** les couches linéaires sont quantifiées en int8 (dynamique, une échelle par canal de "
           "sortie), ce qui écarte les vecteurs des float32 officiels. Mesuré face à float32 : cosinus minimal 0,9995 "
           "sur les modèles de test ; à la taille 2B (poids aléatoires), {text} pour les requêtes texte, {photo} pour les "
           "photos, {page} pour une page de document, et une recherche parmi 12 photos a gardé {top10} de son top 10 (et "
           "{top3} de son top 3) ; {text_speed} plus rapide sur le texte, {photo_speed} sur les photos, avec {memory} de la "
           "mémoire de float32. Lancez avec `--dtype exact` (ou par défaut) pour des résultats exacts.",
        de="**Schnellmodus (int8):** die linearen Schichten werden nach int8 quantisiert (dynamisch, eine Skala pro "
           "Ausgabekanal); dadurch weichen die Vektoren von den offiziellen float32-Vektoren ab. Gemessen gegen float32: "
           "minimaler Kosinus 0,9995 bei den Testmodellen; in 2B-Größe (Zufallsgewichte) {text} bei Textanfragen, "
           "{photo} bei Fotos, {page} bei einer Dokumentseite, und eine Suche über 12 Fotos behielt {top10} ihrer Top 10 "
           "(und {top3} ihrer Top 3); {text_speed} schneller bei Text, {photo_speed} bei Fotos, mit {memory} des Speichers "
           "von float32. Für exakte Ergebnisse mit `--dtype exact` (oder der Voreinstellung) starten.",
        pt="**Modo rápido (int8):** as camadas lineares são quantizadas para int8 (dinâmico, uma escala por canal de "
           "saída), o que afasta os vetores dos float32 oficiais. Medido em relação ao float32: cosseno mínimo 0,9995 "
           "nos modelos de teste; no formato 2B (pesos aleatórios), {text} em consultas de texto, {photo} em fotos, {page} "
           "numa página de documento, e uma busca entre 12 fotos manteve {top10} do seu top 10 (e {top3} do top 3); "
           "{text_speed} mais rápido em texto, {photo_speed} em fotos, com {memory} da memória do float32. Inicie com "
           "`--dtype exact` (ou o padrão) para resultados exatos.",
        ru="**Быстрый режим (int8):** линейные слои квантуются в int8 (динамически, один масштаб на выходной канал), "
           "из-за чего векторы отличаются от официальных float32. Измерено относительно float32: минимальный косинус "
           "0,9995 на тестовых моделях; при размере 2B (случайные веса) {text} для текстовых запросов, {photo} для фото, "
           "{page} для страницы документа, а поиск по 12 фото сохранил {top10} своего top-10 (и {top3} top-3); ускорение "
           "{text_speed} на тексте и {photo_speed} на фото, при {memory} памяти float32. Для точных результатов запускайте "
           "с `--dtype exact` (или по умолчанию).",
        ar="**الوضع السريع (int8):** تُكمَّم الطبقات الخطية إلى int8 (تكميم ديناميكي، بمقياس واحد لكل قناة إخراج)، فتحيد "
           "المتجهات عن متجهات float32 الرسمية. القياس مقارنةً بـfloat32: أدنى جيب تمام 0.9995 على نماذج الاختبار؛ وبحجم "
           "2B (أوزان عشوائية) {text} لاستعلامات النص، و{photo} للصور، و{page} لصفحة مستند، وأبقى بحث بين 12 صورة على "
           "{top10} من أفضل 10 نتائج (و{top3} من أفضل 3)؛ وهو أسرع بـ{text_speed} في النص و{photo_speed} في الصور، بـ{memory} "
           "من ذاكرة float32. شغّل مع `--dtype exact` (أو الإعداد الافتراضي) لنتائج دقيقة."),
    "**Precision (embedder):** {dtype} — {reason}.": tr(
        zh="**精度（嵌入模型）：** {dtype} — {reason}。", ja="**精度（埋め込みモデル）：** {dtype} — {reason}。",
        ko="**정밀도(임베딩 모델):** {dtype} — {reason}.", es="**Precisión (modelo de embedding):** {dtype} — {reason}.",
        fr="**Précision (modèle d'embedding) :** {dtype} — {reason}.", de="**Genauigkeit (Embedding-Modell):** {dtype} — {reason}.",
        pt="**Precisão (modelo de embedding):** {dtype} — {reason}.", ru="**Точность (модель эмбеддингов):** {dtype} — {reason}.",
        ar="**الدقة (نموذج التضمين):** {dtype} — {reason}."),
    "**Precision (reranker):** {dtype} — {reason}.": tr(
        zh="**精度（重排序模型）：** {dtype} — {reason}。", ja="**精度（リランカー）：** {dtype} — {reason}。",
        ko="**정밀도(리랭커):** {dtype} — {reason}.", es="**Precisión (reordenador):** {dtype} — {reason}.",
        fr="**Précision (modèle de reclassement) :** {dtype} — {reason}.", de="**Genauigkeit (Reranker):** {dtype} — {reason}.",
        pt="**Precisão (reordenador):** {dtype} — {reason}.",
        ru="**Точность (модель переранжирования):** {dtype} — {reason}.",
        ar="**الدقة (نموذج إعادة الترتيب):** {dtype} — {reason}."),
    "**Precision:** {dtype} — {reason}.": tr(
        zh="**精度：** {dtype} — {reason}。", ja="**精度：** {dtype} — {reason}。", ko="**정밀도:** {dtype} — {reason}.",
        es="**Precisión:** {dtype} — {reason}.", fr="**Précision :** {dtype} — {reason}.",
        de="**Genauigkeit:** {dtype} — {reason}.", pt="**Precisão:** {dtype} — {reason}.", ru="**Точность:** {dtype} — {reason}.",
        ar="**الدقة:** {dtype} — {reason}."),
    "**Memory checked before loading (embedder):** {memory}.": tr(
        zh="**加载前检查了内存（嵌入模型）：** {memory}。", ja="**読み込み前のメモリー確認（埋め込みモデル）：** {memory}。",
        ko="**불러오기 전 메모리 확인(임베딩 모델):** {memory}.",
        es="**Memoria comprobada antes de cargar (modelo de embedding):** {memory}.",
        fr="**Mémoire vérifiée avant le chargement (modèle d'embedding) :** {memory}.",
        de="**Speicher vor dem Laden geprüft (Embedding-Modell):** {memory}.",
        pt="**Memória verificada antes de carregar (modelo de embedding):** {memory}.",
        ru="**Память проверена перед загрузкой (модель эмбеддингов):** {memory}.",
        ar="**فُحصت الذاكرة قبل التحميل (نموذج التضمين):** {memory}."),
    "**Memory checked before loading (reranker):** {memory}.": tr(
        zh="**加载前检查了内存（重排序模型）：** {memory}。", ja="**読み込み前のメモリー確認（リランカー）：** {memory}。",
        ko="**불러오기 전 메모리 확인(리랭커):** {memory}.", es="**Memoria comprobada antes de cargar (reordenador):** {memory}.",
        fr="**Mémoire vérifiée avant le chargement (modèle de reclassement) :** {memory}.",
        de="**Speicher vor dem Laden geprüft (Reranker):** {memory}.",
        pt="**Memória verificada antes de carregar (reordenador):** {memory}.",
        ru="**Память проверена перед загрузкой (модель переранжирования):** {memory}.",
        ar="**فُحصت الذاكرة قبل التحميل (نموذج إعادة الترتيب):** {memory}."),
    "**The embedder is not loaded:** {error}": tr(
        zh="**嵌入模型未加载：** {error}", ja="**埋め込みモデルは読み込まれていません：** {error}",
        ko="**임베딩 모델을 불러오지 않았습니다:** {error}", es="**El modelo de embedding no está cargado:** {error}",
        fr="**Le modèle d'embedding n'est pas chargé :** {error}", de="**Das Embedding-Modell ist nicht geladen:** {error}",
        pt="**O modelo de embedding não está carregado:** {error}", ru="**Модель эмбеддингов не загружена:** {error}",
        ar="**نموذج التضمين غير محمَّل:** {error}"),
    "**The reranker is not loaded:** {error}": tr(
        zh="**重排序模型未加载：** {error}", ja="**リランカーは読み込まれていません：** {error}",
        ko="**리랭커를 불러오지 않았습니다:** {error}", es="**El reordenador no está cargado:** {error}",
        fr="**Le modèle de reclassement n'est pas chargé :** {error}", de="**Der Reranker ist nicht geladen:** {error}",
        pt="**O reordenador não está carregado:** {error}", ru="**Модель переранжирования не загружена:** {error}",
        ar="**نموذج إعادة الترتيب غير محمَّل:** {error}"),
}
