"""The optional online basemap: off by default; with no network it falls back and says so."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def test_online_basemap_falls_back_to_offline_with_no_network(window, page, qtbot, settings):
    from PySide6.QtWebEngineCore import QWebEngineUrlRequestInterceptor

    assert not window.online_action.isChecked()
    assert page("chronomap.state().basemap") == "offline"

    class NoNetwork(QWebEngineUrlRequestInterceptor):
        """Refuses every web request here, as a room with no network would."""

        def __init__(self):
            super().__init__()
            self.refused: list[str] = []

        def interceptRequest(self, info):  # noqa: N802
            url = info.requestUrl().toString()
            if url.startswith(("http:", "https:")):
                self.refused.append(url)
                info.block(True)

    no_network = NoNetwork()
    window.map.page().profile().setUrlRequestInterceptor(no_network)
    with qtbot.waitSignal(window.map.bridge.basemapFailed, timeout=30_000) as failed:
        window.online_action.setChecked(True)
    assert failed.args == ["OpenStreetMap.Mapnik"]
    assert no_network.refused and all("openstreetmap.org" in u for u in no_network.refused)
    assert page("chronomap.state().basemap") == "offline-fallback"
    assert "offline basemap is shown" in window.statusBar().currentMessage()
    assert not window.online_action.isChecked()
    assert str(settings.value("map/online")).lower() == "true"
    # The offline map is still there, markers and clusters and all.
    assert page("document.querySelectorAll('.cm-marker, .cm-cluster').length") > 5
    assert page("document.querySelectorAll('.leaflet-tile').length") == 0
