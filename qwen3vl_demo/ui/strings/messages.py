"""Refused-input messages, as core, service and the forms raise them in English, with the words
they are built from (``query``, ``the pair text``...). At the ui boundary a message is matched
against these templates (``strings.translate_message``) and each value is translated in turn where
it is one of these words or messages itself: ``document line 2 has 9,000 characters; the limit is
8,000`` reads ``文档 第 2 行有 9,000 个字符；上限为 8,000``. Fields named in ``NUMBERS`` match only
numbers; file names, URLs and causes from libraries stay as they are."""

from __future__ import annotations

from .locales import tr

NUMBERS = frozenset({"count", "limit", "number", "index", "minutes", "seconds", "size", "length", "stride", "fits",
                     "code", "ratio", "value"})

STRINGS = {
    # --- The frame of every refused input, and the words messages are built from -------------------
    "Input problem — {cause}": tr(
        zh="输入有误 — {cause}", ja="入力に問題があります — {cause}", ko="입력 문제 — {cause}", es="Problema en la entrada: {cause}",
        fr="Problème de saisie : {cause}", de="Problem mit der Eingabe – {cause}", pt="Problema na entrada: {cause}",
        ru="Проблема с вводом — {cause}", ar="مشكلة في الإدخال — {cause}"),
    "{what} {index}: {cause}": tr(
        zh="{what} {index}：{cause}", ja="{what} {index}：{cause}", ko="{what} {index}: {cause}", es="{what} {index}: {cause}",
        fr="{what} {index} : {cause}", de="{what} {index}: {cause}", pt="{what} {index}: {cause}",
        ru="{what} {index}: {cause}", ar="{what} {index}: {cause}"),
    "{what} line {number}": tr(zh="{what}第 {number} 行", ja="{what} の {number} 行目", ko="{what} {number}번째 줄",
                               es="{what}, línea {number}", fr="{what}, ligne {number}", de="{what}, Zeile {number}",
                               pt="{what}, linha {number}", ru="{what}, строка {number}", ar="{what}، السطر {number}"),
    "query": tr(zh="查询", ja="クエリ", ko="쿼리", es="consulta", fr="requête", de="Anfrage", pt="consulta", ru="запрос",
                ar="الاستعلام"),
    "document": tr(zh="文档", ja="文書", ko="문서", es="documento", fr="document", de="Dokument", pt="documento",
                   ru="документ", ar="المستند"),
    "text item": tr(zh="文本项", ja="テキスト項目", ko="텍스트 항목", es="texto", fr="texte", de="Textelement", pt="texto",
                    ru="текст", ar="العنصر النصي"),
    "item": tr(zh="项目", ja="項目", ko="항목", es="elemento", fr="élément", de="Element", pt="item", ru="элемент",
               ar="العنصر"),
    "queries": tr(zh="条查询", ja="件のクエリ", ko="개의 쿼리", es="consultas", fr="requêtes", de="Anfragen", pt="consultas",
                  ru="запросов", ar="استعلامات"),
    "documents": tr(zh="个文档", ja="件の文書", ko="개의 문서", es="documentos", fr="documents", de="Dokumente",
                    pt="documentos", ru="документов", ar="مستندات"),
    "the query": tr(zh="查询", ja="クエリ", ko="쿼리", es="la consulta", fr="la requête", de="die Anfrage", pt="a consulta",
                    ru="запрос", ar="الاستعلام"),
    "the pair text": tr(zh="配对文本", ja="ペアのテキスト", ko="쌍의 텍스트", es="el texto del par", fr="le texte de la paire",
                        de="der Text des Paars", pt="o texto do par", ru="текст пары", ar="نص الزوج"),
    "the query instruction": tr(zh="查询指令", ja="クエリの指示文", ko="쿼리 지시문", es="la instrucción de consulta",
                                fr="la consigne de requête", de="die Anfrageanweisung", pt="a instrução da consulta",
                                ru="инструкция запроса", ar="تعليمات الاستعلام"),
    "the document instruction": tr(zh="文档指令", ja="文書の指示文", ko="문서 지시문", es="la instrucción de documentos",
                                   fr="la consigne des documents", de="die Dokumentanweisung",
                                   pt="a instrução dos documentos", ru="инструкция документов", ar="تعليمات المستندات"),
    "the reranker instruction": tr(zh="重排序指令", ja="リランカーの指示文", ko="리랭커 지시문",
                                   es="la instrucción del reordenador", fr="la consigne du reclassement",
                                   de="die Reranker-Anweisung", pt="a instrução do reordenador",
                                   ru="инструкция переранжирования", ar="تعليمات إعادة الترتيب"),
    "none given": tr(zh="未提供", ja="指定なし", ko="없음", es="no se dio ninguno", fr="aucun fourni", de="keine angegeben",
                     pt="nenhum enviado", ru="не задан", ar="لم يُعطَ شيء"),
    "nothing": tr(zh="（空）", ja="（なし）", ko="(없음)", es="(nada)", fr="(rien)", de="(nichts)", pt="(nada)", ru="(ничего)",
                  ar="(لا شيء)"),
    # --- The forms ---------------------------------------------------------------------------------
    "{what} has {count} characters; the limit is {limit}": tr(
        zh="{what}有 {count} 个字符；上限为 {limit}", ja="{what} は {count} 文字あります。上限は {limit} 文字です",
        ko="{what}의 글자 수가 {count}자입니다. 한도는 {limit}자입니다", es="{what} tiene {count} caracteres; el límite es {limit}",
        fr="{what} compte {count} caractères ; la limite est de {limit}", de="{what} hat {count} Zeichen; die Grenze ist {limit}",
        pt="{what} tem {count} caracteres; o limite é {limit}", ru="{what}: {count} символов; предел — {limit}",
        ar="{what} فيه {count} حرفًا؛ والحد {limit}"),
    "type a query, or give an image or a video": tr(
        zh="请输入查询，或提供一张图像或一段视频", ja="クエリを入力するか、画像か動画を指定してください",
        ko="쿼리를 입력하거나 이미지나 동영상을 주세요", es="escribe una consulta o da una imagen o un vídeo",
        fr="tapez une requête, ou donnez une image ou une vidéo", de="eine Anfrage eingeben oder ein Bild oder Video angeben",
        pt="digite uma consulta ou envie uma imagem ou um vídeo", ru="введите запрос или дайте изображение либо видео",
        ar="اكتب استعلامًا، أو أعطِ صورة أو فيديو"),
    "the text+image pair has text but no image": tr(
        zh="文本 + 图像对有文本但没有图像", ja="テキスト＋画像のペアにテキストはありますが画像がありません",
        ko="텍스트 + 이미지 쌍에 텍스트만 있고 이미지가 없습니다", es="el par texto + imagen tiene texto pero no imagen",
        fr="la paire texte + image a un texte mais pas d'image", de="das Text-Bild-Paar hat Text, aber kein Bild",
        pt="o par texto + imagem tem texto mas não tem imagem", ru="в паре текст + изображение есть текст, но нет изображения",
        ar="زوج النص + الصورة فيه نص بلا صورة"),
    "add at least one query: a line of text or an image": tr(
        zh="请至少添加一条查询：一行文本或一张图像", ja="クエリを 1 つ以上追加してください：テキスト 1 行か画像",
        ko="쿼리를 하나 이상 추가하세요: 텍스트 한 줄이나 이미지", es="añade al menos una consulta: una línea de texto o una imagen",
        fr="ajoutez au moins une requête : une ligne de texte ou une image",
        de="mindestens eine Anfrage hinzufügen: eine Textzeile oder ein Bild",
        pt="adicione ao menos uma consulta: uma linha de texto ou uma imagem",
        ru="добавьте хотя бы один запрос: строку текста или изображение", ar="أضف استعلامًا واحدًا على الأقل: سطر نص أو صورة"),
    "add at least one document: a line of text, an image or a video": tr(
        zh="请至少添加一个文档：一行文本、一张图像或一段视频", ja="文書を 1 つ以上追加してください：テキスト 1 行、画像、または動画",
        ko="문서를 하나 이상 추가하세요: 텍스트 한 줄, 이미지 또는 동영상",
        es="añade al menos un documento: una línea de texto, una imagen o un vídeo",
        fr="ajoutez au moins un document : une ligne de texte, une image ou une vidéo",
        de="mindestens ein Dokument hinzufügen: eine Textzeile, ein Bild oder ein Video",
        pt="adicione ao menos um documento: uma linha de texto, uma imagem ou um vídeo",
        ru="добавьте хотя бы один документ: строку текста, изображение или видео",
        ar="أضف مستندًا واحدًا على الأقل: سطر نص أو صورة أو فيديو"),
    "give one image or one video as the query, not both": tr(
        zh="查询只能是一张图像或一段视频，不能两者都给", ja="クエリには画像か動画のどちらか 1 つを指定してください（両方は不可）",
        ko="쿼리로는 이미지나 동영상 중 하나만 주세요", es="da como consulta una imagen o un vídeo, no ambos",
        fr="donnez une image ou une vidéo comme requête, pas les deux",
        de="ein Bild oder ein Video als Anfrage angeben, nicht beides", pt="envie uma imagem ou um vídeo como consulta, não ambos",
        ru="дайте в запросе изображение или видео, но не оба сразу", ar="أعطِ صورة أو فيديو واحدًا كاستعلام، لا كليهما"),
    "{name} was left out: the limit of {limit} items was reached": tr(
        zh="{name} 未被采用：已达到 {limit} 项的上限", ja="{name} は除外されました：{limit} 項目の上限に達しました",
        ko="{name}은(는) 제외되었습니다: 항목 {limit}개 한도에 도달했습니다", es="{name} se dejó fuera: se alcanzó el límite de {limit} elementos",
        fr="{name} a été laissé de côté : la limite de {limit} éléments est atteinte",
        de="{name} wurde ausgelassen: die Grenze von {limit} Elementen ist erreicht",
        pt="{name} ficou de fora: o limite de {limit} itens foi atingido", ru="{name} не взят: достигнут предел в {limit} элементов",
        ar="تُرك {name}: بلغنا حد {limit} عنصرًا"),
    "{what} contains the reserved token {token}": tr(
        zh="{what} 含有保留标记 {token}", ja="{what} に予約トークン {token} が含まれています", ko="{what}에 예약된 토큰 {token}이(가) 있습니다",
        es="{what} contiene el token reservado {token}", fr="{what} contient le jeton réservé {token}",
        de="{what} enthält das reservierte Token {token}", pt="{what} contém o token reservado {token}",
        ru="{what} содержит зарезервированный токен {token}", ar="{what} يحوي الرمز المحجوز {token}"),
    "{name}: only uploaded files and the bundled samples can be used": tr(
        zh="{name}：只能使用上传的文件和自带的示例", ja="{name}：使えるのはアップロードしたファイルと同梱のサンプルだけです",
        ko="{name}: 업로드한 파일과 포함된 샘플만 쓸 수 있습니다", es="{name}: solo se pueden usar archivos subidos y las muestras incluidas",
        fr="{name} : seuls les fichiers importés et les exemples fournis sont utilisables",
        de="{name}: nur hochgeladene Dateien und die mitgelieferten Beispiele sind erlaubt",
        pt="{name}: só arquivos enviados e as amostras incluídas podem ser usados",
        ru="{name}: можно использовать только загруженные файлы и встроенные примеры",
        ar="{name}: لا يُستخدم إلا الملفات المرفوعة والعينات المرفقة"),
    # --- The tabs ----------------------------------------------------------------------------------
    "type at least one query (one per line), or give an image": tr(
        zh="请至少输入一条查询（每行一条），或提供一张图像", ja="クエリを 1 つ以上入力するか（1 行に 1 つ）、画像を指定してください",
        ko="쿼리를 하나 이상 입력하거나(한 줄에 하나) 이미지를 주세요", es="escribe al menos una consulta (una por línea) o da una imagen",
        fr="tapez au moins une requête (une par ligne), ou donnez une image",
        de="mindestens eine Anfrage eingeben (eine pro Zeile) oder ein Bild angeben",
        pt="digite ao menos uma consulta (uma por linha) ou envie uma imagem",
        ru="введите хотя бы один запрос (по одному в строке) или дайте изображение",
        ar="اكتب استعلامًا واحدًا على الأقل (واحد في كل سطر)، أو أعطِ صورة"),
    "give a video": tr(zh="请提供一段视频", ja="動画を指定してください", ko="동영상을 주세요", es="da un vídeo",
                       fr="donnez une vidéo", de="ein Video angeben", pt="envie um vídeo", ru="дайте видео", ar="أعطِ فيديو"),
    "give a video to inspect": tr(zh="请提供要检视的视频", ja="調べる動画を指定してください", ko="검사할 동영상을 주세요",
                                  es="da un vídeo para inspeccionar", fr="donnez une vidéo à inspecter",
                                  de="ein Video zum Untersuchen angeben", pt="envie um vídeo para inspecionar",
                                  ru="дайте видео для разбора", ar="أعطِ فيديو لفحصه"),
    "give one PDF file ({name})": tr(zh="请提供一个 PDF 文件（{name}）", ja="PDF ファイルを 1 つ指定してください（{name}）",
                                     ko="PDF 파일 하나를 주세요({name})", es="da un archivo PDF ({name})",
                                     fr="donnez un fichier PDF ({name})", de="eine PDF-Datei angeben ({name})",
                                     pt="envie um arquivo PDF ({name})", ru="дайте один PDF-файл ({name})",
                                     ar="أعطِ ملف PDF واحدًا ({name})"),
    "upload a BEIR .zip or a query,relevant .csv, or run the example": tr(
        zh="请上传 BEIR .zip 或 query,relevant .csv，或运行示例", ja="BEIR の .zip か query,relevant の .csv をアップロードするか、例を実行してください",
        ko="BEIR .zip이나 query,relevant .csv를 올리거나 예시를 실행하세요", es="sube un .zip BEIR o un .csv query,relevant, o ejecuta el ejemplo",
        fr="importez un .zip BEIR ou un .csv query,relevant, ou lancez l'exemple",
        de="ein BEIR-.zip oder eine query,relevant-.csv hochladen oder das Beispiel starten",
        pt="envie um .zip BEIR ou um .csv query,relevant, ou rode o exemplo",
        ru="загрузите BEIR .zip или .csv query,relevant либо запустите пример",
        ar="ارفع ملف zip بصيغة BEIR أو ملف csv بصيغة query,relevant، أو شغّل المثال"),
    "{name}: expected a .zip (BEIR) or a .csv (query,relevant)": tr(
        zh="{name}：应为 .zip（BEIR）或 .csv（query,relevant）", ja="{name}：.zip（BEIR）か .csv（query,relevant）が必要です",
        ko="{name}: .zip(BEIR)이나 .csv(query,relevant)여야 합니다", es="{name}: se esperaba un .zip (BEIR) o un .csv (query,relevant)",
        fr="{name} : un .zip (BEIR) ou un .csv (query,relevant) est attendu",
        de="{name}: erwartet wird ein .zip (BEIR) oder eine .csv (query,relevant)",
        pt="{name}: era esperado um .zip (BEIR) ou um .csv (query,relevant)",
        ru="{name}: ожидался .zip (BEIR) или .csv (query,relevant)", ar="{name}: المتوقع ملف zip (BEIR) أو csv (query,relevant)"),
    # --- The visitor's gallery -----------------------------------------------------------------------
    "type some text to add (one item per line)": tr(
        zh="请输入要添加的文本（每行一项）", ja="追加するテキストを入力してください（1 行に 1 項目）", ko="추가할 텍스트를 입력하세요(한 줄에 항목 하나)",
        es="escribe un texto para añadir (un elemento por línea)", fr="tapez un texte à ajouter (un élément par ligne)",
        de="Text zum Hinzufügen eingeben (ein Element pro Zeile)", pt="digite um texto para adicionar (um item por linha)",
        ru="введите текст для добавления (по элементу в строке)", ar="اكتب نصًا لإضافته (عنصر واحد في كل سطر)"),
    "paste one image or video URL per line": tr(
        zh="请每行粘贴一个图像或视频的 URL", ja="画像か動画の URL を 1 行に 1 つ貼り付けてください", ko="이미지나 동영상 URL을 한 줄에 하나씩 붙여 넣으세요",
        es="pega una URL de imagen o vídeo por línea", fr="collez une URL d'image ou de vidéo par ligne",
        de="eine Bild- oder Video-URL pro Zeile einfügen", pt="cole uma URL de imagem ou vídeo por linha",
        ru="вставьте по одному URL изображения или видео в строке", ar="الصق رابط صورة أو فيديو واحدًا في كل سطر"),
    "{name} is not one of your items": tr(
        zh="{name} 不是你的项目", ja="{name} はあなたの項目ではありません", ko="{name}은(는) 내 항목이 아닙니다",
        es="{name} no es uno de tus elementos", fr="{name} n'est pas l'un de vos éléments", de="{name} ist keines Ihrer Elemente",
        pt="{name} não é um dos seus itens", ru="{name} — не ваш элемент", ar="{name} ليس من عناصرك"),
    "{name}: the gallery is full": tr(
        zh="{name}：图库已满", ja="{name}：ギャラリーがいっぱいです", ko="{name}: 갤러리가 가득 찼습니다", es="{name}: la galería está llena",
        fr="{name} : la galerie est pleine", de="{name}: die Galerie ist voll", pt="{name}: a galeria está cheia",
        ru="{name}: галерея заполнена", ar="{name}: المعرض ممتلئ"),
    "{name}: your gallery is full ({count} items)": tr(
        zh="{name}：你的图库已满（{count} 项）", ja="{name}：あなたのギャラリーはいっぱいです（{count} 項目）",
        ko="{name}: 내 갤러리가 가득 찼습니다(항목 {count}개)", es="{name}: tu galería está llena ({count} elementos)",
        fr="{name} : votre galerie est pleine ({count} éléments)", de="{name}: Ihre Galerie ist voll ({count} Elemente)",
        pt="{name}: sua galeria está cheia ({count} itens)", ru="{name}: ваша галерея заполнена ({count} элементов)",
        ar="{name}: معرضك ممتلئ ({count} عنصرًا)"),
    # --- The engine and the media ------------------------------------------------------------------
    "{count} {what} given; the limit is {limit}": tr(
        zh="给了 {count} {what}；上限为 {limit}", ja="{count} {what}が指定されました。上限は {limit} です",
        ko="{count}{what}가 주어졌습니다. 한도는 {limit}입니다", es="se dieron {count} {what}; el límite es {limit}",
        fr="{count} {what} donnés ; la limite est de {limit}", de="{count} {what} angegeben; die Grenze ist {limit}",
        pt="foram dados {count} {what}; o limite é {limit}", ru="дано {count} {what}; предел — {limit}",
        ar="أُعطي {count} {what}؛ والحد {limit}"),
    "top-k must be between 1 and {limit}, got {value}": tr(
        zh="top-k 必须在 1 到 {limit} 之间，收到的是 {value}", ja="top-k は 1 から {limit} の間で指定してください（{value} が指定されました）",
        ko="top-k는 1에서 {limit} 사이여야 합니다. 받은 값: {value}", es="top-k debe estar entre 1 y {limit}; se recibió {value}",
        fr="top-k doit être entre 1 et {limit}, reçu {value}", de="top-k muss zwischen 1 und {limit} liegen, erhalten: {value}",
        pt="top-k deve estar entre 1 e {limit}; recebido {value}", ru="top-k должно быть от 1 до {limit}, получено {value}",
        ar="يجب أن يكون top-k بين 1 و{limit}، والمعطى {value}"),
    "one document made of several files takes images and videos only": tr(
        zh="由多个文件组成的单个文档只接受图像和视频", ja="複数のファイルでできた 1 つの文書には画像と動画しか使えません",
        ko="여러 파일로 만든 하나의 문서에는 이미지와 동영상만 쓸 수 있습니다",
        es="un documento hecho de varios archivos solo admite imágenes y vídeos",
        fr="un document fait de plusieurs fichiers n'accepte que des images et des vidéos",
        de="ein Dokument aus mehreren Dateien nimmt nur Bilder und Videos",
        pt="um documento feito de vários arquivos só aceita imagens e vídeos",
        ru="документ из нескольких файлов принимает только изображения и видео",
        ar="المستند المكوّن من عدة ملفات يقبل الصور ومقاطع الفيديو فقط"),
    "one document can be made of at most {limit} files; {count} were given": tr(
        zh="一个文档最多由 {limit} 个文件组成；给了 {count} 个", ja="1 つの文書にできるファイルは最大 {limit} 個です（{count} 個指定されました）",
        ko="하나의 문서는 최대 {limit}개 파일로 만들 수 있습니다. {count}개가 주어졌습니다",
        es="un documento puede tener como máximo {limit} archivos; se dieron {count}",
        fr="un document peut compter au plus {limit} fichiers ; {count} ont été donnés",
        de="ein Dokument kann aus höchstens {limit} Dateien bestehen; {count} wurden angegeben",
        pt="um documento pode ter no máximo {limit} arquivos; foram dados {count}",
        ru="документ может состоять не более чем из {limit} файлов; дано {count}",
        ar="يمكن أن يتكوّن المستند من {limit} ملفات على الأكثر؛ وأُعطي {count}"),
    "{name}: unsupported file type {suffix}; images {images} or videos {videos}": tr(
        zh="{name}：不支持的文件类型 {suffix}；可用图像 {images} 或视频 {videos}",
        ja="{name}：対応していないファイル形式 {suffix} です。画像は {images}、動画は {videos}",
        ko="{name}: 지원하지 않는 파일 형식 {suffix}. 이미지 {images} 또는 동영상 {videos}",
        es="{name}: tipo de archivo no admitido {suffix}; imágenes {images} o vídeos {videos}",
        fr="{name} : type de fichier non pris en charge {suffix} ; images {images} ou vidéos {videos}",
        de="{name}: nicht unterstützter Dateityp {suffix}; Bilder {images} oder Videos {videos}",
        pt="{name}: tipo de arquivo não suportado {suffix}; imagens {images} ou vídeos {videos}",
        ru="{name}: неподдерживаемый тип файла {suffix}; изображения {images} или видео {videos}",
        ar="{name}: نوع ملف غير مدعوم {suffix}؛ الصور {images} أو الفيديو {videos}"),
    "file not found: {name}": tr(zh="找不到文件：{name}", ja="ファイルが見つかりません：{name}", ko="파일을 찾을 수 없습니다: {name}",
                                 es="archivo no encontrado: {name}", fr="fichier introuvable : {name}",
                                 de="Datei nicht gefunden: {name}", pt="arquivo não encontrado: {name}",
                                 ru="файл не найден: {name}", ar="الملف غير موجود: {name}"),
    "file is empty: {name}": tr(zh="文件为空：{name}", ja="ファイルが空です：{name}", ko="파일이 비어 있습니다: {name}",
                                es="el archivo está vacío: {name}", fr="le fichier est vide : {name}",
                                de="die Datei ist leer: {name}", pt="o arquivo está vazio: {name}",
                                ru="файл пуст: {name}", ar="الملف فارغ: {name}"),
    "{name} is not a readable image ({reason})": tr(
        zh="{name} 不是可读取的图像（{reason}）", ja="{name} は読み込める画像ではありません（{reason}）",
        ko="{name}은(는) 읽을 수 있는 이미지가 아닙니다({reason})", es="{name} no es una imagen legible ({reason})",
        fr="{name} n'est pas une image lisible ({reason})", de="{name} ist kein lesbares Bild ({reason})",
        pt="{name} não é uma imagem legível ({reason})", ru="{name} — не читаемое изображение ({reason})",
        ar="{name} ليس صورة قابلة للقراءة ({reason})"),
    "{name} is damaged or truncated ({reason})": tr(
        zh="{name} 已损坏或不完整（{reason}）", ja="{name} は壊れているか途中で切れています（{reason}）",
        ko="{name}이(가) 손상되었거나 잘렸습니다({reason})", es="{name} está dañado o incompleto ({reason})",
        fr="{name} est endommagé ou tronqué ({reason})", de="{name} ist beschädigt oder abgeschnitten ({reason})",
        pt="{name} está danificado ou incompleto ({reason})", ru="{name} повреждён или обрезан ({reason})",
        ar="{name} تالف أو مبتور ({reason})"),
    "{name} is not a readable video ({reason})": tr(
        zh="{name} 不是可读取的视频（{reason}）", ja="{name} は読み込める動画ではありません（{reason}）",
        ko="{name}은(는) 읽을 수 있는 동영상이 아닙니다({reason})", es="{name} no es un vídeo legible ({reason})",
        fr="{name} n'est pas une vidéo lisible ({reason})", de="{name} ist kein lesbares Video ({reason})",
        pt="{name} não é um vídeo legível ({reason})", ru="{name} — не читаемое видео ({reason})",
        ar="{name} ليس فيديو قابلًا للقراءة ({reason})"),
    "{name} has no video stream": tr(zh="{name} 没有视频流", ja="{name} には映像ストリームがありません", ko="{name}에 동영상 스트림이 없습니다",
                                     es="{name} no tiene pista de vídeo", fr="{name} n'a pas de flux vidéo",
                                     de="{name} hat keinen Videostream", pt="{name} não tem fluxo de vídeo",
                                     ru="в {name} нет видеопотока", ar="{name} بلا مسار فيديو"),
    "{name} contains no frames": tr(zh="{name} 不含任何帧", ja="{name} にはフレームがありません", ko="{name}에 프레임이 없습니다",
                                    es="{name} no contiene fotogramas", fr="{name} ne contient aucune image",
                                    de="{name} enthält keine Einzelbilder", pt="{name} não contém quadros",
                                    ru="в {name} нет кадров", ar="{name} لا يحوي أي إطار"),
    "{name} could not be decoded ({reason})": tr(
        zh="{name} 无法解码（{reason}）", ja="{name} をデコードできませんでした（{reason}）", ko="{name}을(를) 디코딩할 수 없습니다({reason})",
        es="no se pudo decodificar {name} ({reason})", fr="{name} n'a pas pu être décodé ({reason})",
        de="{name} ließ sich nicht dekodieren ({reason})", pt="não foi possível decodificar {name} ({reason})",
        ru="не удалось декодировать {name} ({reason})", ar="تعذّر فك ترميز {name} ({reason})"),
    "{name} lasts {minutes} min; the limit is {limit} min": tr(
        zh="{name} 时长 {minutes} 分钟；上限为 {limit} 分钟", ja="{name} の長さは {minutes} 分です。上限は {limit} 分です",
        ko="{name}의 길이는 {minutes}분입니다. 한도는 {limit}분입니다", es="{name} dura {minutes} min; el límite es {limit} min",
        fr="{name} dure {minutes} min ; la limite est de {limit} min", de="{name} dauert {minutes} min; die Grenze ist {limit} min",
        pt="{name} dura {minutes} min; o limite é {limit} min", ru="{name} длится {minutes} мин; предел — {limit} мин",
        ar="مدة {name} {minutes} دقيقة؛ والحد {limit} دقيقة"),
    "aspect ratio {ratio}:1 is above the {limit}:1 the model accepts": tr(
        zh="宽高比 {ratio}:1 超过了模型接受的 {limit}:1", ja="縦横比 {ratio}:1 はモデルが受け付ける {limit}:1 を超えています",
        ko="가로세로 비율 {ratio}:1은 모델이 받는 {limit}:1을 넘습니다",
        es="la relación de aspecto {ratio}:1 supera el {limit}:1 que acepta el modelo",
        fr="le rapport {ratio}:1 dépasse le {limit}:1 qu'accepte le modèle",
        de="das Seitenverhältnis {ratio}:1 liegt über den {limit}:1, die das Modell annimmt",
        pt="a proporção {ratio}:1 passa do {limit}:1 que o modelo aceita",
        ru="соотношение сторон {ratio}:1 больше допустимого моделью {limit}:1",
        ar="نسبة الأبعاد {ratio}:1 تتجاوز {limit}:1 التي يقبلها النموذج"),
    "window length must be 2 to {limit} s, got {value}": tr(
        zh="窗口长度必须在 2 到 {limit} 秒之间，收到的是 {value}", ja="区間の長さは 2〜{limit} 秒にしてください（{value} が指定されました）",
        ko="구간 길이는 2~{limit}초여야 합니다. 받은 값: {value}", es="la duración de la ventana debe ser de 2 a {limit} s; se recibió {value}",
        fr="la durée de fenêtre doit être de 2 à {limit} s, reçu {value}", de="die Fensterlänge muss 2 bis {limit} s sein, erhalten: {value}",
        pt="a duração da janela deve ser de 2 a {limit} s; recebido {value}", ru="длина окна должна быть от 2 до {limit} с, получено {value}",
        ar="يجب أن يكون طول النافذة من 2 إلى {limit} ث، والمعطى {value}"),
    "stride must be 1 to {limit} s, got {value}": tr(
        zh="步长必须在 1 到 {limit} 秒之间，收到的是 {value}", ja="ずらし幅は 1〜{limit} 秒にしてください（{value} が指定されました）",
        ko="간격은 1~{limit}초여야 합니다. 받은 값: {value}", es="el paso debe ser de 1 a {limit} s; se recibió {value}",
        fr="le pas doit être de 1 à {limit} s, reçu {value}", de="die Schrittweite muss 1 bis {limit} s sein, erhalten: {value}",
        pt="o passo deve ser de 1 a {limit} s; recebido {value}", ru="шаг должен быть от 1 до {limit} с, получено {value}",
        ar="يجب أن تكون الخطوة من 1 إلى {limit} ث، والمعطى {value}"),
    "{count} windows of {length} s every {stride} s; the limit is {limit} per request: choose a stride of at least "
    "{fits} s or a longer window": tr(
        zh="每 {stride} 秒一个 {length} 秒的窗口，共 {count} 个；每次请求上限 {limit} 个：请把步长设为至少 {fits} 秒，或加长窗口",
        ja="{stride} 秒ごとに {length} 秒の区間が {count} 個になります。1 回の上限は {limit} 個です：ずらし幅を {fits} 秒以上にするか、"
           "区間を長くしてください",
        ko="{stride}초마다 {length}초 구간이 {count}개입니다. 요청당 한도는 {limit}개입니다: 간격을 {fits}초 이상으로 하거나 구간을 늘리세요",
        es="{count} ventanas de {length} s cada {stride} s; el límite es {limit} por petición: elige un paso de al menos {fits} s "
           "o una ventana más larga",
        fr="{count} fenêtres de {length} s toutes les {stride} s ; la limite est de {limit} par requête : choisissez un pas d'au "
           "moins {fits} s ou une fenêtre plus longue",
        de="{count} Fenster zu {length} s alle {stride} s; die Grenze ist {limit} pro Anfrage: eine Schrittweite von mindestens "
           "{fits} s oder ein längeres Fenster wählen",
        pt="{count} janelas de {length} s a cada {stride} s; o limite é {limit} por pedido: escolha um passo de pelo menos {fits} s "
           "ou uma janela maior",
        ru="{count} окон по {length} с каждые {stride} с; предел — {limit} за запрос: выберите шаг не меньше {fits} с или окно "
           "длиннее",
        ar="{count} نافذة طول كل منها {length} ث كل {stride} ث؛ والحد {limit} في الطلب الواحد: اختر خطوة لا تقل عن {fits} ث أو "
           "نافذة أطول"),
    "The {what} model {name} could not be loaded: {reason}. Use 'Retry loading' in the header, or restart with --tiny "
    "to run offline.": tr(
        zh="{what}模型 {name} 无法加载：{reason}。请使用页眉中的“重新加载”，或用 --tiny 重新启动以离线运行。",
        ja="{what}モデル {name} を読み込めませんでした：{reason}。ヘッダーの「再読み込み」を使うか、--tiny で再起動するとオフラインで動きます。",
        ko="{what} 모델 {name}을(를) 불러올 수 없습니다: {reason}. 헤더의 '다시 불러오기'를 쓰거나, 오프라인으로 실행하려면 --tiny로 다시 시작하세요.",
        es="No se pudo cargar el modelo de {what} {name}: {reason}. Usa «Reintentar la carga» en la cabecera o reinicia con "
           "--tiny para trabajar sin conexión.",
        fr="Le modèle de {what} {name} n'a pas pu être chargé : {reason}. Utilisez « Relancer le chargement » en haut de la "
           "page, ou relancez avec --tiny pour travailler hors ligne.",
        de="Das {what}-Modell {name} konnte nicht geladen werden: {reason}. „Erneut laden“ oben verwenden oder mit --tiny "
           "neu starten, um offline zu arbeiten.",
        pt="Não foi possível carregar o modelo de {what} {name}: {reason}. Use “Tentar carregar de novo” no cabeçalho ou "
           "reinicie com --tiny para rodar off-line.",
        ru="Не удалось загрузить модель {what} {name}: {reason}. Нажмите «Повторить загрузку» вверху страницы или "
           "перезапустите с --tiny для работы офлайн.",
        ar="تعذّر تحميل نموذج {what} {name}: {reason}. استخدم «أعد محاولة التحميل» في أعلى الصفحة، أو أعد التشغيل مع "
           "--tiny للعمل دون اتصال."),
    "embedding": tr(zh="嵌入", ja="埋め込み", ko="임베딩", es="embedding", fr="embedding", de="Embedding", pt="embedding",
                    ru="эмбеддингов", ar="التضمين"),
    "reranker": tr(zh="重排序", ja="リランカー", ko="리랭커", es="reordenación", fr="reclassement", de="Reranker",
                   pt="reordenação", ru="переранжирования", ar="إعادة الترتيب"),
    # --- Fetching URLs -----------------------------------------------------------------------------
    "fetching URLs is turned off on this server (start it with --allow-urls)": tr(
        zh="此服务器已关闭 URL 获取（用 --allow-urls 启动可开启）", ja="このサーバーでは URL の取得がオフです（--allow-urls で起動してください）",
        ko="이 서버에서는 URL 가져오기가 꺼져 있습니다(--allow-urls로 시작하세요)",
        es="la descarga de URL está desactivada en este servidor (inícialo con --allow-urls)",
        fr="la récupération d'URL est désactivée sur ce serveur (lancez-le avec --allow-urls)",
        de="das Abrufen von URLs ist auf diesem Server aus (mit --allow-urls starten)",
        pt="buscar URLs está desativado neste servidor (inicie-o com --allow-urls)",
        ru="загрузка по URL на этом сервере выключена (запустите его с --allow-urls)",
        ar="جلب الروابط مُعطّل على هذا الخادم (شغّله مع --allow-urls)"),
    "{url} answered HTTP {code}": tr(zh="{url} 返回 HTTP {code}", ja="{url} は HTTP {code} を返しました",
                                     ko="{url}이(가) HTTP {code}로 응답했습니다", es="{url} respondió HTTP {code}",
                                     fr="{url} a répondu HTTP {code}", de="{url} antwortete mit HTTP {code}",
                                     pt="{url} respondeu HTTP {code}", ru="{url} ответил HTTP {code}",
                                     ar="أجاب {url} بـHTTP {code}"),
    "{url} took longer than {seconds} s": tr(zh="{url} 耗时超过 {seconds} 秒", ja="{url} は {seconds} 秒以上かかりました",
                                             ko="{url}이(가) {seconds}초 넘게 걸렸습니다", es="{url} tardó más de {seconds} s",
                                             fr="{url} a pris plus de {seconds} s", de="{url} brauchte länger als {seconds} s",
                                             pt="{url} levou mais de {seconds} s", ru="{url} отвечал дольше {seconds} с",
                                             ar="استغرق {url} أكثر من {seconds} ث"),
    "{url} is not an image or a video (content type {kind})": tr(
        zh="{url} 不是图像或视频（内容类型 {kind}）", ja="{url} は画像でも動画でもありません（コンテンツタイプ {kind}）",
        ko="{url}은(는) 이미지나 동영상이 아닙니다(콘텐츠 형식 {kind})", es="{url} no es una imagen ni un vídeo (tipo de contenido {kind})",
        fr="{url} n'est ni une image ni une vidéo (type de contenu {kind})", de="{url} ist weder Bild noch Video (Inhaltstyp {kind})",
        pt="{url} não é imagem nem vídeo (tipo de conteúdo {kind})", ru="{url} — не изображение и не видео (тип содержимого {kind})",
        ar="{url} ليس صورة ولا فيديو (نوع المحتوى {kind})"),
    "{url} is {size} MB; the limit is {limit} MB": tr(
        zh="{url} 大小为 {size} MB；上限为 {limit} MB", ja="{url} は {size} MB です。上限は {limit} MB です",
        ko="{url}의 크기는 {size} MB입니다. 한도는 {limit} MB입니다", es="{url} ocupa {size} MB; el límite es {limit} MB",
        fr="{url} fait {size} Mo ; la limite est de {limit} Mo", de="{url} hat {size} MB; die Grenze ist {limit} MB",
        pt="{url} tem {size} MB; o limite é {limit} MB", ru="{url} весит {size} МБ; предел — {limit} МБ",
        ar="حجم {url} {size} ميغابايت؛ والحد {limit} ميغابايت"),
    # --- Labelled sets (Evaluate) ------------------------------------------------------------------
    "{where}: unknown item {name} (not in the gallery)": tr(
        zh="{where}：未知项目 {name}（不在图库中）", ja="{where}：不明な項目 {name}（ギャラリーにありません）",
        ko="{where}: 알 수 없는 항목 {name}(갤러리에 없음)", es="{where}: elemento desconocido {name} (no está en la galería)",
        fr="{where} : élément inconnu {name} (absent de la galerie)", de="{where}: unbekanntes Element {name} (nicht in der Galerie)",
        pt="{where}: item desconhecido {name} (não está na galeria)", ru="{where}: неизвестный элемент {name} (нет в галерее)",
        ar="{where}: عنصر غير معروف {name} (ليس في المعرض)"),
    "{where}: unknown corpus id {name} (not in corpus.jsonl)": tr(
        zh="{where}：未知的语料 id {name}（不在 corpus.jsonl 中）", ja="{where}：不明なコーパス id {name}（corpus.jsonl にありません）",
        ko="{where}: 알 수 없는 코퍼스 id {name}(corpus.jsonl에 없음)", es="{where}: id de corpus desconocido {name} (no está en corpus.jsonl)",
        fr="{where} : id de corpus inconnu {name} (absent de corpus.jsonl)", de="{where}: unbekannte Korpus-ID {name} (nicht in corpus.jsonl)",
        pt="{where}: id de corpus desconhecido {name} (não está em corpus.jsonl)", ru="{where}: неизвестный id корпуса {name} (нет в corpus.jsonl)",
        ar="{where}: معرّف مدوّنة غير معروف {name} (ليس في corpus.jsonl)"),
    "{where}: unknown query id {name} (not in queries.jsonl)": tr(
        zh="{where}：未知的查询 id {name}（不在 queries.jsonl 中）", ja="{where}：不明なクエリ id {name}（queries.jsonl にありません）",
        ko="{where}: 알 수 없는 쿼리 id {name}(queries.jsonl에 없음)", es="{where}: id de consulta desconocido {name} (no está en queries.jsonl)",
        fr="{where} : id de requête inconnu {name} (absent de queries.jsonl)", de="{where}: unbekannte Anfrage-ID {name} (nicht in queries.jsonl)",
        pt="{where}: id de consulta desconhecido {name} (não está em queries.jsonl)", ru="{where}: неизвестный id запроса {name} (нет в queries.jsonl)",
        ar="{where}: معرّف استعلام غير معروف {name} (ليس في queries.jsonl)"),
    "{where}: the header must be 'query,relevant' or 'query,relevant,language'": tr(
        zh="{where}：表头必须是 'query,relevant' 或 'query,relevant,language'",
        ja="{where}：ヘッダーは 'query,relevant' か 'query,relevant,language' にしてください",
        ko="{where}: 머리글은 'query,relevant' 또는 'query,relevant,language'여야 합니다",
        es="{where}: la cabecera debe ser 'query,relevant' o 'query,relevant,language'",
        fr="{where} : l'en-tête doit être 'query,relevant' ou 'query,relevant,language'",
        de="{where}: die Kopfzeile muss 'query,relevant' oder 'query,relevant,language' sein",
        pt="{where}: o cabeçalho deve ser 'query,relevant' ou 'query,relevant,language'",
        ru="{where}: заголовок должен быть 'query,relevant' или 'query,relevant,language'",
        ar="{where}: يجب أن يكون العنوان 'query,relevant' أو 'query,relevant,language'"),
    "{where}: the query is empty": tr(zh="{where}：查询为空", ja="{where}：クエリが空です", ko="{where}: 쿼리가 비어 있습니다",
                                      es="{where}: la consulta está vacía", fr="{where} : la requête est vide",
                                      de="{where}: die Anfrage ist leer", pt="{where}: a consulta está vazia",
                                      ru="{where}: запрос пуст", ar="{where}: الاستعلام فارغ"),
    "{where}: no relevant item for query {query}": tr(
        zh="{where}：查询 {query} 没有相关项", ja="{where}：クエリ {query} に関連する項目がありません",
        ko="{where}: 쿼리 {query}에 관련 항목이 없습니다", es="{where}: ningún elemento relevante para la consulta {query}",
        fr="{where} : aucun élément pertinent pour la requête {query}", de="{where}: kein relevantes Element für die Anfrage {query}",
        pt="{where}: nenhum item relevante para a consulta {query}", ru="{where}: нет релевантных элементов для запроса {query}",
        ar="{where}: لا عنصر ذا صلة بالاستعلام {query}"),
    "{where}: duplicate query {query} (first on line {number})": tr(
        zh="{where}：重复的查询 {query}（首次出现在第 {number} 行）", ja="{where}：重複したクエリ {query}（最初は {number} 行目）",
        ko="{where}: 중복된 쿼리 {query}(처음은 {number}번째 줄)", es="{where}: consulta repetida {query} (primero en la línea {number})",
        fr="{where} : requête en double {query} (d'abord à la ligne {number})", de="{where}: doppelte Anfrage {query} (zuerst in Zeile {number})",
        pt="{where}: consulta repetida {query} (primeiro na linha {number})", ru="{where}: повтор запроса {query} (впервые в строке {number})",
        ar="{where}: استعلام مكرر {query} (أول مرة في السطر {number})"),
    "{where}: expected {limit} columns ({columns}), got {count}; quote a query that holds a comma": tr(
        zh="{where}：应为 {limit} 列（{columns}），实际为 {count} 列；含逗号的查询请加引号",
        ja="{where}：列は {limit} 列（{columns}）のはずが {count} 列あります。カンマを含むクエリは引用符で囲んでください",
        ko="{where}: 열이 {limit}개({columns})여야 하는데 {count}개입니다. 쉼표가 있는 쿼리는 따옴표로 감싸세요",
        es="{where}: se esperaban {limit} columnas ({columns}) y hay {count}; pon entre comillas una consulta con comas",
        fr="{where} : {limit} colonnes attendues ({columns}), {count} trouvées ; mettez entre guillemets une requête qui "
           "contient une virgule",
        de="{where}: {limit} Spalten erwartet ({columns}), {count} gefunden; eine Anfrage mit Komma in Anführungszeichen "
           "setzen",
        pt="{where}: esperadas {limit} colunas ({columns}), há {count}; ponha entre aspas uma consulta com vírgula",
        ru="{where}: ожидалось столбцов: {limit} ({columns}), получено {count}; запрос с запятой возьмите в кавычки",
        ar="{where}: المتوقع {limit} أعمدة ({columns}) والموجود {count}؛ ضع الاستعلام الذي فيه فاصلة بين علامتي اقتباس"),
    "{where}: score {value} is not an integer grade": tr(
        zh="{where}：分数 {value} 不是整数等级", ja="{where}：スコア {value} は整数の評価ではありません",
        ko="{where}: 점수 {value}은(는) 정수 등급이 아닙니다", es="{where}: la puntuación {value} no es un grado entero",
        fr="{where} : le score {value} n'est pas une note entière", de="{where}: der Score {value} ist keine ganzzahlige Stufe",
        pt="{where}: a pontuação {value} não é um grau inteiro", ru="{where}: оценка {value} — не целая степень релевантности",
        ar="{where}: الدرجة {value} ليست درجة صحيحة"),
    "{where}: not valid JSON ({reason})": tr(
        zh="{where}：不是有效的 JSON（{reason}）", ja="{where}：有効な JSON ではありません（{reason}）", ko="{where}: 올바른 JSON이 아닙니다({reason})",
        es="{where}: JSON no válido ({reason})", fr="{where} : JSON non valide ({reason})", de="{where}: kein gültiges JSON ({reason})",
        pt="{where}: JSON inválido ({reason})", ru="{where}: некорректный JSON ({reason})", ar="{where}: JSON غير صالح ({reason})"),
    "no corpus.jsonl found (expected at the top of the zip or of its one folder)": tr(
        zh="找不到 corpus.jsonl（应位于 zip 的顶层或其唯一文件夹中）", ja="corpus.jsonl が見つかりません（zip の最上位か、その中の 1 つのフォルダーに必要です）",
        ko="corpus.jsonl이 없습니다(zip의 최상위나 그 안의 유일한 폴더에 있어야 합니다)",
        es="no se encontró corpus.jsonl (se espera en la raíz del zip o de su única carpeta)",
        fr="corpus.jsonl introuvable (attendu à la racine du zip ou de son unique dossier)",
        de="keine corpus.jsonl gefunden (erwartet oben im Zip oder in seinem einzigen Ordner)",
        pt="corpus.jsonl não encontrado (esperado na raiz do zip ou da sua única pasta)",
        ru="corpus.jsonl не найден (ожидается в корне zip или его единственной папки)",
        ar="لم يُعثر على corpus.jsonl (المتوقع في أعلى ملف zip أو في مجلده الوحيد)"),
}

