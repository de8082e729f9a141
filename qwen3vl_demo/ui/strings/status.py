"""What the server writes as things change: the header (models, downloads, the gallery's index,
warnings) and the notes of the visitor's own gallery. Templates: ``{name}`` fields are filled as
the page is refreshed; a field holding markup or a file name is filled in every language alike."""

from __future__ import annotations

from .locales import tr

FAST_MODE_BANNER = ("⚡ Fast mode ({int8}): the vectors and scores approximate the official float32 ones (how closely: "
                    "About). Start without it (or with {exact}) for exact results.")  # shown when a model runs int8

STRINGS = {
    # --- The header --------------------------------------------------------------------------------
    "Qwen3-VL Embedding & Reranker Explorer": tr(
        zh="Qwen3-VL 嵌入与重排序探索", ja="Qwen3-VL 埋め込み＆リランカー・エクスプローラー", ko="Qwen3-VL 임베딩 & 리랭커 탐색기",
        es="Explorador de Qwen3-VL Embedding y Reranker", fr="Explorateur Qwen3-VL Embedding et Reranker",
        de="Qwen3-VL Embedding & Reranker Explorer – Erkunden", pt="Explorador do Qwen3-VL Embedding e Reranker",
        ru="Исследователь Qwen3-VL Embedding и Reranker", ar="مستكشف Qwen3-VL للتضمين وإعادة الترتيب"),
    "Embed text, images, screenshots and videos into one space, search a gallery, and rerank — with the official "
    "Qwen3-VL recipe.": tr(
        zh="把文本、图像、截图和视频嵌入同一个空间，搜索图库并重排序 — 使用官方的 Qwen3-VL 方法。",
        ja="テキスト・画像・スクリーンショット・動画を 1 つの空間に埋め込み、ギャラリーを検索して並べ替えます — 公式の Qwen3-VL "
           "の手順で。",
        ko="텍스트, 이미지, 스크린샷, 동영상을 하나의 공간에 임베딩하고, 갤러리를 검색하고, 재순위화합니다 — 공식 Qwen3-VL "
           "방식으로.",
        es="Incrusta texto, imágenes, capturas y vídeos en un mismo espacio, busca en una galería y reordena, con la "
           "receta oficial de Qwen3-VL.",
        fr="Plongez texte, images, captures et vidéos dans un même espace, cherchez dans une galerie et reclassez, "
           "selon la recette officielle de Qwen3-VL.",
        de="Text, Bilder, Screenshots und Videos in einen gemeinsamen Raum einbetten, eine Galerie durchsuchen und "
           "neu ordnen – nach dem offiziellen Qwen3-VL-Rezept.",
        pt="Incorpore texto, imagens, capturas de tela e vídeos num mesmo espaço, busque numa galeria e reordene, com "
           "a receita oficial do Qwen3-VL.",
        ru="Текст, изображения, скриншоты и видео в одном пространстве: поиск по галерее и переранжирование — по "
           "официальному рецепту Qwen3-VL.",
        ar="ضمّن النصوص والصور ولقطات الشاشة ومقاطع الفيديو في فضاء واحد، وابحث في معرض، وأعد الترتيب — وفق طريقة "
           "Qwen3-VL الرسمية."),
    "Embedding": tr(zh="嵌入", ja="埋め込み", ko="임베딩", es="Embedding", fr="Embedding", de="Embedding", pt="Embedding",
                    ru="Эмбеддинг", ar="التضمين"),
    "Reranker": tr(zh="重排序", ja="リランカー", ko="리랭커", es="Reordenador", fr="Reclassement", de="Neu-Ranking",
                   pt="Reordenador", ru="Переранжирование", ar="إعادة الترتيب"),
    "loads once the gallery is indexed, or at the first rerank": tr(
        zh="在图库索引完成后或首次重排序时加载", ja="ギャラリーのインデックス作成後、または最初の並べ替えで読み込みます",
        ko="갤러리 색인이 끝나거나 첫 재순위화 때 불러옵니다", es="se carga cuando la galería esté indexada o en la primera "
        "reordenación", fr="se charge une fois la galerie indexée, ou au premier reclassement",
        de="lädt, sobald die Galerie indexiert ist, oder beim ersten Neu-Ranking",
        pt="carrega quando a galeria estiver indexada ou na primeira reordenação",
        ru="загрузится после индексации галереи или при первом переранжировании",
        ar="يُحمَّل بعد فهرسة المعرض أو عند أول إعادة ترتيب"),
    "loading": tr(zh="加载中", ja="読み込み中", ko="불러오는 중", es="cargando", fr="chargement", de="lädt",
                  pt="carregando", ru="загрузка", ar="جارٍ التحميل"),
    "failed": tr(zh="失败", ja="失敗", ko="실패", es="falló", fr="échec", de="fehlgeschlagen", pt="falhou",
                 ru="ошибка", ar="فشل"),
    "idle": tr(zh="空闲", ja="待機中", ko="대기 중", es="en espera", fr="en attente", de="wartet", pt="em espera",
               ru="ожидание", ar="في الانتظار"),
    "ready": tr(zh="就绪", ja="準備完了", ko="준비됨", es="listo", fr="prêt", de="bereit", pt="pronto", ru="готов",
                ar="جاهز"),
    "vLLM {model} · max {tokens} tokens": tr(
        zh="vLLM {model} · 最多 {tokens} 个 token", ja="vLLM {model} · 最大 {tokens} トークン",
        ko="vLLM {model} · 최대 {tokens}토큰", es="vLLM {model} · máx. {tokens} tokens", fr="vLLM {model} · {tokens} jetons max.",
        de="vLLM {model} · max. {tokens} Tokens", pt="vLLM {model} · máx. {tokens} tokens",
        ru="vLLM {model} · не более {tokens} токенов", ar="vLLM {model} · حتى {tokens} رمز"),
    "{device} · {dtype} · loaded in {seconds:.1f} s": tr(
        zh="{device} · {dtype} · 加载用时 {seconds:.1f} 秒", ja="{device} · {dtype} · {seconds:.1f} 秒で読み込み",
        ko="{device} · {dtype} · {seconds:.1f}초 만에 불러옴", es="{device} · {dtype} · cargado en {seconds:.1f} s",
        fr="{device} · {dtype} · chargé en {seconds:.1f} s", de="{device} · {dtype} · in {seconds:.1f} s geladen",
        pt="{device} · {dtype} · carregado em {seconds:.1f} s", ru="{device} · {dtype} · загружен за {seconds:.1f} с",
        ar="{device} · {dtype} · حُمّل في {seconds:.1f} ث"),
    "ZeroGPU, a GPU per request · {dtype} · loaded in {seconds:.1f} s": tr(
        zh="ZeroGPU，每个请求一块 GPU · {dtype} · 加载用时 {seconds:.1f} 秒",
        ja="ZeroGPU、リクエストごとに GPU · {dtype} · {seconds:.1f} 秒で読み込み",
        ko="ZeroGPU, 요청마다 GPU · {dtype} · {seconds:.1f}초 만에 불러옴",
        es="ZeroGPU, una GPU por petición · {dtype} · cargado en {seconds:.1f} s",
        fr="ZeroGPU, un GPU par requête · {dtype} · chargé en {seconds:.1f} s",
        de="ZeroGPU, eine GPU je Anfrage · {dtype} · in {seconds:.1f} s geladen",
        pt="ZeroGPU, uma GPU por pedido · {dtype} · carregado em {seconds:.1f} s",
        ru="ZeroGPU, GPU на каждый запрос · {dtype} · загружен за {seconds:.1f} с",
        ar="ZeroGPU، وحدة GPU لكل طلب · {dtype} · حُمّل في {seconds:.1f} ث"),
    "downloading {done:.1f} of {total:.1f} GB": tr(
        zh="正在下载 {done:.1f} / {total:.1f} GB", ja="ダウンロード中 {done:.1f} / {total:.1f} GB",
        ko="다운로드 중 {done:.1f} / {total:.1f} GB", es="descargando {done:.1f} de {total:.1f} GB",
        fr="téléchargement {done:.1f} sur {total:.1f} Go", de="lädt herunter: {done:.1f} von {total:.1f} GB",
        pt="baixando {done:.1f} de {total:.1f} GB", ru="загрузка {done:.1f} из {total:.1f} ГБ",
        ar="جارٍ التنزيل {done:.1f} من {total:.1f} غيغابايت"),
    "downloading {done:.2f} GB": tr(
        zh="正在下载 {done:.2f} GB", ja="ダウンロード中 {done:.2f} GB", ko="다운로드 중 {done:.2f} GB",
        es="descargando {done:.2f} GB", fr="téléchargement {done:.2f} Go", de="lädt herunter: {done:.2f} GB",
        pt="baixando {done:.2f} GB", ru="загрузка {done:.2f} ГБ", ar="جارٍ التنزيل {done:.2f} غيغابايت"),
    " · {rate:.0f} MB/s": tr(zh=" · {rate:.0f} MB/秒", ja=" · {rate:.0f} MB/秒", ko=" · {rate:.0f} MB/초",
                             es=" · {rate:.0f} MB/s", fr=" · {rate:.0f} Mo/s", de=" · {rate:.0f} MB/s",
                             pt=" · {rate:.0f} MB/s", ru=" · {rate:.0f} МБ/с", ar=" · {rate:.0f} ميغابايت/ث"),
    " · about {minutes:.0f} min left": tr(
        zh=" · 约剩 {minutes:.0f} 分钟", ja=" · 残り約 {minutes:.0f} 分", ko=" · 약 {minutes:.0f}분 남음",
        es=" · quedan unos {minutes:.0f} min", fr=" · environ {minutes:.0f} min restantes", de=" · noch etwa {minutes:.0f} min",
        pt=" · faltam uns {minutes:.0f} min", ru=" · осталось около {minutes:.0f} мин", ar=" · بقي نحو {minutes:.0f} دقيقة"),
    " · about {seconds} s left": tr(
        zh=" · 约剩 {seconds} 秒", ja=" · 残り約 {seconds} 秒", ko=" · 약 {seconds}초 남음", es=" · quedan unos {seconds} s",
        fr=" · environ {seconds} s restantes", de=" · noch etwa {seconds} s", pt=" · faltam uns {seconds} s",
        ru=" · осталось около {seconds} с", ar=" · بقي نحو {seconds} ث"),
    "waiting for the embedder": tr(zh="等待嵌入模型", ja="埋め込みモデルを待っています", ko="임베딩 모델을 기다리는 중",
                                   es="esperando al modelo de embedding", fr="en attente du modèle d'embedding",
                                   de="wartet auf das Embedding-Modell", pt="esperando o modelo de embedding",
                                   ru="ждёт модель эмбеддингов", ar="في انتظار نموذج التضمين"),
    "not indexed (searches embed on demand)": tr(
        zh="未建索引（搜索时按需嵌入）", ja="未インデックス（検索時に必要な分だけ埋め込み）", ko="색인 없음(검색할 때 필요한 만큼 임베딩)",
        es="sin indexar (las búsquedas calculan lo que necesitan)", fr="non indexée (les recherches calculent à la demande)",
        de="nicht indexiert (Suchen betten bei Bedarf ein)", pt="não indexada (as buscas calculam sob demanda)",
        ru="не проиндексирована (поиск вычисляет по запросу)", ar="غير مفهرس (يُضمَّن عند البحث حسب الحاجة)"),
    "disk cache": tr(zh="磁盘缓存", ja="ディスクキャッシュ", ko="디스크 캐시", es="caché en disco", fr="cache disque",
                     de="Festplatten-Cache", pt="cache em disco", ru="кеш на диске", ar="ذاكرة القرص المؤقتة"),
    "computed": tr(zh="已计算", ja="計算済み", ko="계산됨", es="calculado", fr="calculé", de="berechnet", pt="calculado",
                   ru="вычислено", ar="محسوب"),
    "{source} · {seconds:.1f} s": tr(zh="{source} · {seconds:.1f} 秒", ja="{source} · {seconds:.1f} 秒",
                                     ko="{source} · {seconds:.1f}초", es="{source} · {seconds:.1f} s",
                                     fr="{source} · {seconds:.1f} s", de="{source} · {seconds:.1f} s",
                                     pt="{source} · {seconds:.1f} s", ru="{source} · {seconds:.1f} с",
                                     ar="{source} · {seconds:.1f} ث"),
    " · checked when the model is up": tr(
        zh=" · 模型就绪后校验", ja=" · モデルの準備後に確認", ko=" · 모델이 준비되면 확인", es=" · se comprueba cuando el modelo "
        "esté listo", fr=" · vérifié quand le modèle sera prêt", de=" · wird geprüft, sobald das Modell bereit ist",
        pt=" · conferido quando o modelo estiver pronto", ru=" · проверится, когда модель будет готова",
        ar=" · يُتحقَّق منه عندما يجهز النموذج"),
    "indexing…": tr(zh="正在建立索引…", ja="インデックス作成中…", ko="색인 중…", es="indexando…", fr="indexation…",
                    de="indexiert…", pt="indexando…", ru="индексация…", ar="جارٍ الفهرسة…"),
    "all searchable · indexing the examples' inputs, {left} to go": tr(
        zh="全部可搜索 · 正在为示例的输入建立索引，还剩 {left} 个", ja="すべて検索可能 · 例の入力をインデックス中、残り {left} 件",
        ko="모두 검색 가능 · 예시 입력 색인 중, {left}개 남음", es="todo buscable · indexando las entradas de los ejemplos, "
        "faltan {left}", fr="tout est cherchable · indexation des entrées des exemples, encore {left}",
        de="alles durchsuchbar · indexiert die Eingaben der Beispiele, noch {left}",
        pt="tudo pesquisável · indexando as entradas dos exemplos, faltam {left}",
        ru="всё доступно для поиска · индексируются входы примеров, осталось {left}",
        ar="كل شيء قابل للبحث · تُفهرَس مدخلات الأمثلة، بقي {left}"),
    "indexing {done} of {total}": tr(
        zh="正在建立索引 {done} / {total}", ja="インデックス作成中 {done} / {total}", ko="색인 중 {done} / {total}",
        es="indexando {done} de {total}", fr="indexation {done} sur {total}", de="indexiert {done} von {total}",
        pt="indexando {done} de {total}", ru="индексация {done} из {total}", ar="جارٍ فهرسة {done} من {total}"),
    " · search covers what is done": tr(
        zh=" · 搜索覆盖已完成的部分", ja=" · 完了した分は検索できます", ko=" · 끝난 부분은 검색됩니다",
        es=" · la búsqueda cubre lo ya hecho", fr=" · la recherche couvre ce qui est fait",
        de=" · die Suche umfasst, was fertig ist", pt=" · a busca cobre o que já foi feito",
        ru=" · поиск охватывает готовое", ar=" · يشمل البحث ما اكتمل"),
    "⚠️ {error} — use {retry}, or start the app with {tiny} to run offline.": tr(
        zh="⚠️ {error} — 请点击 {retry}，或用 {tiny} 启动应用以离线运行。",
        ja="⚠️ {error} — {retry} を押すか、{tiny} を付けてアプリを起動するとオフラインで動きます。",
        ko="⚠️ {error} — {retry}을(를) 누르거나, 오프라인으로 실행하려면 {tiny}로 앱을 시작하세요.",
        es="⚠️ {error}: usa {retry} o inicia la app con {tiny} para trabajar sin conexión.",
        fr="⚠️ {error} — utilisez {retry}, ou lancez l'app avec {tiny} pour travailler hors ligne.",
        de="⚠️ {error} – {retry} verwenden oder die App mit {tiny} starten, um offline zu arbeiten.",
        pt="⚠️ {error}: use {retry} ou inicie o app com {tiny} para rodar off-line.",
        ru="⚠️ {error} — нажмите {retry} или запустите приложение с {tiny}, чтобы работать офлайн.",
        ar="⚠️ {error} — استخدم {retry}، أو شغّل التطبيق مع {tiny} للعمل دون اتصال."),
    "⚠️ {error} — restart the Space once the cause is fixed.": tr(
        zh="⚠️ {error} — 修复原因后请重启 Space。",
        ja="⚠️ {error} — 原因を直してから Space を再起動してください。",
        ko="⚠️ {error} — 원인을 해결한 뒤 Space를 다시 시작하세요.",
        es="⚠️ {error}: reinicia el Space cuando la causa esté resuelta.",
        fr="⚠️ {error} — redémarrez le Space une fois la cause corrigée.",
        de="⚠️ {error} – den Space neu starten, sobald die Ursache behoben ist.",
        pt="⚠️ {error}: reinicie o Space depois de corrigir a causa.",
        ru="⚠️ {error} — перезапустите Space, когда причина будет устранена.",
        ar="⚠️ {error} — أعد تشغيل الـ Space بعد إصلاح السبب."),
    "🎲 Random-weight test model: the pipeline is real, the scores are meaningless. Start without {tiny} for the "
    "real models.": tr(
        zh="🎲 随机权重的测试模型：流程是真实的，分数没有意义。不带 {tiny} 启动即可使用真实模型。",
        ja="🎲 ランダム重みのテストモデル：処理の流れは本物ですが、スコアに意味はありません。本物のモデルは {tiny} なしで起動します。",
        ko="🎲 무작위 가중치 테스트 모델: 처리 과정은 실제이지만 점수는 의미가 없습니다. 실제 모델은 {tiny} 없이 시작하세요.",
        es="🎲 Modelo de prueba con pesos aleatorios: el proceso es real, las puntuaciones no significan nada. Inicia "
           "sin {tiny} para usar los modelos reales.",
        fr="🎲 Modèle de test à poids aléatoires : le traitement est réel, les scores ne veulent rien dire. Lancez "
           "sans {tiny} pour les vrais modèles.",
        de="🎲 Testmodell mit Zufallsgewichten: die Pipeline ist echt, die Scores sind bedeutungslos. Ohne {tiny} "
           "starten für die echten Modelle.",
        pt="🎲 Modelo de teste com pesos aleatórios: o processo é real, as pontuações não significam nada. Inicie sem "
           "{tiny} para os modelos reais.",
        ru="🎲 Тестовая модель со случайными весами: конвейер настоящий, оценки ничего не значат. Для настоящих "
           "моделей запустите без {tiny}.",
        ar="🎲 نموذج اختبار بأوزان عشوائية: المعالجة حقيقية لكن الدرجات بلا معنى. شغّل دون {tiny} لاستخدام النماذج "
           "الحقيقية."),
    FAST_MODE_BANNER: tr(
        zh="⚡ 快速模式（{int8}）：向量和分数是官方 float32 结果的近似值（相差多少：见“关于”）。不加此选项（或用 {exact}）"
           "启动即可得到精确结果。",
        ja="⚡ 高速モード（{int8}）：ベクトルとスコアは公式の float32 の値の近似です（どれだけ近いかは「概要」に）。厳密な結果が"
           "必要なら、このオプションなしで（または {exact} で）起動してください。",
        ko="⚡ 고속 모드({int8}): 벡터와 점수는 공식 float32 값의 근삿값입니다(얼마나 가까운지는 '정보' 참고). 정확한 결과를 "
           "원하면 이 옵션 없이(또는 {exact}로) 시작하세요.",
        es="⚡ Modo rápido ({int8}): los vectores y las puntuaciones se aproximan a los oficiales en float32 (cuánto: en "
           "«Acerca de»). Inicia sin esta opción (o con {exact}) para obtener resultados exactos.",
        fr="⚡ Mode rapide ({int8}) : les vecteurs et les scores sont des approximations des valeurs officielles en "
           "float32 (à quel point : voir « À propos »). Lancez sans cette option (ou avec {exact}) pour des résultats "
           "exacts.",
        de="⚡ Schnellmodus ({int8}): Vektoren und Scores nähern die offiziellen float32-Werte an (wie genau: siehe "
           "„Über“). Für exakte Ergebnisse ohne diese Option (oder mit {exact}) starten.",
        pt="⚡ Modo rápido ({int8}): os vetores e as pontuações aproximam os oficiais em float32 (quanto: veja "
           "“Sobre”). Inicie sem essa opção (ou com {exact}) para resultados exatos.",
        ru="⚡ Быстрый режим ({int8}): векторы и оценки приближённо равны официальным значениям float32 (насколько "
           "точно — см. «О приложении»). Для точных результатов запускайте без этой опции (или с {exact}).",
        ar="⚡ الوضع السريع ({int8}): المتجهات والدرجات تقريبية لقيم float32 الرسمية (مدى قربها: انظر «حول»). شغّل "
           "من دون هذا الخيار (أو مع {exact}) لنتائج دقيقة."),
    # The dtype a model pill and About's table show
    "int8 (approximate)": tr(zh="int8（近似）", ja="int8（近似）", ko="int8(근사)", es="int8 (aproximado)",
                             fr="int8 (approché)", de="int8 (angenähert)", pt="int8 (aproximado)", ru="int8 (приближённо)",
                             ar="int8 (تقريبي)"),
    "{dtype} ({storage} weights)": tr(
        zh="{dtype}（{storage} 权重）", ja="{dtype}（{storage} の重み）", ko="{dtype}({storage} 가중치)",
        es="{dtype} (pesos en {storage})", fr="{dtype} (poids en {storage})", de="{dtype} ({storage}-Gewichte)",
        pt="{dtype} (pesos em {storage})", ru="{dtype} (веса в {storage})", ar="{dtype} (أوزان {storage})"),
}

