/*
 * The standalone page's timeline strip and detail panel, linked to the map
 * through window.chronomap: click an event and the map flies to it; click a
 * marker and its events light up here.
 *
 * Every piece of event text is set with textContent; only the summary, which
 * was sanitised (nh3) before it reached the page, is set as HTML.
 */
(function () {
  "use strict";

  var cm = window.chronomap;
  var data = null;
  var strip = null;
  var track = null;
  var axis = null;
  var detail = null;
  var items = {}; // event id -> element
  var byIdOf = null; // {events, places, sources}: id -> record, built once
  var zoom = 1;
  var lo = 0;
  var hi = 1;

  var LANE = 22; // px per lane
  var AXIS = 22; // px for the date axis
  var DOT = 10; // px: the smallest mark an event gets
  var MIN_LABEL = 24; // px: a label narrower than this is hidden (the title shows on hover)

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function colorOf(ev) {
    return (data.colors && data.colors[ev.category]) || "#999999";
  }

  function byId(list) {
    var out = {};
    list.forEach(function (x) {
      out[x.id] = x;
    });
    return out;
  }

  // ---- the strip -------------------------------------------------------------

  // The exported window if there is one (an era reaching far past it is cut
  // at its edge), else the events' own span.
  function span() {
    var t0 = Infinity;
    var t1 = -Infinity;
    data.events.forEach(function (ev) {
      t0 = Math.min(t0, ev.t0);
      t1 = Math.max(t1, ev.t1);
    });
    var win = window.chronomapWindow;
    if (win) {
      if (win[0] !== null) t0 = win[0];
      if (win[1] !== null) t1 = win[1];
    }
    var pad = Math.max((t1 - t0) * 0.02, 86400 * 3);
    lo = t0 - pad;
    hi = t1 + pad;
  }

  function width() {
    return Math.max(strip.clientWidth, 200) * zoom;
  }

  function xOf(t) {
    return ((t - lo) / (hi - lo)) * width();
  }

  // Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear takes any year.
  // Years here are astronomical (0 is 1 BC), as JavaScript counts them.
  function utcSeconds(year, month) {
    var date = new Date(0);
    date.setUTCFullYear(year, month, 1);
    return date.getTime() / 1000;
  }

  // Years before AD 1 as readers write them: no year 0, so 0 is 1 BC.
  function yearText(year) {
    return year <= 0 ? 1 - year + " BC" : year === 1 ? "AD 1" : String(year);
  }

  function monthText(year, month) {
    var mm = (month < 9 ? "0" : "") + (month + 1);
    return year <= 0 ? mm + "/" + yearText(year) : year + "-" + mm;
  }

  // Year ticks, or month ticks once a year is wide enough to hold them.
  function drawAxis() {
    axis.textContent = "";
    var w = width();
    var yearPx = (w / (hi - lo)) * 365.25 * 86400;
    var first = new Date(lo * 1000).getUTCFullYear();
    var last = new Date(hi * 1000).getUTCFullYear() + 1;
    var steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
    var step = steps[steps.length - 1];
    for (var i = 0; i < steps.length; i++) {
      if (steps[i] * yearPx >= 56) {
        step = steps[i];
        break;
      }
    }
    var months = yearPx / 12 >= 48;
    // Ticks at round historians' years (100 BC, 50 BC, AD 1, 50): no year 0.
    var firstYear = first <= 0 ? first - 1 : first;
    for (var y = Math.ceil(firstYear / step) * step; y <= last; y += step) {
      var astronomical = y < 0 ? y + 1 : y === 0 ? 1 : y;
      for (var m = 0; m < (months ? 12 : 1); m++) {
        var t = utcSeconds(astronomical, m);
        if (t < lo || t > hi) continue;
        var tick = el("div", "cm-tick" + (m === 0 ? " cm-year" : ""));
        tick.style.left = xOf(t) + "px";
        tick.appendChild(
          el("span", null, m === 0 ? yearText(astronomical) : monthText(astronomical, m))
        );
        axis.appendChild(tick);
      }
    }
    axis.style.width = w + "px";
  }

  // Lanes: each event goes in the first lane that is free at its start; a
  // label gets the room up to the next event in its lane.
  function layout() {
    var lanes = Math.max(1, Math.floor((strip.clientHeight - AXIS - 8) / LANE));
    var ends = [];
    var placed = [];
    data.events.forEach(function (ev) {
      var x0 = Math.max(xOf(ev.t0), 0);
      var x1 = Math.max(Math.min(xOf(ev.t1), width()), x0 + DOT);
      var lane = -1;
      for (var i = 0; i < ends.length; i++) {
        if (ends[i] + 4 <= x0) {
          lane = i;
          break;
        }
      }
      if (lane < 0 && ends.length < lanes) lane = ends.length;
      if (lane < 0) {
        lane = ends.indexOf(Math.min.apply(null, ends)); // overlap the least crowded lane
      }
      ends[lane] = Math.max(ends[lane] || 0, x1 + MIN_LABEL);
      placed.push({ ev: ev, x0: x0, x1: x1, lane: lane });
    });
    var nextStart = {};
    for (var k = placed.length - 1; k >= 0; k--) {
      var p = placed[k];
      p.room = (nextStart[p.lane] === undefined ? width() : nextStart[p.lane]) - p.x1 - 6;
      nextStart[p.lane] = p.x0;
    }
    placed.forEach(function (p) {
      var node = items[p.ev.id];
      node.style.left = p.x0 + "px";
      node.style.top = AXIS + 4 + p.lane * LANE + "px";
      node.querySelector(".cm-bar").style.width = p.x1 - p.x0 + "px";
      var label = node.querySelector(".cm-item-label");
      var room = Math.min(p.room, 260);
      label.style.maxWidth = Math.max(room, 0) + "px";
      label.style.display = room >= MIN_LABEL ? "" : "none";
    });
    track.style.width = width() + "px";
    track.style.height = AXIS + 8 + Math.max(ends.length, 1) * LANE + "px";
    drawAxis();
  }

  function buildStrip() {
    strip = document.getElementById("cm-strip-scroll");
    track = el("div", "cm-track");
    axis = el("div", "cm-axis");
    track.appendChild(axis);
    data.events.forEach(function (ev) {
      var node = el("button", "cm-item");
      node.type = "button";
      node.setAttribute("data-event-id", ev.id);
      node.title = ev.date + " · " + ev.title + (ev.cue ? " [" + ev.cue + "]" : "");
      var bar = el("span", "cm-bar" + (ev.approximate ? " cm-approx" : ""));
      bar.style.background = colorOf(ev);
      bar.style.borderColor = colorOf(ev);
      node.appendChild(bar);
      var label = el("span", "cm-item-label");
      // What the audience must not miss (contested, reported, background), ahead
      // of the title so that a label cut short still shows it.
      if (ev.cue) label.appendChild(el("span", "cm-cue", ev.cue));
      label.appendChild(document.createTextNode(ev.title));
      node.appendChild(label);
      node.addEventListener("click", function () {
        selectEvent(ev.id, true);
      });
      items[ev.id] = node;
      track.appendChild(node);
    });
    strip.appendChild(track);
    span();
    layout();
    var zoomBy = function (factor) {
      var centre = (strip.scrollLeft + strip.clientWidth / 2) / width();
      zoom = Math.min(Math.max(zoom * factor, 1), 400);
      layout();
      strip.scrollLeft = centre * width() - strip.clientWidth / 2;
    };
    document.getElementById("cm-zoom-in").addEventListener("click", function () {
      zoomBy(2);
    });
    document.getElementById("cm-zoom-out").addEventListener("click", function () {
      zoomBy(0.5);
    });
    document.getElementById("cm-zoom-fit").addEventListener("click", function () {
      zoom = 1;
      layout();
      strip.scrollLeft = 0;
    });
    strip.addEventListener(
      "wheel",
      function (e) {
        if (!e.ctrlKey) return;
        e.preventDefault();
        zoomBy(e.deltaY < 0 ? 1.25 : 0.8);
      },
      { passive: false }
    );
    window.addEventListener("resize", layout);
  }

  function markStrip(selected) {
    var on = {};
    selected.forEach(function (id) {
      on[id] = true;
    });
    Object.keys(items).forEach(function (id) {
      items[id].classList.toggle("selected", !!on[id]);
    });
    if (selected.length && items[selected[0]]) {
      var node = items[selected[0]];
      var left = node.offsetLeft - strip.clientWidth / 3;
      if (node.offsetLeft < strip.scrollLeft || node.offsetLeft > strip.scrollLeft + strip.clientWidth - 40) {
        strip.scrollLeft = Math.max(left, 0);
      }
    }
  }

  // ---- the detail panel ------------------------------------------------------

  // A source as cited by one event: the reference (a real headline in
  // quotation marks, a describing title in brackets), then what it says for
  // this event and where.
  function sourceItem(src, citation) {
    var li = el("li", "cm-source");
    li.appendChild(el("span", "cm-publisher", src.publisher));
    if (src.date) li.appendChild(el("span", "cm-source-date", " · " + src.date));
    li.appendChild(document.createElement("br"));
    if (src.url) {
      var a = el("a", "cm-headline", src.heading || src.url);
      a.href = src.url; // only http(s)/mailto URLs reach the page
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      li.appendChild(a);
    } else {
      li.appendChild(el("span", "cm-headline", src.heading));
    }
    if (src.remark) li.appendChild(el("span", "cm-remark", " (" + src.remark + ")"));
    if (citation && citation.quote) {
      li.appendChild(el("q", "cm-quote", citation.quote));
    }
    if (citation && citation.locator) {
      li.appendChild(el("span", "cm-locator", " " + citation.locator));
    }
    return li;
  }

  // Confidence, background and the like: each with what it means.
  function flagList(ev) {
    var words = data.flagWords || {};
    var ul = el("ul", "cm-flags");
    (ev.flags || []).forEach(function (key) {
      var li = el("li", "cm-flag cm-flag-" + key);
      li.appendChild(el("b", null, (words[key] || { label: key }).label));
      if (words[key]) li.appendChild(document.createTextNode(": " + words[key].meaning));
      ul.appendChild(li);
    });
    return ul;
  }

  function showEvent(id) {
    var ev = byIdOf.events[id];
    if (!ev) return;
    var places = byIdOf.places;
    var sources = byIdOf.sources;
    detail.textContent = "";
    var chip = el("span", "cm-chip");
    var swatch = el("span", "cm-swatch");
    swatch.style.background = colorOf(ev);
    chip.appendChild(swatch);
    chip.appendChild(document.createTextNode(ev.category || "uncategorised"));
    detail.appendChild(chip);
    detail.appendChild(el("h2", "cm-detail-title", ev.title));
    // The date is in words at its precision ("2001", "November 2024"): nothing to add.
    detail.appendChild(el("p", "cm-detail-date", ev.date));
    if (ev.flags && ev.flags.length) detail.appendChild(flagList(ev));
    if (ev.summary) {
      var summary = el("div", "cm-summary");
      summary.innerHTML = ev.summary; // sanitised with nh3 in Python
      detail.appendChild(summary);
    }
    var names = ev.places
      .filter(function (pid) {
        return places[pid];
      })
      .map(function (pid) {
        return places[pid].name;
      });
    if (names.length) detail.appendChild(el("p", "cm-detail-places", "Places: " + names.join(", ")));
    var srcs = ev.sources.filter(function (sid) {
      return sources[sid];
    });
    if (srcs.length) {
      detail.appendChild(el("h3", null, "Sources"));
      var ul = el("ul", "cm-sources");
      srcs.forEach(function (sid) {
        ul.appendChild(sourceItem(sources[sid], byIdOf.citations[ev.id + "\n" + sid]));
      });
      detail.appendChild(ul);
    }
    if (ev.note) detail.appendChild(el("p", "cm-note", "Note: " + ev.note));
  }

  function showPlace(pid, eventIds) {
    var place = byIdOf.places[pid];
    if (!place) return;
    var events = byIdOf.events;
    detail.textContent = "";
    detail.appendChild(el("h2", "cm-detail-title", place.name));
    detail.appendChild(
      el("p", "cm-detail-date", eventIds.length + (eventIds.length === 1 ? " event" : " events"))
    );
    var ul = el("ul", "cm-place-events");
    eventIds.forEach(function (id) {
      var li = el("li");
      var b = el("button", "cm-link", events[id].title);
      b.type = "button";
      b.addEventListener("click", function () {
        selectEvent(id, true);
      });
      li.appendChild(el("span", "cm-source-date", events[id].date + " "));
      li.appendChild(b);
      ul.appendChild(li);
    });
    detail.appendChild(ul);
  }

  function selectEvent(id, fly) {
    cm.select([id], { fly: fly });
    showEvent(id);
  }

  function start() {
    data = cm.data();
    detail = document.getElementById("cm-detail");
    if (!data || !detail) return;
    // Looked up on every click: indexed once, not per click (100k events).
    byIdOf = { events: byId(data.events), places: byId(data.places), sources: byId(data.sources) };
    byIdOf.citations = {}; // "event\nsource" -> what that source says for that event
    (data.citations || []).forEach(function (c) {
      byIdOf.citations[c.event + "\n" + c.source] = c;
    });
    buildStrip();
    cm.on("select", markStrip);
    cm.on("placeClicked", function (pid) {
      var ids = cm.eventsAt(pid);
      cm.select(ids, { fly: false });
      showPlace(pid, ids);
    });
    var first = cm.state().selectedEvents;
    markStrip(first);
    if (first.length) showEvent(first[0]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
