"""The second floor: the models behind one contract (``base``).

In process with torch (``local``, ``vision_cache``), or served by vLLM (``vllm``); ``loader``
gives the one shared, cached instance per model and settings; ``presets`` builds checkpoints
offline (``tiny``). Only this floor imports torch, and only ``local``, ``vision_cache``, ``presets``
and the loader's device choice do.
"""
