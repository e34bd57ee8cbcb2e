"""Which language a text is in (langdetect), made repeatable and careful with short text."""

from __future__ import annotations

import logging

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

__all__ = ["detect_text_language"]

log = logging.getLogger(__name__)

DetectorFactory.seed = 0  # langdetect is random by default; the same text must give the same answer


def detect_text_language(text: str, min_chars: int = 20, min_probability: float = 0.7) -> str | None:
    """ISO 639-1 code, or None when the text is too short or too mixed to say."""
    text = " ".join(text.split())
    if len(text) < min_chars:
        return None
    try:
        best = detect_langs(text)[0]
    except LangDetectException:
        return None
    if best.prob < min_probability:
        log.debug("text language unsure (%s at %.2f): not judged", best.lang, best.prob)
        return None
    return {"zh-cn": "zh", "zh-tw": "zh"}.get(best.lang, best.lang)
