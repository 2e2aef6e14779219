"""The simulator's own hand-written material: reports, hotline speech, procedures, sensors.

Independent of the classifier's training corpus on purpose: traffic that
only repeated the training texts would flatter the classifier.
"""

from __future__ import annotations

from ingest.simulator.data.reports_city import REPORTS as _CITY_REPORTS
from ingest.simulator.data.reports_people import REPORTS as _PEOPLE_REPORTS

#: Base field-report texts per department code: ``(text, urgent)``.
REPORTS: dict[str, tuple[tuple[str, bool], ...]] = {**_CITY_REPORTS, **_PEOPLE_REPORTS}

#: How often citizens write about each department (relative weights).
DEPARTMENT_WEIGHTS: dict[str, int] = {
    "do_thi": 18, "moi_truong": 14, "an_ninh": 12, "giao_thong": 10, "dien": 8, "cap_nuoc": 8,
    "hanh_chinh": 7, "y_te": 6, "xa_hoi": 5, "van_hoa": 5, "giao_duc": 4, "pccc": 3,
}
