"""What the memory policy (``core/memory_policy.py``) writes in English: why a model runs in its
precision (the header pill's ⓘ, About's dtype column), the memory it checked before loading, and
the refusal of a load that does not fit, with its ways out. They are messages: translated at the
ui boundary by ``strings.translate_message``, each value in turn (a reason inside a reason, each
way out of the list). Option names (``--dtype exact``), dtypes, model names and numbers stay as
they are in every language."""

from __future__ import annotations

from .locales import tr

NUMBERS = frozenset({"need", "free", "parameters", "size"})  # fields that match numbers only
VERBATIM = frozenset({"precision", "model", "dtype", "native"})  # values shown as they are: names, not words
LISTS = frozenset({"ways"})  # values that are a list of messages joined by LIST_SEPARATOR
LIST_SEPARATOR = "; "
LIST_SEPARATORS = {"en": LIST_SEPARATOR, **tr(zh="；", ja="／", ko="; ", es="; ", fr=" ; ", de="; ", pt="; ",
                                                ru="; ", ar="؛ ")}

STRINGS = {
    # --- Why a model runs in its precision (memory_policy.requested_precision, then plan_load) --------
    "exact": tr(zh="精确", ja="厳密", ko="정확", es="exacto", fr="calcul exact", de="exakt", pt="exato", ru="точный",
                ar="دقيق"),
    "exact (the Python API's default)": tr(
        zh="精确（Python API 的默认设置）", ja="厳密（Python API の既定）", ko="정확(Python API의 기본값)",
        es="exacto (el valor predeterminado de la API de Python)", fr="calcul exact (le choix par défaut de l'API Python)",
        de="exakt (die Voreinstellung der Python-API)", pt="exato (o padrão da API Python)",
        ru="точный (по умолчанию в Python API)", ar="دقيق (الافتراضي في واجهة Python البرمجية)"),
    "this CPU has {native}": tr(
        zh="此 CPU 支持 {native}", ja="この CPU は {native} に対応", ko="이 CPU는 {native} 지원", es="esta CPU tiene {native}",
        fr="ce CPU prend en charge {native}", de="diese CPU hat {native}", pt="esta CPU tem {native}",
        ru="у этого CPU есть {native}", ar="هذا المعالج يدعم {native}"),
    "this CPU has no native bfloat16": tr(
        zh="此 CPU 不原生支持 bfloat16", ja="この CPU は bfloat16 にネイティブ対応していない",
        ko="이 CPU는 bfloat16을 네이티브로 지원하지 않음", es="esta CPU no tiene bfloat16 nativo",
        fr="ce CPU n'a pas de bfloat16 natif", de="diese CPU hat kein natives bfloat16", pt="esta CPU não tem bfloat16 nativo",
        ru="у этого CPU нет нативного bfloat16", ar="هذا المعالج لا يدعم bfloat16 أصليًا"),
    "as asked": tr(zh="按要求", ja="指定どおり", ko="요청대로", es="según lo pedido", fr="comme demandé", de="wie verlangt",
                   pt="conforme pedido", ru="как запрошено", ar="كما طُلب"),
    "{why}; float32, as the checkpoint holds {dtype} weights": tr(
        zh="{why}；使用 float32，因为检查点中是 {dtype} 权重", ja="{why}、チェックポイントの重みが {dtype} のため float32",
        ko="{why}; 체크포인트에 {dtype} 가중치가 들어 있어 float32 사용",
        es="{why}; float32, porque el checkpoint guarda pesos {dtype}",
        fr="{why} ; float32, car le checkpoint contient des poids {dtype}",
        de="{why}; float32, da der Checkpoint {dtype}-Gewichte enthält", pt="{why}; float32, pois o checkpoint guarda pesos {dtype}",
        ru="{why}; float32, так как в чекпоинте веса {dtype}", ar="{why}؛ float32 لأن نقطة الحفظ تحوي أوزان {dtype}"),
    "{why}; float32, as the checkpoint could not be read": tr(
        zh="{why}；使用 float32，因为无法读取检查点", ja="{why}、チェックポイントを読めなかったため float32",
        ko="{why}; 체크포인트를 읽을 수 없어 float32 사용", es="{why}; float32, porque no se pudo leer el checkpoint",
        fr="{why} ; float32, car le checkpoint n'a pas pu être lu",
        de="{why}; float32, da der Checkpoint nicht gelesen werden konnte",
        pt="{why}; float32, pois não foi possível ler o checkpoint", ru="{why}; float32, так как чекпоинт не удалось прочитать",
        ar="{why}؛ float32 لأن قراءة نقطة الحفظ تعذّرت"),
    "{why}: the checkpoint's {dtype} weights kept, multiplied in float32 (float32's exact results)": tr(
        zh="{why}：保留检查点的 {dtype} 权重，以 float32 做乘法（结果与 float32 完全相同）",
        ja="{why}：チェックポイントの {dtype} の重みをそのまま使い、float32 で乗算（float32 と厳密に同じ結果）",
        ko="{why}: 체크포인트의 {dtype} 가중치를 그대로 두고 float32로 곱셈(float32와 정확히 같은 결과)",
        es="{why}: se conservan los pesos {dtype} del checkpoint y se multiplica en float32 (los resultados exactos de "
           "float32)",
        fr="{why} : les poids {dtype} du checkpoint sont gardés, les produits calculés en float32 (les résultats exacts "
           "de float32)",
        de="{why}: die {dtype}-Gewichte des Checkpoints bleiben, multipliziert wird in float32 (die exakten Ergebnisse "
           "von float32)",
        pt="{why}: os pesos {dtype} do checkpoint são mantidos e multiplicados em float32 (os resultados exatos do "
           "float32)",
        ru="{why}: веса чекпоинта остаются в {dtype}, умножение — в float32 (результаты в точности как у float32)",
        ar="{why}: تبقى أوزان نقطة الحفظ بصيغة {dtype} ويجري الضرب بدقة float32 (نتائج float32 نفسها تمامًا)"),
    "fast mode, {why}: int8 linear layers, {drift}": tr(
        zh="快速模式，{why}：int8 线性层，{drift}", ja="高速モード、{why}：int8 の線形層、{drift}",
        ko="고속 모드, {why}: int8 선형 레이어, {drift}", es="modo rápido, {why}: capas lineales en int8, {drift}",
        fr="mode rapide, {why} : couches linéaires en int8, {drift}", de="Schnellmodus, {why}: lineare Schichten in int8, {drift}",
        pt="modo rápido, {why}: camadas lineares em int8, {drift}", ru="быстрый режим, {why}: линейные слои в int8, {drift}",
        ar="الوضع السريع، {why}: طبقات خطية بدقة int8، {drift}"),
    # memory_policy.INT8_DRIFT
    "approximate: vectors depart from float32's (see About)": tr(
        zh="近似：向量与 float32 的结果有偏差（见“关于”）", ja="近似：ベクトルは float32 からずれる（「概要」を参照）",
        ko="근사: 벡터가 float32와 다름('정보' 참고)", es="aproximado: los vectores se apartan de los de float32 (ver «Acerca de»)",
        fr="approché : les vecteurs s'écartent de ceux de float32 (voir « À propos »)",
        de="angenähert: die Vektoren weichen von float32 ab (siehe „Über“)",
        pt="aproximado: os vetores se afastam dos do float32 (veja “Sobre”)",
        ru="приближённо: векторы отличаются от float32 (см. «О приложении»)",
        ar="تقريبي: تحيد المتجهات عن متجهات float32 (انظر «حول»)"),
    # --- The memory checked before loading (LoadPlan.memory_text) ------------------------------------
    "needs {need} GiB, {free} GiB free before loading": tr(
        zh="需要 {need} GiB，加载前可用 {free} GiB", ja="必要 {need} GiB、読み込み前の空き {free} GiB",
        ko="필요 {need} GiB, 불러오기 전 여유 {free} GiB", es="necesita {need} GiB; había {free} GiB libres antes de cargar",
        fr="il faut {need} GiB ; {free} GiB libres avant le chargement", de="braucht {need} GiB, {free} GiB frei vor dem Laden",
        pt="precisa de {need} GiB; {free} GiB livres antes de carregar", ru="нужно {need} GiB, до загрузки свободно {free} GiB",
        ar="يحتاج {need} GiB، والمتاح قبل التحميل {free} GiB"),
    # --- A load that does not fit (memory_policy.refusal) ----------------------------------------------
    "the {kind} model {model} was not loaded: in {precision} it needs about {need} GiB ({parameters} B parameters "
    "plus working memory) and {free} GiB are free; loading it would risk the system's out-of-memory killer. Ways "
    "out: {ways}": tr(
        zh="{kind}模型 {model} 未加载：以 {precision} 加载约需 {need} GiB（{parameters}B 参数加上工作内存），而可用的只有 "
           "{free} GiB；加载它可能让系统因内存不足而强行终止进程（OOM）。解决办法：{ways}",
        ja="{kind}モデル {model} は読み込みませんでした：{precision} では約 {need} GiB 必要ですが（{parameters}B パラメーターと"
           "作業用メモリー）、空きは {free} GiB です。読み込むと、メモリー不足でシステムがプロセスを強制終了する（OOM）"
           "おそれがあります。対処法：{ways}",
        ko="{kind} 모델 {model}을(를) 불러오지 않았습니다: {precision}에서는 약 {need} GiB가 필요한데(파라미터 {parameters}B와 "
           "작업 메모리) 여유 메모리는 {free} GiB입니다. 불러오면 메모리 부족으로 시스템이 프로세스를 강제 종료(OOM)할 위험이 "
           "있습니다. 해결 방법: {ways}",
        es="el modelo de {kind} {model} no se cargó: en {precision} necesita unos {need} GiB ({parameters} mil millones de "
           "parámetros más la memoria de trabajo) y hay {free} GiB libres; cargarlo podría hacer que el sistema mate "
           "procesos por falta de memoria (el OOM killer). Soluciones: {ways}",
        fr="le modèle {model} ({kind}) n'a pas été chargé : en {precision}, il lui faut environ {need} GiB ({parameters} "
           "milliards de paramètres plus la mémoire de travail) et {free} GiB sont libres ; le charger risquerait de "
           "déclencher l'OOM killer du système (qui tue des processus faute de mémoire). Solutions : {ways}",
        de="das {kind}-Modell {model} wurde nicht geladen: in {precision} braucht es etwa {need} GiB ({parameters} Mrd. "
           "Parameter plus Arbeitsspeicher), frei sind {free} GiB; es zu laden, könnte den OOM-Killer des Systems "
           "auslösen (der bei Speichermangel Prozesse beendet). Auswege: {ways}",
        pt="o modelo de {kind} {model} não foi carregado: em {precision} ele precisa de cerca de {need} GiB ({parameters} "
           "bilhões de parâmetros mais a memória de trabalho) e há {free} GiB livres; carregá-lo poderia fazer o sistema "
           "encerrar processos por falta de memória (o OOM killer). Saídas: {ways}",
        ru="модель {kind} {model} не загружена: в {precision} ей нужно около {need} GiB ({parameters} млрд параметров плюс "
           "рабочая память), а свободно {free} GiB; при загрузке система может принудительно завершать процессы из-за "
           "нехватки памяти (OOM). Что можно сделать: {ways}",
        ar="لم يُحمَّل نموذج {kind} {model}: يحتاج بدقة {precision} إلى نحو {need} GiB ({parameters} مليار معامل إضافةً إلى "
           "ذاكرة العمل) والمتاح {free} GiB؛ وقد يدفع تحميله النظام إلى إنهاء العمليات قسرًا لنفاد الذاكرة (OOM). "
           "الحلول: {ways}"),
    # Its ways out (memory_policy.WAYS_OUT with the memory each needs, then the two always given)
    "--dtype exact (16-bit weights, float32's exact results): {size} GiB": tr(
        zh="--dtype exact（16 位权重，结果与 float32 完全相同）：需 {size} GiB",
        ja="--dtype exact（16 ビットの重み、float32 と厳密に同じ結果）：{size} GiB 必要",
        ko="--dtype exact(16비트 가중치, float32와 정확히 같은 결과): {size} GiB 필요",
        es="--dtype exact (pesos de 16 bits, los resultados exactos de float32): necesita {size} GiB",
        fr="--dtype exact (poids sur 16 bits, les résultats exacts de float32) : {size} GiB nécessaires",
        de="--dtype exact (16-Bit-Gewichte, die exakten Ergebnisse von float32): braucht {size} GiB",
        pt="--dtype exact (pesos de 16 bits, os resultados exatos do float32): precisa de {size} GiB",
        ru="--dtype exact (16-битные веса, результаты в точности как у float32): нужно {size} GiB",
        ar="--dtype exact (أوزان 16 بت، ونتائج float32 نفسها تمامًا): يحتاج {size} GiB"),
    "--dtype bfloat16: {size} GiB": tr(
        zh="--dtype bfloat16：需 {size} GiB", ja="--dtype bfloat16：{size} GiB 必要", ko="--dtype bfloat16: {size} GiB 필요",
        es="--dtype bfloat16: necesita {size} GiB", fr="--dtype bfloat16 : {size} GiB nécessaires",
        de="--dtype bfloat16: braucht {size} GiB", pt="--dtype bfloat16: precisa de {size} GiB",
        ru="--dtype bfloat16: нужно {size} GiB", ar="--dtype bfloat16: يحتاج {size} GiB"),
    "--dtype int8 (fast mode, approximate vectors): {size} GiB": tr(
        zh="--dtype int8（快速模式，向量为近似值）：需 {size} GiB", ja="--dtype int8（高速モード、ベクトルは近似）：{size} GiB 必要",
        ko="--dtype int8(고속 모드, 근사 벡터): {size} GiB 필요",
        es="--dtype int8 (modo rápido, vectores aproximados): necesita {size} GiB",
        fr="--dtype int8 (mode rapide, vecteurs approchés) : {size} GiB nécessaires",
        de="--dtype int8 (Schnellmodus, angenäherte Vektoren): braucht {size} GiB",
        pt="--dtype int8 (modo rápido, vetores aproximados): precisa de {size} GiB",
        ru="--dtype int8 (быстрый режим, приближённые векторы): нужно {size} GiB",
        ar="--dtype int8 (الوضع السريع، متجهات تقريبية): يحتاج {size} GiB"),
    "close other programs (or the other model's process) and press Retry loading": tr(
        zh="关闭其他程序（或另一个模型的进程），然后点击“重新加载”",
        ja="ほかのプログラム（またはもう一方のモデルのプロセス）を閉じて「再読み込み」を押す",
        ko="다른 프로그램(또는 다른 모델의 프로세스)을 닫고 '다시 불러오기' 누르기",
        es="cierra otros programas (o el proceso del otro modelo) y pulsa «Reintentar la carga»",
        fr="fermez d'autres programmes (ou le processus de l'autre modèle) et appuyez sur « Relancer le chargement »",
        de="andere Programme (oder den Prozess des anderen Modells) schließen und „Erneut laden“ drücken",
        pt="feche outros programas (ou o processo do outro modelo) e clique em “Tentar carregar de novo”",
        ru="закройте другие программы (или процесс другой модели) и нажмите «Повторить загрузку»",
        ar="أغلق برامج أخرى (أو عملية النموذج الآخر) ثم اضغط «أعد محاولة التحميل»"),
    "a smaller model (Qwen/Qwen3-VL-Embedding-2B and -Reranker-2B)": tr(
        zh="换用更小的模型（Qwen/Qwen3-VL-Embedding-2B 和 -Reranker-2B）",
        ja="より小さいモデル（Qwen/Qwen3-VL-Embedding-2B と -Reranker-2B）",
        ko="더 작은 모델(Qwen/Qwen3-VL-Embedding-2B와 -Reranker-2B)",
        es="un modelo más pequeño (Qwen/Qwen3-VL-Embedding-2B y -Reranker-2B)",
        fr="un modèle plus petit (Qwen/Qwen3-VL-Embedding-2B et -Reranker-2B)",
        de="ein kleineres Modell (Qwen/Qwen3-VL-Embedding-2B und -Reranker-2B)",
        pt="um modelo menor (Qwen/Qwen3-VL-Embedding-2B e -Reranker-2B)",
        ru="модель поменьше (Qwen/Qwen3-VL-Embedding-2B и -Reranker-2B)",
        # each name isolated left to right (LRI … PDI): inside Arabic the parentheses and "و" keep their places
        ar="نموذج أصغر (\u2066Qwen/Qwen3-VL-Embedding-2B\u2069 و\u2066Qwen/Qwen3-VL-Reranker-2B\u2069)"),
}
