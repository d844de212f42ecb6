/*
 * The map page's API, window.chronomap: the desktop window (over QWebChannel)
 * and the HTML export drive the map only through these calls.
 *
 * Event text is data: every title and name is set with textContent; the only
 * HTML used (event summaries) was sanitised in Python before it got here.
 */
(function () {
  "use strict";

  var map = null;
  var data = null;
  var ready = false;
  var queue = [];
  var host = null;
  var hostTold = false;
  var listeners = { placeClicked: [], select: [], visible: [], ready: [] };

  var placeById = {};
  var eventById = {};
  var markers = {}; // place id -> {marker, element, count element}
  var shapes = {}; // place id -> [L.Path] (route lines, area polygons)
  var markerLayer = null;
  var shapeLayer = null;

  var selectedEvents = [];
  var selectedPlaces = [];
  var visibleEvents = null; // null: every event is visible
  // The desktop window's page holds no events ("perPlace"): the window sends
  // the selection's places and the visible events per place, so the page is
  // as small for a million events as for twenty.
  var perPlace = false;
  var placeCounts = null; // perPlace: place id -> visible events; null: all
  var visibleTotal = null;
  var visiblePlaces = [];
  var lastClickedPlace = null;

  // Labels sit right of their markers: leave room on that side so none is cut off.
  var FLY = { duration: 0.8, maxZoom: 5, paddingTopLeft: [50, 50], paddingBottomRight: [160, 50] };

  function emit(name, value) {
    (listeners[name] || []).forEach(function (fn) {
      try {
        fn(value);
      } catch (err) {
        console.error(err);
      }
    });
  }

  function uniq(list) {
    var seen = {};
    return list.filter(function (x) {
      if (seen[x]) return false;
      seen[x] = true;
      return true;
    });
  }

  function ids(list) {
    if (list === null || list === undefined) return [];
    return Array.prototype.slice.call(list).map(String);
  }

  function eventVisible(id) {
    return visibleEvents === null || visibleEvents.hasOwnProperty(id);
  }

  // Places drawn by the page: points and route anchors get a marker,
  // routes a line, areas the basemap's own country outline.
  function markerElement(place) {
    var el = document.createElement("div");
    el.className = "cm-marker cm-kind-" + place.kind;
    el.setAttribute("data-place-id", place.id);
    var count = document.createElement("span");
    count.className = "cm-count";
    var label = document.createElement("span");
    label.className = "cm-label";
    label.textContent = place.name;
    el.appendChild(count);
    el.appendChild(label);
    el.title = place.name;
    return { element: el, count: count };
  }

  function areaFeatures(basemap, iso3) {
    var found = [];
    if (!basemap || !iso3) return found;
    basemap.eachLayer(function (layer) {
      var props = (layer.feature && layer.feature.properties) || {};
      if (props.iso3 === iso3) found.push(layer.feature);
    });
    return found;
  }

  function buildPlaces(basemap) {
    data.places.forEach(function (place) {
      placeById[place.id] = place;
      var anchor = null;
      var drawn = [];
      if (place.kind === "route" && place.points.length > 1) {
        var line = L.polyline(place.points, {
          color: "#3b3b3b",
          weight: 3,
          opacity: 0.85,
          dashArray: place.planned ? "8 6" : null,
          className: "cm-route" + (place.planned ? " cm-planned" : ""),
          interactive: true,
        });
        line.on("click", function () {
          api.onPlaceClicked(place.id);
        });
        drawn.push(line);
      }
      if (place.kind === "area") {
        var features = areaFeatures(basemap, place.iso3);
        if (features.length) {
          var area = L.geoJSON(features, {
            style: { color: "#8a5a00", weight: 1.5, fillColor: "#E69F00", fillOpacity: 0.35 },
            className: "cm-area",
            interactive: true,
          });
          area.on("click", function () {
            api.onPlaceClicked(place.id);
          });
          drawn.push(area);
          if (place.lat === null || place.lon === null) {
            anchor = area.getBounds().getCenter();
          }
        }
      }
      if (place.lat !== null && place.lon !== null) {
        anchor = L.latLng(place.lat, place.lon);
      } else if (!anchor && place.points.length) {
        anchor = halfway(place.points);
      }
      if (drawn.length) shapes[place.id] = drawn;
      if (anchor) {
        var parts = markerElement(place);
        var marker = L.marker(anchor, {
          icon: L.divIcon({ className: "cm-marker-icon", html: parts.element, iconSize: null }),
          title: place.name,
          riseOnHover: true,
          keyboard: true,
        });
        marker.on("click", function () {
          api.onPlaceClicked(place.id);
        });
        markers[place.id] = { marker: marker, element: parts.element, count: parts.count };
      }
    });
  }

  // The point half-way along a route, so its marker sits on the line and
  // clear of the towns at its vertices.
  function halfway(points) {
    var lengths = [];
    var total = 0;
    for (var i = 1; i < points.length; i++) {
      var d = L.latLng(points[i - 1]).distanceTo(L.latLng(points[i]));
      lengths.push(d);
      total += d;
    }
    var left = total / 2;
    for (var j = 0; j < lengths.length; j++) {
      if (left <= lengths[j] && lengths[j] > 0) {
        var f = left / lengths[j];
        var a = points[j];
        var b = points[j + 1];
        return L.latLng(a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f);
      }
      left -= lengths[j];
    }
    return L.latLng(points[points.length - 1]);
  }

  // Bounds covering the given places: their markers, route points and area outlines.
  function boundsOf(placeIds) {
    var bounds = L.latLngBounds([]);
    placeIds.forEach(function (pid) {
      if (markers[pid]) bounds.extend(markers[pid].marker.getLatLng());
      (shapes[pid] || []).forEach(function (shape) {
        bounds.extend(shape.getBounds());
      });
    });
    return bounds;
  }

  /* The optional online basemap: tiles over the offline one. If tiles fail
     before any has loaded (no network), drop them and say so. */
  var basemapState = "offline";
  function addTiles(tiles) {
    var layer = L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: tiles.maxZoom });
    var loaded = 0;
    var failed = 0;
    layer.on("tileload", function () {
      loaded += 1;
    });
    layer.on("tileerror", function () {
      failed += 1;
      if (loaded === 0 && failed >= 2 && map.hasLayer(layer)) {
        map.removeLayer(layer);
        basemapState = "offline-fallback";
        emit("basemapFallback", tiles.name);
        if (host && typeof host.basemapFailed === "function") host.basemapFailed(tiles.name);
      }
    });
    layer.addTo(map);
    basemapState = "online";
  }

  function flyToPlaces(placeIds, animate) {
    var bounds = boundsOf(placeIds);
    if (!bounds.isValid()) return;
    // The host may have just resized the map (a longer caption above it): fit
    // to the size it has now, not the one Leaflet last measured.
    map.invalidateSize({ pan: false });
    var options = L.extend({}, FLY, { animate: animate !== false });
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
      // One point: centre it (label padding would push it off-centre).
      if (animate === false) {
        map.setView(bounds.getCenter(), FLY.maxZoom, { animate: false });
      } else {
        map.flyTo(bounds.getCenter(), FLY.maxZoom, { duration: FLY.duration });
      }
      return;
    }
    if (animate === false) {
      map.fitBounds(bounds, options);
    } else {
      map.flyToBounds(bounds, options);
    }
  }

  function applyVisibility() {
    var counts = {};
    if (perPlace) {
      data.places.forEach(function (place) {
        counts[place.id] = placeCounts === null ? place.count : placeCounts[place.id] || 0;
      });
    } else {
      data.events.forEach(function (ev) {
        if (!eventVisible(ev.id)) return;
        uniq(ev.places).forEach(function (pid) {
          counts[pid] = (counts[pid] || 0) + 1;
        });
      });
    }
    visiblePlaces = [];
    data.places.forEach(function (place) {
      var n = counts[place.id] || 0;
      var show = n > 0;
      if (show) visiblePlaces.push(place.id);
      var m = markers[place.id];
      if (m) {
        m.count.textContent = String(n);
        if (show && !markerLayer.hasLayer(m.marker)) markerLayer.addLayer(m.marker);
        if (!show && markerLayer.hasLayer(m.marker)) markerLayer.removeLayer(m.marker);
      }
      (shapes[place.id] || []).forEach(function (shape) {
        if (show && !shapeLayer.hasLayer(shape)) shapeLayer.addLayer(shape);
        if (!show && shapeLayer.hasLayer(shape)) shapeLayer.removeLayer(shape);
      });
    });
    applySelectionStyle();
  }

  function applySelectionStyle() {
    var chosen = {};
    selectedPlaces.forEach(function (pid) {
      chosen[pid] = true;
    });
    Object.keys(markers).forEach(function (pid) {
      markers[pid].element.classList.toggle("selected", !!chosen[pid]);
    });
    Object.keys(shapes).forEach(function (pid) {
      var on = !!chosen[pid];
      shapes[pid].forEach(function (shape) {
        shape.setStyle({ weight: on ? 5 : placeById[pid].kind === "area" ? 1.5 : 3 });
        pathElements(shape).forEach(function (el) {
          el.classList.toggle("selected", on);
        });
      });
    });
  }

  // The SVG paths of a line or of every polygon in an area (none while hidden).
  function pathElements(shape) {
    var layers = shape.eachLayer ? shape.getLayers() : [shape];
    return layers
      .map(function (l) {
        return l.getElement ? l.getElement() : null;
      })
      .filter(Boolean);
  }

  // options.places: the selected events' places, which a perPlace page
  // cannot look up itself.
  function doSelect(eventIds, options) {
    options = options || {};
    var places = [];
    if (perPlace) {
      selectedEvents = uniq(ids(eventIds));
      places = ids(options.places).filter(function (pid) {
        return placeById.hasOwnProperty(pid);
      });
    } else {
      selectedEvents = uniq(ids(eventIds).filter(function (id) {
        return eventById.hasOwnProperty(id);
      }));
      selectedEvents.forEach(function (id) {
        places = places.concat(eventById[id].places.filter(function (pid) {
          return placeById.hasOwnProperty(pid);
        }));
      });
    }
    selectedPlaces = uniq(places);
    applySelectionStyle();
    if (selectedPlaces.length && options.fly !== false) {
      flyToPlaces(selectedPlaces, options.animate);
    }
    emit("select", selectedEvents.slice());
  }

  function doSetVisible(eventIds) {
    if (eventIds === null || eventIds === undefined) {
      visibleEvents = null;
    } else {
      visibleEvents = {};
      ids(eventIds).forEach(function (id) {
        visibleEvents[id] = true;
      });
    }
    applyVisibility();
    emit("visible", visibleEvents === null ? null : Object.keys(visibleEvents));
  }

  function doSetCounts(counts, total) {
    placeCounts = counts === null || counts === undefined ? null : counts;
    visibleTotal = placeCounts === null ? null : Number(total);
    applyVisibility();
    emit("visible", placeCounts);
  }

  function tellHost() {
    if (host && ready && !hostTold) {
      hostTold = true;
      if (typeof host.pageReady === "function") host.pageReady();
      reportCamera();
    }
  }

  // The host keeps the map's camera: told once the page is ready, then after every move.
  function reportCamera() {
    if (!host || !hostTold || typeof host.cameraChanged !== "function") return;
    var center = map.getCenter();
    host.cameraChanged(center.lat, center.lng, map.getZoom());
  }

  function markReady() {
    if (ready) return;
    ready = true;
    document.documentElement.dataset.ready = "1";
    var pending = queue;
    queue = [];
    pending.forEach(function (call) {
      call[0].apply(null, call[1]);
    });
    tellHost();
    emit("ready", true);
  }

  // Two animation frames after Leaflet's load, the first paint is on screen.
  // A hidden page gets no frames at all, so it settles for two timer turns.
  function afterTwoFrames(fn) {
    if (document.visibilityState === "hidden") {
      setTimeout(function () {
        setTimeout(fn, 0);
      }, 0);
      return;
    }
    requestAnimationFrame(function () {
      requestAnimationFrame(fn);
    });
  }

  // Calls made before the page is ready wait in order and run once it is.
  function whenReady(fn) {
    return function () {
      if (!ready) {
        queue.push([fn, arguments]);
        return undefined;
      }
      return fn.apply(null, arguments);
    };
  }

  var api = {
    version: 1,

    /* Called once by the page itself, right after folium created the map. */
    init: function (leafletMap, basemap, payload, initial) {
      map = leafletMap;
      data = payload;
      perPlace = !!payload.perPlace;
      data.events.forEach(function (ev) {
        eventById[ev.id] = ev;
      });
      if (map.attributionControl) {
        map.attributionControl.setPrefix(false);
        map.attributionControl.addAttribution(payload.attribution || "Natural Earth");
      }
      shapeLayer = L.featureGroup().addTo(map);
      markerLayer = L.featureGroup().addTo(map);
      buildPlaces(basemap);
      initial = initial || {};
      visibleEvents = null;
      if (initial.visible) {
        visibleEvents = {};
        ids(initial.visible).forEach(function (id) {
          visibleEvents[id] = true;
        });
      }
      if (perPlace && initial.counts) {
        placeCounts = initial.counts;
        visibleTotal = Number(initial.total);
      }
      if (initial.tiles) addTiles(initial.tiles);
      applyVisibility();
      var startPlaces = visiblePlaces;
      if (initial.select && initial.select.length) {
        doSelect(initial.select, { fly: false, places: initial.selectPlaces });
        if (selectedPlaces.length) startPlaces = selectedPlaces;
      }
      if (initial.view) {
        map.setView([initial.view[0], initial.view[1]], initial.view[2], { animate: false });
      } else if (startPlaces.length) {
        flyToPlaces(startPlaces, false);
      }
      map.on("moveend", reportCamera);
      api.attachHost();
      map.whenReady(function () {
        afterTwoFrames(markReady);
      });
    },

    /* Connect to the desktop window's QWebChannel object "host", if there is one. */
    attachHost: function () {
      if (host) return true;
      if (typeof qt === "undefined" || typeof QWebChannel === "undefined") return false;
      if (!qt.webChannelTransport) return false;
      new QWebChannel(qt.webChannelTransport, function (channel) {
        host = channel.objects.host || null;
        tellHost();
      });
      return true;
    },

    select: whenReady(doSelect),
    setVisible: whenReady(doSetVisible),
    /* perPlace pages: visible events per place ({id: n}; null: all) and in all. */
    setCounts: whenReady(doSetCounts),
    fitPlaces: whenReady(function (placeIds, animate) {
      flyToPlaces(ids(placeIds), animate);
    }),
    setView: whenReady(function (lat, lon, zoom, animate) {
      if (animate) {
        map.flyTo([lat, lon], zoom, { duration: FLY.duration });
      } else {
        map.setView([lat, lon], zoom, { animate: false });
      }
    }),

    /* Big markers and labels for a room (class "cm-presenting" on the page), or not. */
    setPresenting: function (on) {
      document.documentElement.classList.toggle("cm-presenting", !!on);
    },
    /* Show or hide the map's zoom buttons (a snapshot hides them). */
    setControls: function (on) {
      document.documentElement.classList.toggle("cm-no-controls", !on);
    },
    /* Tell the host (drawn(token)) once what the calls before this one changed is on screen. */
    whenDrawn: whenReady(function (token) {
      afterTwoFrames(function () {
        if (host && typeof host.drawn === "function") host.drawn(String(token));
      });
    }),

    onPlaceClicked: function (placeId) {
      lastClickedPlace = String(placeId);
      if (host && typeof host.placeClicked === "function") host.placeClicked(lastClickedPlace);
      emit("placeClicked", lastClickedPlace);
    },

    /* Subscribe to "placeClicked", "select", "visible" or "ready". */
    on: function (name, fn) {
      if (!listeners[name]) listeners[name] = [];
      listeners[name].push(fn);
    },

    /* Ids of the visible events held by a place, in time order (a perPlace
       page holds none: its host answers clicks). */
    eventsAt: function (placeId) {
      if (!data || perPlace) return [];
      return data.events
        .filter(function (ev) {
          return eventVisible(ev.id) && ev.places.indexOf(placeId) >= 0;
        })
        .map(function (ev) {
          return ev.id;
        });
    },

    data: function () {
      return data;
    },

    state: function () {
      var center = map ? map.getCenter() : null;
      return {
        ready: ready,
        selectedEvents: selectedEvents.slice(),
        selectedPlaces: selectedPlaces.slice(),
        visiblePlaces: visiblePlaces.slice(),
        visibleEvents: perPlace || visibleEvents === null ? null : Object.keys(visibleEvents),
        visibleCount: perPlace
          ? visibleTotal
          : visibleEvents === null
            ? null
            : Object.keys(visibleEvents).length,
        perPlace: perPlace,
        lastClickedPlace: lastClickedPlace,
        hostAttached: !!host,
        basemap: basemapState,
        center: center ? [center.lat, center.lng] : null,
        zoom: map ? map.getZoom() : null,
        pending: queue.length,
      };
    },
  };

  window.chronomap = api;
})();
