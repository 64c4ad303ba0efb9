"""The readiness score as a pure function: weights, applicability and the five Monev
categories at their boundaries (DOMAIN.md 16)."""

from __future__ import annotations

import pytest
from requests_service.readiness.scoring import (
    ITEMS,
    SPECS,
    Category,
    ItemKey,
    Outcome,
    band_of,
    category_of,
    mean_score,
    one_decimal,
    score,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.0, Category.TIDAK_INFORMATIF),
        (39.9, Category.TIDAK_INFORMATIF),
        (40.0, Category.KURANG_INFORMATIF),
        (59.9, Category.KURANG_INFORMATIF),
        (60.0, Category.CUKUP_INFORMATIF),
        (79.9, Category.CUKUP_INFORMATIF),
        (80.0, Category.MENUJU_INFORMATIF),
        (89.9, Category.MENUJU_INFORMATIF),
        (90.0, Category.INFORMATIF),
        (100.0, Category.INFORMATIF),
        # Rounded half up to one decimal first, as the KI reports scores.
        (39.94, Category.TIDAK_INFORMATIF),
        (39.95, Category.KURANG_INFORMATIF),
        (89.95, Category.INFORMATIF),
    ],
)
def test_categories_at_their_boundaries(value: float, expected: Category) -> None:
    assert category_of(value) is expected


def test_band_labels_and_range() -> None:
    assert band_of(85.0).label == "Menuju Informatif"
    assert band_of(10.0).label == "Tidak Informatif"
    with pytest.raises(ValueError, match="out of range"):
        band_of(100.1)
    with pytest.raises(ValueError, match="out of range"):
        band_of(-0.1)


def test_weights_sum_to_100_and_every_item_once() -> None:
    assert sum(spec.weight for spec in ITEMS) == 100
    assert set(SPECS) == set(ItemKey)


def test_score_is_the_met_weight_over_the_applicable_weight() -> None:
    everything = [Outcome(spec.key, met=True) for spec in ITEMS]
    assert score(everything) == 100.0
    assert score([Outcome(spec.key, met=False) for spec in ITEMS]) == 0.0
    # Only the 15-point on-time item missed: 85.
    missed = [Outcome(o.key, o.key is not ItemKey.REQUESTS_ON_TIME) for o in everything]
    assert score(missed) == 85.0
    assert category_of(score(missed)) is Category.MENUJU_INFORMATIF
    # Not applicable (no request came due): left out of both sides, even if "met".
    skipped = [
        Outcome(o.key, o.key is not ItemKey.REQUESTS_ON_TIME, o.key is not ItemKey.REQUESTS_ON_TIME)
        for o in everything
    ]
    assert score(skipped) == 100.0
    # 45 of 95 applicable points: 47.368… → 47.4.
    partial = [
        Outcome(ItemKey.DIP_DECREE, True),
        Outcome(ItemKey.REQUEST_REGISTER, True),
        Outcome(ItemKey.REQUESTS_ON_TIME, True),
        Outcome(ItemKey.NO_OPEN_OVERDUE, True),
        Outcome(ItemKey.COST_STANDARD, True),
        Outcome(ItemKey.PPID_DESIGNATED, True),
        Outcome(ItemKey.OBJECTIONS_ON_TIME, False, applicable=False),
        *(
            Outcome(key, False)
            for key in (
                ItemKey.DIP_BERKALA,
                ItemKey.DIP_SETIAP_SAAT,
                ItemKey.DIP_SERTA_MERTA,
                ItemKey.NO_STALE_BERKALA,
                ItemKey.UPDATED_RECENTLY,
                ItemKey.SERVICE_HOURS,
            )
        ),
    ]
    assert score(partial) == 47.4
    assert score([]) == 0.0
    assert score([Outcome(ItemKey.OBJECTIONS_ON_TIME, True, applicable=False)]) == 0.0


def test_rounding_and_the_mean() -> None:
    assert one_decimal(47.36842) == 47.4
    assert one_decimal(31.25) == 31.3
    assert mean_score([55.0, 47.4, 31.3]) == 44.6
    assert mean_score([]) == 0.0