# --- The visitor's own gallery ---------------------------------------------------------------------
GALLERY = {
    "**{total} items** — {samples} bundled samples, {mine} of yours (⭐, visible only in this browser session; up to "
    "{limit}).": tr(
        zh="**共 {total} 项** — {samples} 个自带示例，{mine} 个是你的（⭐，只在此浏览器会话中可见；最多 {limit} 个）。",
        ja="**{total} 項目** — 同梱のサンプル {samples} 件、あなたの項目 {mine} 件（⭐、このブラウザーのセッションでだけ見えます。"
           "最大 {limit} 件）。",
        ko="**항목 {total}개** — 포함된 샘플 {samples}개, 내 항목 {mine}개(⭐, 이 브라우저 세션에서만 보임, 최대 {limit}개).",
        es="**{total} elementos**: {samples} muestras incluidas y {mine} tuyos (⭐, visibles solo en esta sesión del "
           "navegador; hasta {limit}).",
        fr="**{total} éléments** : {samples} exemples fournis, {mine} à vous (⭐, visibles dans cette seule session du "
           "navigateur ; jusqu'à {limit}).",
        de="**{total} Elemente** – {samples} mitgelieferte Beispiele, {mine} eigene (⭐, nur in dieser Browsersitzung "
           "sichtbar; bis zu {limit}).",
        pt="**{total} itens**: {samples} amostras incluídas, {mine} seus (⭐, visíveis só nesta sessão do navegador; até "
           "{limit}).",
        ru="**{total} элементов** — {samples} встроенных примеров, {mine} ваших (⭐, видны только в этой сессии браузера; "
           "до {limit}).",
        ar="**{total} عنصرًا** — {samples} عينة مرفقة، و{mine} من عناصرك (⭐، لا تُرى إلا في جلسة المتصفح هذه؛ حتى {limit})."),
    "✓ Added {count}: {names}.": tr(zh="✓ 已添加 {count} 项：{names}。", ja="✓ {count} 件追加しました：{names}。",
                                    ko="✓ {count}개 추가함: {names}.", es="✓ Añadidos {count}: {names}.",
                                    fr="✓ Ajoutés {count} : {names}.", de="✓ {count} hinzugefügt: {names}.",
                                    pt="✓ Adicionados {count}: {names}.", ru="✓ Добавлено {count}: {names}.",
                                    ar="✓ أُضيف {count}: {names}."),
    "{names} and {more} more": tr(zh="{names} 等另外 {more} 项", ja="{names} ほか {more} 件", ko="{names} 외 {more}개",
                                  es="{names} y {more} más", fr="{names} et {more} autres", de="{names} und {more} weitere",
                                  pt="{names} e mais {more}", ru="{names} и ещё {more}", ar="{names} و{more} أخرى"),
    "⚠️ Left out {count}: {reasons}.": tr(zh="⚠️ 未采用 {count} 项：{reasons}。", ja="⚠️ {count} 件を除外しました：{reasons}。",
                                          ko="⚠️ {count}개 제외함: {reasons}.", es="⚠️ Se dejaron fuera {count}: {reasons}.",
                                          fr="⚠️ Laissés de côté {count} : {reasons}.", de="⚠️ {count} ausgelassen: {reasons}.",
                                          pt="⚠️ Ficaram de fora {count}: {reasons}.", ru="⚠️ Не взято {count}: {reasons}.",
                                          ar="⚠️ تُرك {count}: {reasons}."),
    "✓ Removed {label}.": tr(zh="✓ 已移除 {label}。", ja="✓ {label} を削除しました。", ko="✓ {label}을(를) 삭제했습니다.",
                             es="✓ Se quitó {label}.", fr="✓ {label} a été retiré.", de="✓ {label} entfernt.",
                             pt="✓ {label} foi removido.", ru="✓ {label} удалён.", ar="✓ أُزيل {label}."),
    "✓ Your items were removed.": tr(zh="✓ 你的项目已全部移除。", ja="✓ あなたの項目をすべて削除しました。",
                                     ko="✓ 내 항목을 모두 삭제했습니다.", es="✓ Se quitaron tus elementos.",
                                     fr="✓ Vos éléments ont été retirés.", de="✓ Ihre Elemente wurden entfernt.",
                                     pt="✓ Seus itens foram removidos.", ru="✓ Ваши элементы удалены.",
                                     ar="✓ أُزيلت عناصرك."),
}
STRINGS.update(GALLERY)

