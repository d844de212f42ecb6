/*
 * The map page's API, window.chronomap: the desktop window (over QWebChannel)
 * and the HTML export drive the map only through these calls.
 *
 * Event text is data: every title and name is set with textContent; the only
 * HTML used (event summaries) was sanitised in Python before it got here.
 *
 * How a dataset of any size reads:
 * - places at the same coordinates are one marker (a "site"), its count the
 *   events of all of them;
 * - sites cluster (Leaflet.markercluster) into counted circles that split as
 *   the map zooms in; selected sites never cluster;
 * - a site's circle takes its category's colour and, when the data has a
 *   numeric measure (magnitude, fatalities), a size from its largest value;
 *   the legend says both;
 * - labels are placed where they fit, biggest sites first, the selection
 *   always; the others show on hover;
 * - places with no event shown are drawn faintly;
 * - events outside the view are counted at the edges ("+3 elsewhere").
 */
(function () {
  "use strict";

  var map = null;
  var data = null;
  var ready = false;
  var queue = [];
  var host = null;
  var hostTold = false;
  var listeners = { placeClicked: [], select: [], visible: [], ready: [], layout: [] };

  var placeById = {};
  var eventById = {};
  var sites = []; // one per marker: places at the same coordinates share one
  var siteOfPlace = {}; // place id -> site
  var siteByKey = {};
  var shapes = {}; // place id -> [L.Path] (route lines, area polygons)
  var clusterLayer = null; // the sites with events shown, clustered
  var pinnedLayer = null; // the selected sites: never clustered
  var faintLayer = null; // the sites with no event shown
  var shapeLayer = null;
  var legendControl = null;
  var elsewhereControl = null;
  var edgeBadges = null;

  var selectedEvents = [];
  var selectedPlaces = [];
  var selectedSites = {}; // site key -> true
  var visibleEvents = null; // null: every event is visible
  // The desktop window's page holds no events ("perPlace"): the window sends
  // the selection's places and the visible events per place, so the page is
  // as small for a million events as for twenty.
  var perPlace = false;
  var placeCounts = null; // perPlace: place id -> visible events; null: all
  var visibleTotal = null;
  var visiblePlaces = [];
  var lastClickedPlace = null;
  var elsewhere = { events: 0, places: 0, sides: {} };
  var layoutStats = { ms: 0, labels: 0, hidden: 0, markers: 0, clusters: 0, runs: 0 };
  var options = { legend: "full" };
  // The desktop window edits places on the map (markers drag, modes take clicks).
  var editable = false;

  // A fitted view leaves this much room (px) round the places; the selection's flight too.
  var PAD = 48;
  var FLY = { duration: 0.8, maxZoom: 5 };
  // The closest a fit goes: a town's quakes fill the map, its streets do not.
  var FIT_MAX_ZOOM = 8;
  // The whole world at the widest; streets at the closest (the basemap is countries).
  var MIN_ZOOM = 1;
  var MAX_ZOOM = 12;
  // Circles: the usual site, and the range a measure sizes them in (diameters, px).
  var SITE_SIZE = 24;
  var MEASURE_SIZES = [10, 40];
  var CLUSTER_SIZES = [30, 54];
  var LABEL_GAP = 4;
  // Sites at the same coordinates to this many decimals (about a metre) are one marker.
  var SAME_PLACE_DECIMALS = 5;
  var DEFAULT_FILL = "#24323f";
  var FAINT = { radius: 3, color: "rgba(91, 107, 122, 0.45)" };

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

  // ---- sites: one marker per distinct spot ---------------------------------

  function siteKey(place, latlng) {
    // Only points merge: a route's or an area's marker stands for that one shape.
    if (place.kind !== "point") return place.kind + ":" + place.id;
    return latlng.lat.toFixed(SAME_PLACE_DECIMALS) + "," + latlng.lng.toFixed(SAME_PLACE_DECIMALS);
  }

  function addSite(place, latlng) {
    var key = siteKey(place, latlng);
    var site = siteByKey[key];
    if (!site) {
      site = {
        key: key,
        latlng: latlng,
        places: [],
        kind: place.kind,
        count: 0,
        measure: null,
        category: "",
        marker: null,
        el: null,
        name: "",
        label: { side: null },
      };
      siteByKey[key] = site;
      sites.push(site);
    }
    site.places.push(place);
    siteOfPlace[place.id] = site;
    return site;
  }

  // What a site shows: its name (the busiest place's, "+2" for the others there),
  // the largest measure of its places and the category of its busiest place.
  function describeSites() {
    sites.forEach(function (site) {
      var main = site.places[0];
      site.places.forEach(function (p) {
        if ((p.count || 0) > (main.count || 0)) main = p;
        if (p.measure !== null && p.measure !== undefined) {
          site.measure = site.measure === null ? p.measure : Math.max(site.measure, p.measure);
        }
      });
      site.main = main;
      site.category = main.category || "";
      site.name = main.name + (site.places.length > 1 ? " +" + (site.places.length - 1) : "");
      site.title = site.places
        .map(function (p) {
          return p.name;
        })
        .join("\n");
    });
  }

  var measureRange = null; // [min, max] of the sites' measures
  function measureDiameter(value) {
    if (!measureRange || value === null || value === undefined) return MEASURE_SIZES[0];
    var lo = measureRange[0];
    var hi = measureRange[1];
    var f = hi > lo ? (value - lo) / (hi - lo) : 1;
    f = Math.max(0, Math.min(1, f));
    // Area grows with the value: the diameter with its square root.
    return Math.round(MEASURE_SIZES[0] + (MEASURE_SIZES[1] - MEASURE_SIZES[0]) * Math.sqrt(f));
  }

  function siteDiameter(site) {
    if (site.kind !== "point" || !measureRange) return SITE_SIZE;
    return measureDiameter(site.measure);
  }

  function categoryColor(category) {
    var colors = data.colors || {};
    var named = Object.keys(colors).filter(function (c) {
      return c !== "";
    });
    // One colour for all says nothing: the usual dark marker then.
    if (!named.length) return DEFAULT_FILL;
    return colors[category] || colors[""] || DEFAULT_FILL;
  }

  // The marker's element, drawn afresh each time the cluster layer adds it.
  var SiteIcon = L.DivIcon.extend({
    createIcon: function () {
      var site = this.options.site;
      var el = document.createElement("div");
      el.className = "cm-marker cm-kind-" + site.kind + " cm-marker-icon leaflet-marker-icon";
      el.setAttribute("data-place-id", site.main.id);
      el.setAttribute("data-site", site.key);
      if (site.places.length > 1) el.setAttribute("data-places", site.places.length);
      var count = document.createElement("span");
      count.className = "cm-count";
      var label = document.createElement("span");
      label.className = "cm-label";
      label.textContent = site.name;
      el.appendChild(count);
      el.appendChild(label);
      el.title = site.title;
      site.el = el;
      site.label.side = null;
      paintSite(site);
      return el;
    },
    createShadow: function () {
      return null;
    },
  });

  function paintSite(site) {
    var el = site.el;
    if (!el) return;
    var count = el.firstChild;
    var d = siteDiameter(site);
    site.diameter = d;
    var text = String(site.count);
    // A circle sized by a measure shows its count only when it holds several events.
    count.textContent = measureRange && site.kind === "point" && site.count <= 1 ? "" : text;
    if (site.kind === "point") {
      var size = Math.max(d, count.textContent.length > 2 ? 30 : d);
      site.diameter = size;
      count.style.width = size + "px";
      count.style.height = size + "px";
      count.style.left = -size / 2 + "px";
      count.style.top = -size / 2 + "px";
      count.style.lineHeight = size - 4 + "px";
      count.style.background = categoryColor(site.category);
    }
    el.classList.toggle("selected", !!selectedSites[site.key]);
  }

  // Places drawn by the page: points and route anchors get a marker,
  // routes a line, areas the basemap's own country outline.
  function areaFeatures(basemap, iso3) {
    var found = [];
    if (!basemap || !iso3) return found;
    basemap.eachLayer(function (layer) {
      var props = (layer.feature && layer.feature.properties) || {};
      if (props.iso3 === iso3) found.push(layer.feature);
    });
    return found;
  }

  // Beyond this many routes, they are drawn on one canvas: an SVG element each
  // would be re-projected and re-written one by one at every zoom.
  var MANY_ROUTES = 200;

  // The basemap goes on once the first view is set, so its countries are projected
  // and drawn once, not at a default view first and again at the dataset's (most of
  // the page's load). Its outlines go under the places' areas and routes, which
  // share its drawing surface, in their own order.
  function addBasemap(basemap) {
    if (!basemap || map.hasLayer(basemap)) return;
    basemap.addTo(map);
    var outlines = basemap.getLayers();
    for (var i = outlines.length - 1; i >= 0; i--) {
      if (outlines[i].bringToBack) outlines[i].bringToBack();
    }
  }

  function buildPlaces(basemap) {
    var routes = data.places.filter(function (p) {
      return p.kind === "route";
    }).length;
    var routeRenderer = routes > MANY_ROUTES ? L.canvas({ padding: 0.1 }) : undefined;
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
          renderer: routeRenderer,
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
      if (anchor) addSite(place, anchor);
    });
    describeSites();
    var values = sites
      .map(function (s) {
        return s.measure;
      })
      .filter(function (v) {
        return v !== null && v !== undefined && isFinite(v);
      });
    if (data.measure && values.length) {
      measureRange = [Math.min.apply(null, values), Math.max.apply(null, values)];
      // Counts of something (fatalities) start at nothing; magnitudes do not.
      if (measureRange[0] > 0 && data.measure.zero) measureRange[0] = 0;
    }
    sites.forEach(function (site) {
      site.marker = L.marker(site.latlng, {
        icon: new SiteIcon({ site: site, className: "", iconSize: null }),
        title: "",
        // Raised on hover by the style sheet: no listeners per marker.
        riseOnHover: false,
        keyboard: true,
        // In the window a point's marker is dragged to move the place; a route's or an
        // area's marker stands for its shape, which is edited otherwise.
        draggable: editable && site.kind === "point",
      });
      site.marker.cmSite = site;
      site.marker.on("click", function () {
        siteClicked(site);
      });
      if (editable && site.kind === "point") {
        site.marker.on("dragend", function () {
          markerDropped(site);
        });
      }
      site.marker.on("remove", function () {
        site.el = null;
      });
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

  // ---- clusters -------------------------------------------------------------

  // The events and places a cluster holds, summed once per change of the counts:
  // a cluster's sum is its children's, so each level reuses the one below
  // (walking every child marker for every cluster icon took seconds at 100k).
  var countsGeneration = 0;
  var onePerSite = false; // every site one place with one event: the layer's own count
  function clusterTotals(cluster) {
    if (onePerSite) return [cluster.getChildCount(), cluster.getChildCount()];
    if (cluster.cmGeneration === countsGeneration) return cluster.cmTotals;
    var events = 0;
    var places = 0;
    var add = function (m) {
      var site = m.cmSite;
      if (!site) return;
      events += site.count;
      places += site.places.length;
    };
    if (cluster._childClusters && cluster._markers) {
      cluster._childClusters.forEach(function (child) {
        var sub = clusterTotals(child);
        events += sub[0];
        places += sub[1];
      });
      cluster._markers.forEach(add);
    } else {
      cluster.getAllChildMarkers().forEach(add); // another release's insides
    }
    cluster.cmGeneration = countsGeneration;
    cluster.cmTotals = [events, places];
    return cluster.cmTotals;
  }

  function clusterIcon(cluster) {
    var totals = clusterTotals(cluster);
    var events = totals[0];
    var places = totals[1];
    var f = Math.min(1, Math.log10(Math.max(events, 1)) / 4);
    var d = Math.round(CLUSTER_SIZES[0] + (CLUSTER_SIZES[1] - CLUSTER_SIZES[0]) * f);
    var el = document.createElement("div");
    el.className = "cm-cluster";
    el.setAttribute("data-events", events);
    el.title = events + (events === 1 ? " event" : " events") + " at " + places +
      (places === 1 ? " place" : " places") + ": click to zoom in";
    var count = document.createElement("span");
    count.className = "cm-count";
    count.textContent = events >= 10000 ? Math.round(events / 1000) + "k" : String(events);
    count.style.width = d + "px";
    count.style.height = d + "px";
    count.style.left = -d / 2 + "px";
    count.style.top = -d / 2 + "px";
    count.style.lineHeight = d - 6 + "px";
    el.appendChild(count);
    return L.divIcon({ html: el, className: "cm-cluster-icon", iconSize: null });
  }

  // A briefing's few dozen places cluster only where their markers would touch:
  // its capitals stay named on the first view. Past this many, the wider radius
  // keeps each zoom to a few hundred elements.
  var FEW_PLACES = 60;

  function makeClusterLayer(placeCount) {
    var layer = L.markerClusterGroup({
      // Sites closer than this (px) cluster: room for a circle and a short label
      // each, and a few hundred elements to build per zoom at most.
      maxClusterRadius: placeCount <= FEW_PLACES ? 24 : 60,
      iconCreateFunction: clusterIcon,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      zoomToBoundsOnClick: true,
      // Splits happen at once, so labels are placed on what is really there.
      animate: false,
      removeOutsideVisibleBounds: true,
      chunkedLoading: true,
      chunkInterval: 120,
      chunkDelay: 1,
    });
    // The layer keeps markers on the map for a view three times as wide and as
    // tall as the map's (nine screens' worth of elements to build at each zoom);
    // a tenth of the view round it is room enough to pan without a gap.
    layer._getExpandedVisibleBounds = function () {
      if (!this._map) return L.latLngBounds([]);
      return this._map.getBounds().pad(0.1);
    };
    return layer;
  }

  // ---- what is shown ----------------------------------------------------------

  var clustered = {}; // site key -> true while in the cluster layer
  var pinned = {}; // site key -> true while in the pinned layer
  var fainted = {}; // site key -> true while drawn faintly
  var loading = 0; // cluster batches still being added

  // Puts each site in the layer it belongs to now: pinned (selected), clustered
  // (events shown) or faint (none); batched, the cluster layer's work is per call.
  // only: the sites whose selection changed (a click), else all of them (the counts changed).
  function placeSites(only) {
    var toCluster = [];
    var fromCluster = [];
    var toPin = [];
    var fromPin = [];
    var faintChanged = false;
    (only || sites).forEach(function (site) {
      var shown = site.count > 0;
      var pin = shown && !!selectedSites[site.key];
      var inCluster = shown && !pin;
      if (inCluster !== !!clustered[site.key]) {
        (inCluster ? toCluster : fromCluster).push(site.marker);
        clustered[site.key] = inCluster;
      }
      if (pin !== !!pinned[site.key]) {
        (pin ? toPin : fromPin).push(site.marker);
        pinned[site.key] = pin;
      }
      var faint = !shown && site.kind === "point";
      if (faint !== !!fainted[site.key]) {
        fainted[site.key] = faint;
        faintChanged = true;
      }
      if (site.el) paintSite(site);
    });
    if (fromCluster.length) clusterLayer.removeLayers(fromCluster);
    fromPin.forEach(function (m) {
      pinnedLayer.removeLayer(m);
      m.setZIndexOffset(0);
    });
    toPin.forEach(function (m) {
      // The selection above the markers round it.
      m.setZIndexOffset(1000);
      pinnedLayer.addLayer(m);
    });
    if (toCluster.length) {
      loading += 1;
      clusterLayer.options.chunkProgress = function (done, total) {
        if (done >= total) {
          loading = Math.max(0, loading - 1);
          if (!loading) scheduleLayout();
        }
      };
      clusterLayer.addLayers(toCluster);
    }
    if (faintChanged) {
      faintLayer.setSites(
        sites.filter(function (site) {
          return fainted[site.key];
        })
      );
    }
    // The clusters' sums are worked out again as their icons are redrawn: those the
    // layer redraws itself as markers come and go, and with new counts, all.
    countsGeneration += 1;
    if (!only) clusterLayer.refreshClusters();
    scheduleLayout();
  }

  /* The places with no event shown: small dots on one canvas, drawn in one loop
     after each move (a Leaflet layer per dot costs a hundred times more). */
  var FaintLayer = L.Layer.extend({
    initialize: function () {
      this._xs = new Float64Array(0);
      this._ys = new Float64Array(0);
    },
    // Each site's point at zoom 0, projected once: at any zoom it is that times 2^zoom.
    setSites: function (list) {
      var crs = L.CRS.EPSG3857;
      this._xs = new Float64Array(list.length);
      this._ys = new Float64Array(list.length);
      for (var i = 0; i < list.length; i++) {
        var p = crs.latLngToPoint(list[i].latlng, 0);
        this._xs[i] = p.x;
        this._ys[i] = p.y;
      }
      if (this._map) this._draw();
    },
    onAdd: function (m) {
      this._canvas = L.DomUtil.create("canvas", "cm-faint leaflet-zoom-hide");
      this._canvas.style.pointerEvents = "none";
      m.getPane("overlayPane").appendChild(this._canvas);
      // Once per move: a zoom ends with a moveend too.
      m.on("moveend resize", this._draw, this);
      this._draw();
    },
    onRemove: function (m) {
      m.off("moveend resize", this._draw, this);
      L.DomUtil.remove(this._canvas);
    },
    _draw: function () {
      var m = this._map;
      var size = m.getSize();
      var canvas = this._canvas;
      var ratio = window.devicePixelRatio || 1;
      L.DomUtil.setPosition(canvas, m.containerPointToLayerPoint([0, 0]));
      canvas.width = size.x * ratio;
      canvas.height = size.y * ratio;
      canvas.style.width = size.x + "px";
      canvas.style.height = size.y + "px";
      var ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      var n = this._xs.length;
      if (!n) return;
      var scale = Math.pow(2, m.getZoom());
      var origin = m.getPixelOrigin().add(m.containerPointToLayerPoint([0, 0]));
      var r = FAINT.radius;
      ctx.fillStyle = FAINT.color;
      ctx.beginPath();
      for (var i = 0; i < n; i++) {
        var x = this._xs[i] * scale - origin.x;
        var y = this._ys[i] * scale - origin.y;
        if (x < -r || y < -r || x > size.x + r || y > size.y + r) continue;
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, 2 * Math.PI);
      }
      ctx.fill();
    },
  });

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
    sites.forEach(function (site) {
      site.count = 0;
    });
    var singles = true;
    data.places.forEach(function (place) {
      var n = counts[place.id] || 0;
      var show = n > 0;
      if (show) visiblePlaces.push(place.id);
      var site = siteOfPlace[place.id];
      if (site) {
        site.count += n;
        if (n > 1 || (n && site.places.length > 1)) singles = false;
      }
      (shapes[place.id] || []).forEach(function (shape) {
        if (show && !shapeLayer.hasLayer(shape)) shapeLayer.addLayer(shape);
        if (!show && shapeLayer.hasLayer(shape)) shapeLayer.removeLayer(shape);
      });
    });
    onePerSite = singles;
    placeSites();
    applyShapeSelection();
  }

  function applyShapeSelection() {
    var chosen = {};
    selectedPlaces.forEach(function (pid) {
      chosen[pid] = true;
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

  // ---- labels: where they fit ---------------------------------------------------

  var measurer = null;
  var widths = {};
  var labelFont = "";
  var fontLook = "";
  var labelHeight = 16;

  function readLabelFont() {
    // The font the labels really have (presenting makes them bigger): read once per
    // look, since reading a style makes the browser lay out the whole page.
    var look = document.documentElement.classList.contains("cm-presenting") ? "big" : "usual";
    if (look === fontLook && labelFont) return;
    fontLook = look;
    var probe = document.createElement("div");
    probe.className = "cm-marker";
    probe.style.visibility = "hidden";
    probe.style.position = "absolute";
    var span = document.createElement("span");
    span.className = "cm-label";
    span.textContent = "Mg";
    probe.appendChild(span);
    map.getContainer().appendChild(probe);
    var style = window.getComputedStyle(span);
    var font = style.fontWeight + " " + style.fontSize + " " + style.fontFamily;
    var height = span.getBoundingClientRect().height || 16;
    probe.remove();
    if (font !== labelFont) {
      labelFont = font;
      widths = {};
    }
    labelHeight = Math.ceil(height);
  }

  function textWidth(text) {
    var w = widths[text];
    if (w === undefined) {
      if (!measurer) measurer = document.createElement("canvas").getContext("2d");
      measurer.font = labelFont;
      // Room for the text's white halo either side.
      w = Math.ceil(measurer.measureText(text).width) + 4;
      widths[text] = w;
    }
    return w;
  }

  // A grid of the boxes already taken, so each test looks at a few, not all.
  function Grid(cell) {
    this.cell = cell;
    this.cells = {};
  }
  Grid.prototype.keys = function (r) {
    var out = [];
    var c = this.cell;
    for (var x = Math.floor(r[0] / c); x <= Math.floor(r[2] / c); x++) {
      for (var y = Math.floor(r[1] / c); y <= Math.floor(r[3] / c); y++) out.push(x + ":" + y);
    }
    return out;
  };
  Grid.prototype.add = function (r) {
    var cells = this.cells;
    this.keys(r).forEach(function (k) {
      (cells[k] || (cells[k] = [])).push(r);
    });
  };
  Grid.prototype.hits = function (r, except) {
    var keys = this.keys(r);
    for (var i = 0; i < keys.length; i++) {
      var list = this.cells[keys[i]];
      if (!list) continue;
      for (var j = 0; j < list.length; j++) {
        var o = list[j];
        if (except !== undefined && o.owner === except) continue;
        if (r[0] < o[2] && o[0] < r[2] && r[1] < o[3] && o[1] < r[3]) return true;
      }
    }
    return false;
  };

  // The boxes (container pixels) the map's own controls take: the zoom buttons,
  // the legend, the attribution, and room for the counts of what is out of view.
  // Measured once per map size and look: reading a box makes the browser lay out
  // the page, which at every zoom would cost more than the labels themselves.
  var fixedBoxes = null;
  var fixedKey = "";
  var EDGE_ROOM = { north: [110, 30], south: [110, 46], east: [80, 30], west: [80, 30] };

  function controlBoxes() {
    var size = map.getSize();
    var key = size.x + "x" + size.y + ":" + fontLook;
    if (key !== fixedKey) {
      fixedKey = key;
      fixedBoxes = [];
      var container = map.getContainer();
      var origin = container.getBoundingClientRect();
      var els = container.querySelectorAll(".leaflet-control:not(.cm-elsewhere)");
      for (var i = 0; i < els.length; i++) {
        var r = els[i].getBoundingClientRect();
        if (!r.width || !r.height) continue;
        fixedBoxes.push([r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top]);
      }
    }
    var boxes = fixedBoxes.slice();
    if (elsewhere.events) {
      // "+N elsewhere" sits above the attribution, bottom right.
      boxes.push([size.x - 170, size.y - 60, size.x, size.y]);
    }
    Object.keys(EDGE_ROOM).forEach(function (side) {
      if (!elsewhere.sides[side]) return;
      var w = EDGE_ROOM[side][0];
      var h = EDGE_ROOM[side][1];
      if (side === "north") boxes.push([size.x / 2 - w / 2, 0, size.x / 2 + w / 2, h]);
      if (side === "south") boxes.push([size.x / 2 - w / 2, size.y - h, size.x / 2 + w / 2, size.y]);
      if (side === "east") boxes.push([size.x - w, size.y / 2 - h / 2, size.x, size.y / 2 + h / 2]);
      if (side === "west") boxes.push([0, size.y / 2 - h / 2, w, size.y / 2 + h / 2]);
    });
    return boxes;
  }

  var layoutPending = false;
  function scheduleLayout() {
    if (layoutPending || !map) return;
    layoutPending = true;
    // After the cluster layer has redrawn for this move (its handlers run first).
    setTimeout(function () {
      layoutPending = false;
      layoutLabels();
    }, 0);
  }

  // Where a label may go beside a circle of radius r at (x, y): right first,
  // then left, above, below.
  function spots(x, y, r, w, h) {
    var g = LABEL_GAP;
    return [
      ["right", x + r + g, y - h / 2],
      ["left", x - r - g - w, y - h / 2],
      ["above", x - w / 2, y - r - g - h],
      ["below", x - w / 2, y + r + g],
      ["above-right", x + r * 0.7, y - r * 0.7 - h],
      ["below-right", x + r * 0.7, y + r * 0.7],
      ["above-left", x - r * 0.7 - w, y - r * 0.7 - h],
      ["below-left", x - r * 0.7 - w, y + r * 0.7],
    ];
  }

  function layoutLabels() {
    if (!map || !ready) return;
    var started = performance.now();
    readLabelFont();
    var size = map.getSize();
    var onMap = [];
    var clusters = 0;
    var obstacles = new Grid(64);
    var pane = map.getPane("markerPane");
    var els = pane.querySelectorAll(".cm-marker[data-site], .cm-cluster");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var isCluster = el.classList.contains("cm-cluster");
      // A cluster's circle sits in Leaflet's icon element; a site's element is the icon.
      var pos = L.DomUtil.getPosition(isCluster ? el.parentNode : el);
      if (!pos) continue;
      var point = map.layerPointToContainerPoint(pos);
      var count = el.querySelector(".cm-count");
      var d = count ? parseFloat(count.style.width) || SITE_SIZE : SITE_SIZE;
      if (document.documentElement.classList.contains("cm-presenting")) d *= 1.6;
      var r = d / 2;
      var box = [point.x - r, point.y - r, point.x + r, point.y + r];
      if (box[2] < 0 || box[3] < 0 || box[0] > size.x || box[1] > size.y) continue;
      if (isCluster) {
        clusters += 1;
        obstacles.add(box);
        continue;
      }
      var site = siteByKey[el.getAttribute("data-site")];
      if (!site) continue;
      box.owner = site;
      obstacles.add(box);
      onMap.push({ site: site, x: point.x, y: point.y, r: r, el: el });
    }
    // The selection first, then the sites with most events (then the largest measure);
    // a route's long name after the places' names.
    onMap.sort(function (a, b) {
      var sa = selectedSites[a.site.key] ? 1 : 0;
      var sb = selectedSites[b.site.key] ? 1 : 0;
      if (sa !== sb) return sb - sa;
      var ra = a.site.kind === "route" ? 1 : 0;
      var rb = b.site.kind === "route" ? 1 : 0;
      if (ra !== rb) return ra - rb;
      if (a.site.count !== b.site.count) return b.site.count - a.site.count;
      var ma = a.site.measure === null ? -Infinity : a.site.measure;
      var mb = b.site.measure === null ? -Infinity : b.site.measure;
      if (ma !== mb) return mb - ma;
      return a.site.name < b.site.name ? -1 : a.site.name > b.site.name ? 1 : 0;
    });
    var taken = new Grid(64);
    // Nothing under the map's own controls: legend, zoom buttons, counts at the edges.
    updateElsewhere();
    controlBoxes().forEach(function (box) {
      taken.add(box);
    });
    var shown = 0;
    var hidden = 0;
    var h = labelHeight;
    onMap.forEach(function (m) {
      var site = m.site;
      var chosen = null;
      var w = textWidth(site.name);
      var selected = !!selectedSites[site.key];
      var candidates = spots(m.x, m.y, m.r, w, h);
      for (var k = 0; k < candidates.length && !chosen; k++) {
        var c = candidates[k];
        var rect = [c[1], c[2], c[1] + w, c[2] + h];
        var inside = rect[0] >= 0 && rect[1] >= 0 && rect[2] <= size.x && rect[3] <= size.y;
        if (!inside && !selected) continue;
        if (taken.hits(rect)) continue;
        // Over another circle only when nothing else fits the selection.
        if (!selected && obstacles.hits(rect, site)) continue;
        chosen = [c[0], rect];
      }
      if (!chosen && selected) {
        for (var q = 0; q < candidates.length && !chosen; q++) {
          var cq = candidates[q];
          var rq = [cq[1], cq[2], cq[1] + w, cq[2] + h];
          if (!taken.hits(rq)) chosen = [cq[0], rq];
        }
      }
      var label = m.el.lastChild;
      if (chosen) {
        taken.add(chosen[1]);
        shown += 1;
        var left = chosen[1][0] - m.x;
        var top = chosen[1][1] - m.y;
        if (site.label.side !== chosen[0] || site.label.left !== left || site.label.top !== top) {
          label.style.left = left + "px";
          label.style.top = top + "px";
          label.style.right = "auto";
          site.label = { side: chosen[0], left: left, top: top };
        }
        m.el.classList.remove("cm-label-hidden");
        m.el.setAttribute("data-label", chosen[0]);
      } else {
        hidden += 1;
        // Shown on hover, right of the circle.
        label.style.left = m.r + LABEL_GAP + "px";
        label.style.top = -h / 2 + "px";
        label.style.right = "auto";
        site.label = { side: null };
        m.el.classList.add("cm-label-hidden");
        m.el.removeAttribute("data-label");
      }
    });
    layoutStats = {
      ms: performance.now() - started,
      labels: shown,
      hidden: hidden,
      markers: onMap.length,
      clusters: clusters,
      runs: layoutStats.runs + 1,
    };
    emit("layout", layoutStats);
  }

  // ---- events outside the view ------------------------------------------------

  function updateElsewhere() {
    if (!elsewhereControl) return;
    var bounds = map.getBounds();
    var center = map.getCenter();
    var sides = { north: 0, south: 0, east: 0, west: 0 };
    var events = 0;
    var places = 0;
    sites.forEach(function (site) {
      if (site.count <= 0 || bounds.contains(site.latlng)) return;
      events += site.count;
      places += 1;
      var dy = site.latlng.lat - center.lat;
      var dx = site.latlng.lng - center.lng;
      var south = bounds.getSouth();
      var north = bounds.getNorth();
      var west = bounds.getWest();
      var east = bounds.getEast();
      // The side it is beyond by most, measured in the view's own sizes.
      var outY = dy > 0 ? (site.latlng.lat - north) / (north - south) : (south - site.latlng.lat) / (north - south);
      var outX = dx > 0 ? (site.latlng.lng - east) / (east - west) : (west - site.latlng.lng) / (east - west);
      if (outY >= outX) sides[dy > 0 ? "north" : "south"] += site.count;
      else sides[dx > 0 ? "east" : "west"] += site.count;
    });
    elsewhere = { events: events, places: places, sides: sides };
    var box = elsewhereControl.getContainer();
    box.style.display = events ? "" : "none";
    box.textContent = "+" + events.toLocaleString("en") + " elsewhere";
    box.title =
      events + (events === 1 ? " event" : " events") + " at " + places + (places === 1 ? " place" : " places") +
      " outside this view: click to show them all";
    Object.keys(edgeBadges).forEach(function (side) {
      var badge = edgeBadges[side];
      var n = sides[side];
      badge.style.display = n ? "" : "none";
      badge.textContent = ARROWS[side] + " " + n.toLocaleString("en");
      badge.title = n + (n === 1 ? " event" : " events") + " beyond this edge: click to show them all";
    });
  }

  var ARROWS = { north: "▲", south: "▼", east: "▶", west: "◀" };

  function showEverything() {
    var bounds = L.latLngBounds([]);
    sites.forEach(function (site) {
      if (site.count > 0) bounds.extend(site.latlng);
    });
    if (bounds.isValid()) frameBounds(bounds, true);
  }

  function buildElsewhere() {
    var Elsewhere = L.Control.extend({
      options: { position: "bottomright" },
      onAdd: function () {
        var box = L.DomUtil.create("button", "cm-elsewhere");
        box.type = "button";
        box.style.display = "none";
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.on(box, "click", showEverything);
        return box;
      },
    });
    elsewhereControl = new Elsewhere().addTo(map);
    edgeBadges = {};
    ["north", "south", "east", "west"].forEach(function (side) {
      var badge = L.DomUtil.create("button", "cm-edge cm-edge-" + side, map.getContainer());
      badge.type = "button";
      badge.style.display = "none";
      L.DomEvent.disableClickPropagation(badge);
      L.DomEvent.on(badge, "click", showEverything);
      edgeBadges[side] = badge;
    });
  }

  // ---- the legend -----------------------------------------------------------------

  function buildLegend() {
    var colors = data.colors || {};
    var named = Object.keys(colors).filter(function (c) {
      return c !== "";
    });
    var showCategories = options.legend === "full" && named.length > 0;
    var showSize = options.legend !== false && options.legend !== "none" && measureRange && data.measure;
    if (!showCategories && !showSize) return;
    var Legend = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "cm-map-legend");
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        if (showCategories) {
          var list = L.DomUtil.create("ul", "cm-map-legend-categories", box);
          Object.keys(colors).forEach(function (category) {
            var li = L.DomUtil.create("li", "", list);
            var swatch = L.DomUtil.create("span", "cm-map-swatch", li);
            swatch.style.background = colors[category];
            var name = L.DomUtil.create("span", category ? "" : "cm-none", li);
            // Categories exactly as the data writes them.
            name.textContent = category || "no category";
          });
        }
        if (showSize) {
          var sizes = L.DomUtil.create("div", "cm-map-legend-sizes", box);
          var title = L.DomUtil.create("div", "cm-map-legend-title", sizes);
          title.textContent = "Size: " + data.measure.name;
          var row = L.DomUtil.create("div", "cm-map-legend-row", sizes);
          var lo = measureRange[0];
          var hi = measureRange[1];
          var steps = hi > lo ? [lo, lo + (hi - lo) / 2, hi] : [hi];
          steps.forEach(function (value) {
            var item = L.DomUtil.create("span", "cm-map-legend-size", row);
            var circle = L.DomUtil.create("span", "cm-map-legend-circle", item);
            var d = measureDiameter(value);
            circle.style.width = d + "px";
            circle.style.height = d + "px";
            var text = L.DomUtil.create("span", "", item);
            text.textContent = formatMeasure(value);
          });
        }
        return box;
      },
    });
    legendControl = new Legend().addTo(map);
  }

  function formatMeasure(value) {
    if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en");
    return String(Math.round(value * 10) / 10);
  }

  // ---- moving the map ---------------------------------------------------------

  function boundsOf(placeIds) {
    var bounds = L.latLngBounds([]);
    placeIds.forEach(function (pid) {
      var site = siteOfPlace[pid];
      if (site) bounds.extend(site.latlng);
      (shapes[pid] || []).forEach(function (shape) {
        bounds.extend(shape.getBounds());
      });
    });
    return bounds;
  }

  // The box a frame asked for stays in view, until the analyst moves the map or
  // another view is asked for: when the map's size changes (the window settles,
  // the presenter's caption wraps to a second line), it is fitted again.
  var stickyFit = null;

  function frameBounds(bounds, animate) {
    if (!bounds.isValid()) return;
    stickyFit = bounds;
    fitLatLngBounds(bounds, animate);
  }

  var flying = false; // a frame's flight is under way

  function refitAfterResize() {
    if (!stickyFit) return;
    if (flying) {
      // Re-aimed in mid-air, for the new size: still one flight, one move.
      map.flyToBounds(stickyFit, L.extend({ noMoveStart: true }, flightOptions(FIT_MAX_ZOOM)));
      return;
    }
    // Still in view (the map grew, or shrank a little): nothing to do.
    if (map.getBounds().contains(stickyFit)) return;
    // setView ends a flight still under way (map.stop() would start a zoom of its own).
    fitLatLngBounds(stickyFit, false);
  }

  function landed() {
    flying = false;
  }

  function flightOptions(zoomCap) {
    return { padding: [PAD, PAD], maxZoom: zoomCap, duration: FLY.duration };
  }

  function analystMoves() {
    stickyFit = null;
  }

  function fitLatLngBounds(bounds, animate, maxZoom) {
    if (!bounds.isValid()) return;
    var zoomCap = maxZoom || FIT_MAX_ZOOM;
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
      // One point: centre it at a regional zoom.
      var z = Math.min(Math.max(FLY.maxZoom, maxZoom ? map.getZoom() : 0), zoomCap);
      if (animate === false) map.setView(bounds.getCenter(), z, { animate: false });
      else map.flyTo(bounds.getCenter(), z, { duration: FLY.duration });
      return;
    }
    if (animate === false) {
      map.fitBounds(bounds, { padding: [PAD, PAD], maxZoom: zoomCap, animate: false });
    } else {
      flying = true;
      map.once("moveend", landed);
      map.flyToBounds(bounds, flightOptions(zoomCap));
    }
  }

  // A selection's flight: none if its places are in view already; otherwise
  // to them, no closer than the analyst's own zoom needs.
  function flyToPlaces(placeIds, animate) {
    var bounds = boundsOf(placeIds);
    if (!bounds.isValid()) return;
    // The host may have just resized the map (a longer caption above it): judge
    // and fit by the size it has now, not the one Leaflet last measured. Only
    // then: measuring again drops the exact centre for one rounded to pixels.
    var box = map.getContainer();
    var size = map.getSize();
    if (box.clientWidth !== size.x || box.clientHeight !== size.y) map.invalidateSize({ pan: false });
    var view = map.getBounds().pad(-0.05);
    if (view.contains(bounds)) return;
    stickyFit = null;
    fitLatLngBounds(bounds, animate, Math.max(FLY.maxZoom, Math.min(map.getZoom(), FIT_MAX_ZOOM)));
  }

  // ---- the selection -------------------------------------------------------------

  // options.places: the selected events' places, which a perPlace page
  // cannot look up itself.
  function doSelect(eventIds, opts) {
    opts = opts || {};
    var places = [];
    if (perPlace) {
      selectedEvents = uniq(ids(eventIds));
      places = ids(opts.places).filter(function (pid) {
        return placeById.hasOwnProperty(pid);
      });
    } else {
      selectedEvents = uniq(
        ids(eventIds).filter(function (id) {
          return eventById.hasOwnProperty(id);
        })
      );
      selectedEvents.forEach(function (id) {
        places = places.concat(
          eventById[id].places.filter(function (pid) {
            return placeById.hasOwnProperty(pid);
          })
        );
      });
    }
    selectedPlaces = uniq(places);
    var before = selectedSites;
    selectedSites = {};
    selectedPlaces.forEach(function (pid) {
      var site = siteOfPlace[pid];
      if (site) selectedSites[site.key] = true;
    });
    // Only the sites that were or are selected change layers.
    var changed = Object.keys(before)
      .concat(Object.keys(selectedSites))
      .filter(function (key, i, keys) {
        return keys.indexOf(key) === i && !!before[key] !== !!selectedSites[key];
      })
      .map(function (key) {
        return siteByKey[key];
      });
    if (changed.length) placeSites(changed);
    applyShapeSelection();
    if (selectedPlaces.length && opts.fly !== false) {
      flyToPlaces(selectedPlaces, opts.animate);
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

  function siteClicked(site) {
    var placeIds = site.places.map(function (p) {
      return p.id;
    });
    lastClickedPlace = site.main.id;
    if (placeIds.length > 1 && host && typeof host.placesClicked === "function") {
      host.placesClicked(JSON.stringify(placeIds));
    } else if (host && typeof host.placeClicked === "function") {
      host.placeClicked(lastClickedPlace);
    }
    emit("placeClicked", lastClickedPlace);
  }

  // ---- editing places (the desktop window) ---------------------------------------
  //
  // The page never changes the data itself: it tells the host what the analyst did
  // (a click in "add" mode, a marker dropped, a route drawn) and the host makes the
  // edit, undoably, and answers with movePlaces or a rebuilt page.

  var mode = "browse"; // "browse", "add" (a click places a point) or "route"
  var draft = null; // route mode: {points: [L.LatLng], line, handles: L.LayerGroup}
  // Clicks closer than this (px) to the last vertex are the first half of a double-click.
  var SAME_VERTEX_PX = 4;

  function toHost(name, args) {
    if (host && typeof host[name] === "function") host[name].apply(host, args);
    emit(name, args);
  }

  function markerDropped(site) {
    var at = site.marker.getLatLng();
    var placeIds = site.places.map(function (p) {
      return p.id;
    });
    toHost("placesMoved", [JSON.stringify({ places: placeIds, lat: at.lat, lon: at.lng })]);
  }

  function lockMarkers(locked) {
    sites.forEach(function (site) {
      if (site.kind !== "point" || !site.marker) return;
      // A marker not on the map yet reads the option when it is added.
      site.marker.options.draggable = !locked;
      if (site.marker.dragging) {
        if (locked) site.marker.dragging.disable();
        else site.marker.dragging.enable();
      }
    });
  }

  function doMovePlaces(moves) {
    var faintMoved = false;
    Object.keys(moves).forEach(function (pid) {
      var place = placeById[pid];
      var site = siteOfPlace[pid];
      if (!place || !site) return;
      var latlng = L.latLng(moves[pid][0], moves[pid][1]);
      place.lat = latlng.lat;
      place.lon = latlng.lng;
      site.latlng = latlng;
      // A clustered marker's move re-clusters it (markercluster listens to "move").
      if (!site.marker.getLatLng().equals(latlng)) site.marker.setLatLng(latlng);
      if (fainted[site.key]) faintMoved = true;
    });
    if (faintMoved) {
      faintLayer.setSites(
        sites.filter(function (site) {
          return fainted[site.key];
        })
      );
    }
    countsGeneration += 1;
    scheduleLayout();
  }

  function drawDraft() {
    draft.line.setLatLngs(draft.points);
    draft.handles.clearLayers();
    draft.points.forEach(function (latlng, i) {
      var handle = L.marker(latlng, {
        icon: L.divIcon({ className: "cm-vertex", iconSize: [12, 12] }),
        draggable: true,
        keyboard: false,
      });
      handle.on("drag", function () {
        draft.points[i] = handle.getLatLng();
        draft.line.setLatLngs(draft.points);
      });
      draft.handles.addLayer(handle);
    });
  }

  function clearDraft() {
    if (!draft) return;
    map.removeLayer(draft.line);
    map.removeLayer(draft.handles);
    draft = null;
  }

  function routeClick(latlng) {
    var last = draft.points[draft.points.length - 1];
    if (last && map.latLngToContainerPoint(last).distanceTo(map.latLngToContainerPoint(latlng)) < SAME_VERTEX_PX) {
      return;
    }
    draft.points.push(latlng);
    drawDraft();
  }

  function finishRoute() {
    if (mode !== "route" || !draft) return false;
    var points = draft.points.map(function (p) {
      return [p.lat, p.lng];
    });
    if (points.length < 2) return false;
    doSetMode("browse");
    toHost("routeDrawn", [JSON.stringify(points)]);
    return true;
  }

  var modeHint = null; // the line over the map saying what a click does now

  function doSetMode(next, points, hint) {
    next = next === "add" || next === "route" ? next : "browse";
    clearDraft();
    mode = next;
    var box = map.getContainer();
    if (!modeHint) {
      modeHint = L.DomUtil.create("div", "cm-mode-hint", box);
      L.DomEvent.disableClickPropagation(modeHint);
    }
    modeHint.textContent = mode === "browse" ? "" : hint || "";
    modeHint.style.display = modeHint.textContent ? "" : "none";
    box.classList.toggle("cm-mode-add", mode === "add");
    box.classList.toggle("cm-mode-route", mode === "route");
    // A double-click ends a route: it does not zoom then.
    if (mode === "route") map.doubleClickZoom.disable();
    else map.doubleClickZoom.enable();
    if (mode === "route") {
      draft = {
        points: (points || []).map(function (p) {
          return L.latLng(p[0], p[1]);
        }),
        line: L.polyline([], { className: "cm-draft", color: "#c2410c", weight: 3, dashArray: "6 4", interactive: false }).addTo(map),
        handles: L.layerGroup().addTo(map),
      };
      drawDraft();
    }
  }

  function leaveMode() {
    if (mode === "browse") return;
    var was = mode;
    doSetMode("browse");
    toHost("modeLeft", [was]);
  }

  function watchEditing() {
    map.on("click", function (e) {
      if (mode === "add") {
        toHost("mapClicked", [e.latlng.lat, e.latlng.lng]);
      } else if (mode === "route") {
        routeClick(e.latlng);
      }
    });
    map.on("dblclick", function () {
      if (mode === "route") finishRoute();
    });
    document.addEventListener("keydown", function (e) {
      if (mode === "browse") return;
      if (e.key === "Escape") {
        leaveMode();
      } else if (e.key === "Enter" && mode === "route") {
        finishRoute();
      } else if (e.key === "Backspace" && draft && draft.points.length) {
        draft.points.pop();
        drawDraft();
      } else {
        return;
      }
      e.preventDefault();
    });
  }

  // ---- the host --------------------------------------------------------------------

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
    if (loading) {
      // The first markers are still going into their clusters.
      setTimeout(markReady, 20);
      return;
    }
    ready = true;
    layoutLabels();
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

  function boundsFrom(box) {
    return L.latLngBounds([box[0], box[1]], [box[2], box[3]]);
  }

  var api = {
    version: 2,

    /* Called once by the page itself, right after folium created the map. */
    init: function (leafletMap, basemap, payload, initial) {
      map = leafletMap;
      data = payload;
      initial = initial || {};
      if (initial.legend !== undefined && initial.legend !== null) options.legend = initial.legend;
      perPlace = !!payload.perPlace;
      editable = !!initial.editable;
      data.events.forEach(function (ev) {
        eventById[ev.id] = ev;
      });
      if (map.attributionControl) {
        map.attributionControl.setPrefix(false);
        map.attributionControl.addAttribution(payload.attribution || "Natural Earth");
      }
      // folium leaves the map's own zoom limits unset; clustering needs the top one.
      map.setMinZoom(MIN_ZOOM);
      map.setMaxZoom(MAX_ZOOM);
      // The vector layers' drawing surface, made where the basemap made it before it
      // was added last: under the faint marks, as ever.
      map.getRenderer(L.polyline([]));
      faintLayer = new FaintLayer().addTo(map);
      shapeLayer = L.featureGroup().addTo(map);
      clusterLayer = makeClusterLayer(data.places.length).addTo(map);
      pinnedLayer = L.featureGroup().addTo(map);
      buildPlaces(basemap);
      buildLegend();
      buildElsewhere();
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
      // Where to look first, before any marker is added (the clusters are then
      // built for that view only once).
      if (initial.view) {
        map.setView([initial.view[0], initial.view[1]], initial.view[2], { animate: false });
      } else if (initial.fit) {
        frameBounds(boundsFrom(initial.fit), false);
      }
      if (initial.select && initial.select.length) {
        doSelect(initial.select, { fly: false, places: initial.selectPlaces });
      }
      applyVisibility();
      if (!initial.view && !initial.fit) {
        var start = selectedPlaces.length ? selectedPlaces : visiblePlaces;
        if (start.length) frameBounds(boundsOf(start), false);
      }
      addBasemap(basemap);
      map.on("moveend", reportCamera);
      map.on("resize", refitAfterResize);
      ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (name) {
        map.getContainer().addEventListener(name, analystMoves, { passive: true, capture: true });
      });
      map.on("moveend zoomend resize", scheduleLayout);
      if (editable) watchEditing();
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
      frameBounds(boundsOf(ids(placeIds)), animate);
    }),
    /* Fit a box [south, west, north, east] (framing.fit_bounds in Python); it stays
       fitted when the map's size changes, until the map is moved by hand. */
    fitBounds: whenReady(function (box, animate) {
      frameBounds(boundsFrom(box), animate);
    }),
    setView: whenReady(function (lat, lon, zoom, animate) {
      stickyFit = null;
      if (animate) {
        map.flyTo([lat, lon], zoom, { duration: FLY.duration });
      } else {
        map.setView([lat, lon], zoom, { animate: false });
      }
    }),

    /* Big markers and labels for a room (class "cm-presenting" on the page), or not. */
    setPresenting: function (on) {
      document.documentElement.classList.toggle("cm-presenting", !!on);
      // A click on a marker in front of a room must never become a move.
      if (editable) lockMarkers(!!on);
      scheduleLayout();
    },
    /* Show or hide the map's zoom buttons (a snapshot hides them). */
    setControls: function (on) {
      document.documentElement.classList.toggle("cm-no-controls", !on);
    },
    /* Tell the host (drawn(token)) once what the calls before this one changed is on screen. */
    whenDrawn: whenReady(function (token) {
      var tell = function () {
        if (loading) {
          setTimeout(tell, 20);
          return;
        }
        layoutLabels();
        afterTwoFrames(function () {
          if (host && typeof host.drawn === "function") host.drawn(String(token));
        });
      };
      tell();
    }),

    /* Editing (the window's page): "browse", "add" (a click tells host.mapClicked) or
       "route" (clicks add vertices, from ``points`` if given, [[lat, lon], ...];
       Enter or a double-click tells host.routeDrawn, Esc leaves: host.modeLeft). */
    setMode: whenReady(doSetMode),
    finishRoute: whenReady(finishRoute),
    /* Points moved by an edit (or its Undo): {placeId: [lat, lon]}. */
    movePlaces: whenReady(doMovePlaces),
    /* The route being drawn: [[lat, lon], ...], or null outside route mode. */
    draft: function () {
      return draft
        ? draft.points.map(function (p) {
            return [p.lat, p.lng];
          })
        : null;
    },
    mode: function () {
      return mode;
    },
    /* The map's coordinates under a point of the page ([lat, lon]), and back ([x, y]). */
    latLngAt: function (x, y) {
      var box = map.getContainer().getBoundingClientRect();
      var at = map.containerPointToLatLng([x - box.left, y - box.top]);
      return [at.lat, at.lng];
    },
    pointOf: function (lat, lon) {
      var box = map.getContainer().getBoundingClientRect();
      var p = map.latLngToContainerPoint([lat, lon]);
      return [p.x + box.left, p.y + box.top];
    },
    /* Where a place's marker is now: [lat, lon], or null. */
    placeAt: function (placeId) {
      var site = siteOfPlace[String(placeId)];
      if (!site || !site.marker) return null;
      var at = site.marker.getLatLng();
      return [at.lat, at.lng];
    },

    onPlaceClicked: function (placeId) {
      var site = siteOfPlace[String(placeId)];
      if (site && site.places.length > 1) {
        siteClicked(site);
        return;
      }
      lastClickedPlace = String(placeId);
      if (host && typeof host.placeClicked === "function") host.placeClicked(lastClickedPlace);
      emit("placeClicked", lastClickedPlace);
    },

    /* Subscribe to "placeClicked", "select", "visible", "ready" or "layout". */
    on: function (name, fn) {
      if (!listeners[name]) listeners[name] = [];
      listeners[name].push(fn);
    },

    /* Ids of the visible events held by a place, and by the places at the same
       spot, in time order (a perPlace page holds none: its host answers clicks). */
    eventsAt: function (placeId) {
      if (!data || perPlace) return [];
      var site = siteOfPlace[placeId];
      var here = {};
      (site ? site.places : [{ id: placeId }]).forEach(function (p) {
        here[p.id] = true;
      });
      return data.events
        .filter(function (ev) {
          return (
            eventVisible(ev.id) &&
            ev.places.some(function (pid) {
              return here[pid];
            })
          );
        })
        .map(function (ev) {
          return ev.id;
        });
    },

    /* How a place is drawn now: "marker" (its own), "cluster" (in a counted circle),
       "outside" (clustered, beyond the view), "faint" (no event shown) or "none". */
    placeShown: function (placeId) {
      var site = siteOfPlace[String(placeId)];
      if (!site) return "none";
      if (fainted[site.key]) return "faint";
      if (pinned[site.key]) return "marker";
      if (!clustered[site.key]) return "none";
      var parent = clusterLayer.getVisibleParent(site.marker);
      if (parent === site.marker) return "marker";
      return parent ? "cluster" : "outside";
    },

    /* Place the labels now (they follow every move by themselves); for measuring. */
    layout: function () {
      layoutLabels();
      return layoutStats;
    },

    /* The labels on screen: [{site, text, rect: [left, top, right, bottom]}] in page pixels. */
    labels: function () {
      var out = [];
      var els = map.getPane("markerPane").querySelectorAll(".cm-marker[data-label] .cm-label");
      for (var i = 0; i < els.length; i++) {
        var r = els[i].getBoundingClientRect();
        if (!r.width || !r.height) continue;
        out.push({
          site: els[i].parentNode.getAttribute("data-site"),
          text: els[i].textContent,
          rect: [r.left, r.top, r.right, r.bottom],
        });
      }
      return out;
    },

    data: function () {
      return data;
    },

    state: function () {
      var center = map ? map.getCenter() : null;
      var b = map ? map.getBounds() : null;
      return {
        ready: ready,
        selectedEvents: selectedEvents.slice(),
        selectedPlaces: selectedPlaces.slice(),
        visiblePlaces: visiblePlaces.slice(),
        visibleEvents: perPlace || visibleEvents === null ? null : Object.keys(visibleEvents),
        visibleCount: perPlace ? visibleTotal : visibleEvents === null ? null : Object.keys(visibleEvents).length,
        perPlace: perPlace,
        lastClickedPlace: lastClickedPlace,
        hostAttached: !!host,
        basemap: basemapState,
        center: center ? [center.lat, center.lng] : null,
        zoom: map ? map.getZoom() : null,
        bounds: b ? [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()] : null,
        sites: sites.length,
        elsewhere: { events: elsewhere.events, places: elsewhere.places, sides: elsewhere.sides },
        layout: layoutStats,
        measure: data && data.measure ? data.measure.name : null,
        pending: queue.length,
        loading: loading,
      };
    },
  };

  window.chronomap = api;
})();
