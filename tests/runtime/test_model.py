"""The bundled model: assembled from its two packages, checked, and found again."""

from __future__ import annotations

import hashlib

import pytest

from aligner.errors import ModelError
from aligner.runtime.model import _BASE_SHA256, load_model, model_path, whole_tokenizer

pytestmark = pytest.mark.model  # every test here runs the Whisper model


def test_bundled_model_is_assembled_and_verified(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path))
    folder = model_path("base")
    files = {p.name for p in (tmp_path / "models").glob("*/*")}
    assert {"model.bin", "config.json", "tokenizer.json", "vocabulary.txt", ".verified"} <= files
    digest = hashlib.sha256()
    with open(f"{folder}/model.bin", "rb") as fh:
        while block := fh.read(1 << 22):
            digest.update(block)
    assert digest.hexdigest() == _BASE_SHA256
    assert not list(tmp_path.glob("models/*/.model.bin*"))  # no temporary left behind
    assert model_path("base") == folder  # found again, not rebuilt


def test_half_assembled_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path))
    folder = model_path("base")
    (tmp_path / "models").joinpath(folder.rsplit("/", 1)[1], ".verified").unlink()
    with open(f"{folder}/model.bin", "r+b") as fh:
        fh.truncate(1000)  # as if a run was killed mid-copy in an older version
    assert model_path("base") == folder
    with open(f"{folder}/model.bin", "rb") as fh:
        assert len(fh.read()) > 100_000_000


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="no such model folder"):
        model_path(str(tmp_path / "nothing" / "here"))


def _bpe(merges: list[tuple[str, str]]):
    from tokenizers import Tokenizer
    from tokenizers.models import BPE

    vocab = {"a": 0, "b": 1, "c": 2, "ab": 3, "abc": 4, "bc": 5}
    return Tokenizer(BPE(vocab, merges))


def test_a_merge_the_vocabulary_needs_is_put_back_first():
    broken = _bpe([("ab", "c"), ("b", "c")])  # "ab" (id 3) is in the vocabulary, no merge makes it
    assert broken.encode("abc").tokens == ["a", "bc"]
    fixed = whole_tokenizer(broken)
    assert fixed.encode("abc").tokens == ["abc"]
    assert fixed.encode("bc").tokens == ["bc"]


def test_a_whole_tokenizer_is_left_as_it_is():
    whole = _bpe([("a", "b"), ("ab", "c"), ("b", "c")])
    assert whole_tokenizer(whole) is whole


def test_the_bundled_tokenizer_spells_words_as_whisper_learnt_them():
    # Its tokenizer.json lacks the first merge, "Ġ t": " the" came out as " " + "the".
    tokenizer = load_model().hf_tokenizer
    for word in (" the", " to", " that", " their"):
        assert len(tokenizer.encode(word, add_special_tokens=False).ids) == 1, word


def test_intel_kernels_follow_the_cpus_instructions():
    from aligner.runtime.model import intel_kernels

    assert intel_kernels("flags : fpu sse avx2 avx512f avx512bw") == {"CT2_USE_MKL": "1", "CT2_FORCE_CPU_ISA": "AVX512"}
    assert intel_kernels("flags : fpu sse avx avx2 fma")["CT2_FORCE_CPU_ISA"] == "AVX2"