# --- The cost line under every result ----------------------------------------------------------------
STRINGS.update({
    "prepare {seconds:.2f} s": tr(zh="准备 {seconds:.2f} 秒", ja="準備 {seconds:.2f} 秒", ko="준비 {seconds:.2f}초",
                                  es="preparación {seconds:.2f} s", fr="préparation {seconds:.2f} s",
                                  de="Vorbereitung {seconds:.2f} s", pt="preparo {seconds:.2f} s",
                                  ru="подготовка {seconds:.2f} с", ar="التحضير {seconds:.2f} ث"),
    "model {seconds:.2f} s": tr(zh="模型 {seconds:.2f} 秒", ja="モデル {seconds:.2f} 秒", ko="모델 {seconds:.2f}초",
                                es="modelo {seconds:.2f} s", fr="modèle {seconds:.2f} s", de="Modell {seconds:.2f} s",
                                pt="modelo {seconds:.2f} s", ru="модель {seconds:.2f} с", ar="النموذج {seconds:.2f} ث"),
    "similarity {ms:.1f} ms": tr(zh="相似度 {ms:.1f} 毫秒", ja="類似度 {ms:.1f} ms", ko="유사도 {ms:.1f}ms",
                                 es="similitud {ms:.1f} ms", fr="similarité {ms:.1f} ms", de="Ähnlichkeit {ms:.1f} ms",
                                 pt="similaridade {ms:.1f} ms", ru="сходство {ms:.1f} мс", ar="التشابه {ms:.1f} م.ث"),
    " · ♻️ {count} from the cache": tr(zh=" · ♻️ {count} 个来自缓存", ja=" · ♻️ キャッシュから {count} 件",
                                       ko=" · ♻️ 캐시에서 {count}개", es=" · ♻️ {count} de la caché",
                                       fr=" · ♻️ {count} depuis le cache", de=" · ♻️ {count} aus dem Cache",
                                       pt=" · ♻️ {count} do cache", ru=" · ♻️ из кеша: {count}",
                                       ar=" · ♻️ {count} من الذاكرة المؤقتة"),
    "🔤 tokens — {items}": tr(zh="🔤 token 数 — {items}", ja="🔤 トークン — {items}", ko="🔤 토큰 — {items}",
                             es="🔤 tokens: {items}", fr="🔤 jetons — {items}", de="🔤 Tokens – {items}",
                             pt="🔤 tokens: {items}", ru="🔤 токены — {items}", ar="🔤 الرموز — {items}"),
    " ({visual} visual)": tr(zh="（{visual} 个视觉 token）", ja="（視覚 {visual}）", ko="(시각 {visual})",
                             es=" ({visual} visuales)", fr=" ({visual} visuels)", de=" ({visual} visuell)",
                             pt=" ({visual} visuais)", ru=" ({visual} визуальных)", ar=" ({visual} بصري)"),
    " · and {more} more": tr(zh=" · 还有 {more} 个", ja=" · ほか {more} 件", ko=" · 외 {more}개", es=" · y {more} más",
                             fr=" · et {more} autres", de=" · und {more} weitere", pt=" · e mais {more}",
                             ru=" · и ещё {more}", ar=" · و{more} أخرى"),
})
STRINGS["🎯 {items}: your query itself, found in the gallery"] = tr(
    zh="🎯 {items}：就是你的查询本身，在图库中找到", ja="🎯 {items}：クエリそのもの（ギャラリー内で見つかりました）",
    ko="🎯 {items}: 쿼리 자체가 갤러리에서 발견됨", es="🎯 {items}: tu propia consulta, encontrada en la galería",
    fr="🎯 {items} : votre requête elle-même, trouvée dans la galerie", de="🎯 {items}: Ihre Anfrage selbst, in der Galerie gefunden",
    pt="🎯 {items}: sua própria consulta, encontrada na galeria", ru="🎯 {items}: сам ваш запрос, найденный в галерее",
    ar="🎯 {items}: استعلامك نفسه، وُجد في المعرض")