# --- Taking turns: a visitor's second long job, and a job stopped because its page closed -----------
STRINGS.update({
    "you have a long request running already ({job}; it takes turns with other visitors'); wait for it to finish, "
    "then try again": tr(
        zh="您已有一个长任务正在运行（{job}；它与其他访客轮流使用模型）；请等它完成后再试",
        ja="長いリクエストがすでに実行中です（{job}。ほかの訪問者と順番にモデルを使っています）。終わってからもう一度お試しください",
        ko="이미 실행 중인 긴 요청이 있습니다({job}, 다른 방문자와 번갈아 모델을 사용합니다). 끝난 뒤 다시 시도하세요",
        es="ya tienes una petición larga en curso ({job}; se turna con las de otros visitantes); espera a que termine y "
           "vuelve a intentarlo",
        fr="une longue demande est déjà en cours pour vous ({job} ; elle alterne avec celles des autres visiteurs) ; "
           "attendez qu'elle se termine, puis réessayez",
        de="Sie haben bereits eine lange Anfrage laufen ({job}; sie wechselt sich mit denen anderer Besucher ab); warten "
           "Sie, bis sie fertig ist, und versuchen Sie es dann erneut",
        pt="você já tem um pedido longo em andamento ({job}; ele se reveza com os de outros visitantes); espere terminar "
           "e tente de novo",
        ru="у вас уже выполняется долгий запрос ({job}; он чередуется с запросами других посетителей); дождитесь его "
           "окончания и попробуйте снова",
        ar="لديك طلب طويل قيد التشغيل بالفعل ({job}؛ يتناوب مع طلبات الزوار الآخرين)؛ انتظر حتى ينتهي ثم حاول مجددًا"),
    "an evaluation": tr(zh="一次评估", ja="評価", ko="평가", es="una evaluación", fr="une évaluation",
                        de="eine Evaluierung", pt="uma avaliação", ru="оценка", ar="تقييم"),
    "a Moments search": tr(zh="一次 Moments 搜索", ja="Moments 検索", ko="Moments 검색", es="una búsqueda de Moments",
                           fr="une recherche Moments", de="eine Moments-Suche", pt="uma busca de Moments",
                           ru="поиск Moments", ar="بحث Moments"),
    "a request of {count} inputs": tr(
        zh="一个含 {count} 项输入的请求", ja="{count} 件の入力のリクエスト", ko="입력 {count}개의 요청",
        es="una petición de {count} entradas", fr="une demande de {count} entrées", de="eine Anfrage mit {count} Eingaben",
        pt="um pedido de {count} entradas", ru="запрос из {count} входов", ar="طلب من {count} مُدخلات"),
    "a request of {count} documents": tr(
        zh="一个含 {count} 篇文档的请求", ja="{count} 件の文書のリクエスト", ko="문서 {count}개의 요청",
        es="una petición de {count} documentos", fr="une demande de {count} documents",
        de="eine Anfrage mit {count} Dokumenten", pt="um pedido de {count} documentos", ru="запрос из {count} документов",
        ar="طلب من {count} مستندات"),
    "stopped: the page that asked for this was closed": tr(
        zh="已停止：发起此请求的页面已关闭", ja="停止しました：このリクエストを出したページが閉じられました",
        ko="중지됨: 이 요청을 보낸 페이지가 닫혔습니다", es="detenido: se cerró la página que lo pidió",
        fr="arrêté : la page qui l'a demandé a été fermée", de="gestoppt: die Seite, die das angefordert hat, wurde geschlossen",
        pt="interrompido: a página que pediu isto foi fechada", ru="остановлено: страница, запросившая это, закрыта",
        ar="توقّف: أُغلقت الصفحة التي طلبت هذا"),
})

