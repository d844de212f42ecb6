from desktop.core.formats.json_file import dataset_json
from desktop.core.load import load_dataset
from desktop.core.save import save_dataset
from desktop.core.synthetic import make_dataset


def test_synthetic_dataset_is_valid_and_deterministic(tmp_path):
    data = make_dataset(2000, n_places=120, seed=3)
    assert len(data.events) == 2000 and len(data.places) == 120
    assert dataset_json(data) == dataset_json(make_dataset(2000, n_places=120, seed=3))
    precisions = {e.precision.label for e in data.events}
    assert precisions == {"year", "month", "day", "minute"}
    assert any(e.end is not None for e in data.events)
    save_dataset(data, tmp_path / "big.json")
    result = load_dataset(tmp_path / "big.json")
    assert result.problems == []
    assert result.dataset.events == data.events
