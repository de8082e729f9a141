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
}