# --- Notes beside a result (a PDF's pages left out, a video sampled down, the Moments plan) ------------
STRINGS.update({
    "{name} has {count} pages; the first {limit} were taken (limit {number} pages per PDF and the request's item "
    "limit)": tr(
        zh="{name} 共 {count} 页；只取了前 {limit} 页（每个 PDF 最多 {number} 页，另受请求的项目数上限约束）",
        ja="{name} は {count} ページあります。最初の {limit} ページを使いました（PDF ごとに {number} ページまで、リクエストの項目数の上限も適用）",
        ko="{name}은(는) {count}쪽입니다. 처음 {limit}쪽을 사용했습니다(PDF당 {number}쪽, 요청의 항목 수 한도 적용)",
        es="{name} tiene {count} páginas; se tomaron las primeras {limit} (límite de {number} páginas por PDF y el límite de "
           "elementos de la petición)",
        fr="{name} compte {count} pages ; les {limit} premières ont été prises (limite de {number} pages par PDF et limite "
           "d'éléments de la demande)",
        de="{name} hat {count} Seiten; die ersten {limit} wurden genommen (Grenze {number} Seiten pro PDF und die "
           "Elementgrenze der Anfrage)",
        pt="{name} tem {count} páginas; as primeiras {limit} foram usadas (limite de {number} páginas por PDF e o limite de "
           "itens do pedido)",
        ru="в {name} {count} страниц; взяты первые {limit} (не более {number} страниц на PDF и предел элементов запроса)",
        ar="في {name} {count} صفحة؛ أُخذت أول {limit} صفحات (الحد {number} صفحة لكل PDF وحد عناصر الطلب)"),
    "{name} sampled down to {count} frames ({value} → {limit} tokens) to fit the model's {number}": tr(
        zh="{name} 已降采样到 {count} 帧（{value} → {limit} 个 token），以适应模型的 {number}",
        ja="{name} はモデルの {number} に収まるよう {count} フレームに間引きました（{value} → {limit} トークン）",
        ko="{name}을(를) 모델의 {number}에 맞도록 {count}프레임으로 줄였습니다({value} → {limit}토큰)",
        es="{name} se muestreó a {count} fotogramas ({value} → {limit} tokens) para caber en los {number} del modelo",
        fr="{name} a été réduit à {count} images ({value} → {limit} jetons) pour tenir dans les {number} du modèle",
        de="{name} auf {count} Einzelbilder reduziert ({value} → {limit} Tokens), damit es in die {number} des Modells passt",
        pt="{name} foi reduzido a {count} quadros ({value} → {limit} tokens) para caber nos {number} do modelo",
        ru="{name} прорежено до {count} кадров ({value} → {limit} токенов), чтобы уложиться в {number} модели",
        ar="خُفّض {name} إلى {count} إطارًا ({value} ← {limit} رمزًا) ليتسع لـ{number} في النموذج"),
    "Give a video (up to {minutes} min; at most {limit} windows).": tr(
        zh="请提供一段视频（最长 {minutes} 分钟；最多 {limit} 个窗口）。", ja="動画を指定してください（{minutes} 分まで、区間は最大 {limit} 個）。",
        ko="동영상을 주세요({minutes}분까지, 구간은 최대 {limit}개).", es="Da un vídeo (hasta {minutes} min; como mucho {limit} ventanas).",
        fr="Donnez une vidéo (jusqu'à {minutes} min ; {limit} fenêtres au plus).",
        de="Ein Video angeben (bis {minutes} min; höchstens {limit} Fenster).",
        pt="Envie um vídeo (até {minutes} min; no máximo {limit} janelas).", ru="Дайте видео (до {minutes} мин; не больше {limit} окон).",
        ar="أعطِ فيديو (حتى {minutes} دقيقة؛ و{limit} نافذة على الأكثر)."),
    "{name}: {clock} · {count} windows (limit {limit}){gaps} · {frames} frames decoded once · {tokens} visual tokens · "
    "{estimate}": tr(
        zh="{name}：{clock} · {count} 个窗口（上限 {limit}）{gaps} · {frames} 帧只解码一次 · {tokens} 个视觉 token · {estimate}",
        ja="{name}：{clock} · 区間 {count} 個（上限 {limit}）{gaps} · {frames} フレームを 1 回だけデコード · 視覚トークン {tokens} · {estimate}",
        ko="{name}: {clock} · 구간 {count}개(한도 {limit}){gaps} · 프레임 {frames}개를 한 번만 디코딩 · 시각 토큰 {tokens}개 · {estimate}",
        es="{name}: {clock} · {count} ventanas (límite {limit}){gaps} · {frames} fotogramas decodificados una vez · "
           "{tokens} tokens visuales · {estimate}",
        fr="{name} : {clock} · {count} fenêtres (limite {limit}){gaps} · {frames} images décodées une fois · "
           "{tokens} jetons visuels · {estimate}",
        de="{name}: {clock} · {count} Fenster (Grenze {limit}){gaps} · {frames} Einzelbilder einmal dekodiert · "
           "{tokens} visuelle Tokens · {estimate}",
        pt="{name}: {clock} · {count} janelas (limite {limit}){gaps} · {frames} quadros decodificados uma vez · "
           "{tokens} tokens visuais · {estimate}",
        ru="{name}: {clock} · окон: {count} (предел {limit}){gaps} · {frames} кадров декодируются один раз · "
           "визуальных токенов: {tokens} · {estimate}",
        ar="{name}: {clock} · {count} نافذة (الحد {limit}){gaps} · {frames} إطارًا تُفك مرة واحدة · {tokens} رمزًا بصريًا · "
           "{estimate}"),
    " with gaps between them (stride above the length)": tr(
        zh="，窗口之间有间隔（步长大于窗口长度）", ja="、区間の間にすき間あり（ずらし幅が長さより大きい）", ko=", 구간 사이에 빈틈 있음(간격이 길이보다 큼)",
        es=", con huecos entre ellas (paso mayor que la duración)", fr=", avec des trous entre elles (pas plus grand que la durée)",
        de=", mit Lücken dazwischen (Schrittweite über der Länge)", pt=", com lacunas entre elas (passo maior que a duração)",
        ru=", с промежутками (шаг больше длины)", ar="، بينها فجوات (الخطوة أكبر من الطول)"),
    "about {seconds} s on this device (measured {value} ms per visual token; windows already embedded cost nothing)": tr(
        zh="在此设备上约 {seconds} 秒（实测每个视觉 token {value} 毫秒；已嵌入的窗口不再耗时）",
        ja="このデバイスで約 {seconds} 秒（視覚トークンあたり {value} ms を実測。埋め込み済みの区間は時間がかかりません）",
        ko="이 장치에서 약 {seconds}초(시각 토큰당 {value}ms 측정, 이미 임베딩된 구간은 비용 없음)",
        es="unos {seconds} s en este equipo (medidos {value} ms por token visual; las ventanas ya calculadas no cuestan nada)",
        fr="environ {seconds} s sur cet appareil ({value} ms mesurées par jeton visuel ; les fenêtres déjà calculées ne coûtent rien)",
        de="etwa {seconds} s auf diesem Gerät (gemessen {value} ms pro visuellem Token; schon eingebettete Fenster kosten nichts)",
        pt="cerca de {seconds} s neste aparelho (medidos {value} ms por token visual; janelas já calculadas não custam nada)",
        ru="около {seconds} с на этом устройстве (измерено {value} мс на визуальный токен; уже посчитанные окна бесплатны)",
        ar="نحو {seconds} ث على هذا الجهاز (المقيس {value} م.ث لكل رمز بصري؛ النوافذ المضمّنة سابقًا بلا تكلفة)"),
    "time: measured on the first run (no window embedded yet in this process)": tr(
        zh="时间：首次运行时测量（本进程中尚未嵌入任何窗口）", ja="時間：最初の実行で測ります（このプロセスではまだ区間を埋め込んでいません）",
        ko="시간: 첫 실행에서 측정(이 프로세스에서 아직 임베딩한 구간 없음)",
        es="tiempo: se mide en la primera ejecución (aún no se calculó ninguna ventana en este proceso)",
        fr="durée : mesurée au premier lancement (aucune fenêtre calculée dans ce processus)",
        de="Zeit: wird beim ersten Lauf gemessen (noch kein Fenster in diesem Prozess eingebettet)",
        pt="tempo: medido na primeira execução (nenhuma janela calculada ainda neste processo)",
        ru="время: измерится при первом запуске (в этом процессе ещё не посчитано ни одного окна)",
        ar="الوقت: يُقاس عند أول تشغيل (لم تُضمَّن أي نافذة بعد في هذه العملية)"),
})
NUMBERS = NUMBERS | {"frames", "tokens"}
OPTIONAL = frozenset({"gaps"})  # fields that may be empty in a message
