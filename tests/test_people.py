"""The person records: every attribute a view of its own bytes of one record, at its own alignment."""

import numpy as np

from removalsim.engine.people import ATTRIBUTES, NEVER, RECORD, People


def test_each_attribute_has_its_own_aligned_bytes_in_the_record():
    spans = sorted((RECORD.fields[name][1], RECORD.fields[name][0].itemsize) for name in ATTRIBUTES)
    for (start, size), (next_start, _) in zip(spans, spans[1:]):
        assert start + size <= next_start  # no two attributes share a byte
    assert all(start % size == 0 for start, size in spans)  # every field at a multiple of its size
    assert RECORD.itemsize % max(size for _, size in spans) == 0  # so every record's fields are aligned too
    assert set(RECORD.names) == set(ATTRIBUTES)


def test_writing_one_attribute_leaves_the_others_and_their_starting_values_alone():
    p = People(7)
    for name, (dtype, fill) in ATTRIBUTES.items():
        assert (getattr(p, name) == fill).all(), name
        assert getattr(p, name).dtype == np.dtype(dtype) and np.shares_memory(getattr(p, name), p.records)
    for k, name in enumerate(ATTRIBUTES):  # a distinct, non-zero value per attribute
        getattr(p, name)[3] = True if ATTRIBUTES[name][0] is np.bool_ else k + 1
    for k, name in enumerate(ATTRIBUTES):
        want = True if ATTRIBUTES[name][0] is np.bool_ else k + 1
        col = getattr(p, name)
        assert col[3] == want, name
        others = np.delete(col, 3)
        assert (others == ATTRIBUTES[name][1]).all(), name
    assert p.filed_day[0] == NEVER and p.nbytes() == 7 * RECORD.itemsize
