/*
 * The standalone page's timeline strip and detail panel, linked to the map
 * through window.chronomap: click an event and the map flies to it; click a
 * marker and its events light up here.
 *
 * The strip is one <canvas> the size of what shows, redrawn on scroll and
 * zoom: a page of 100k events then holds no element per event (a button per
 * event made 400k nodes and most of the page's load time). Pointing, clicking
 * and the keyboard find the event under them from the layout's arrays; the
 * event pointed at shows its whole label in one shared element.
 *
 * Every piece of event text is set with textContent or drawn as text; only
 * the summary, which was sanitised (nh3) before it reached the page, is set
 * as HTML.
 */
(function () {
  "use strict";

  var cm = window.chronomap;
  var data = null;
  var strip = null; // the scrolling box
  var track = null; // as wide as the zoomed timeline: what scrolls
  var canvas = null; // as wide as the box, kept in view while the track scrolls
  var ctx = null;
  var tip = null; // the whole label of the event pointed at
  var detail = null;
  var byIdOf = null; // {events, places, sources}: id -> record, built once
  var indexOf = {}; // event id -> index into data.events
  var zoom = 1;
  var lo = 0;
  var hi = 1;

  // The layout, one entry per event (data.events is in start order).
  var X0 = null;
  var X1 = null;
  var LANEOF = null;
  var ROOM = null; // px a label may take before the next event in its lane
  var LABELW = null; // px the label took when last drawn (0: hidden)
  var lanesOf = []; // lane -> indices, in start order
  var laneCount = 1;
  var selected = {}; // index -> true
  var selectedOrder = []; // indices, as selected
  var hovered = -1;
  var tipBox = null; // [left, right, top, bottom] of the tip shown, in track px
  var drawQueued = false;

  var LANE = 22; // px per lane
  var AXIS = 22; // px for the date axis
  var DOT = 10; // px: the smallest mark an event gets
  var BAR = 10; // px: a mark's height
  var ITEM = 18; // px: a mark's row, label included
  var GAP = 4; // px between a mark and its label
  var DENSE = 4000; // marks in view above which they are drawn square
  var MIN_LABEL = 24; // px: a label narrower than this is hidden (the whole shows on hover)
  var MAX_LABEL = 260;
  var FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  var BOLD = "700 " + FONT;
  var CUE_FONT = FONT.replace("12px", "10px");
  var TICK_FONT = FONT.replace("12px", "11px");
  var TEXT = "#1d2731";
  var SELECTED_TEXT = "#8f3c00";
  var RING = "rgba(213, 94, 0, 0.55)";
  var CUE = "#8f3c00";
  var CUE_FILL = "#fff7ed";

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

  // What pointing at an event says: its date, title and flags.
  function tooltipOf(ev) {
    return ev.date + " · " + ev.title + (ev.cue ? " [" + ev.cue + "]" : "");
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

  // Year ticks, or month ticks once a year is wide enough to hold them; only
  // those between left and right (track px) are drawn.
  function drawAxis(left, right, height) {
    var w = width();
    var yearPx = (w / (hi - lo)) * 365.25 * 86400;
    var tFrom = lo + (left / w) * (hi - lo);
    var tTo = lo + (right / w) * (hi - lo);
    var first = new Date(Math.max(lo, tFrom - 366 * 86400) * 1000).getUTCFullYear();
    var last = new Date(Math.min(hi, tTo) * 1000).getUTCFullYear() + 1;
    var steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
    var step = steps[steps.length - 1];
    for (var i = 0; i < steps.length; i++) {
      if (steps[i] * yearPx >= 56) {
        step = steps[i];
        break;
      }
    }
    var months = yearPx / 12 >= 48;
    ctx.font = TICK_FONT;
    ctx.textBaseline = "top";
    ctx.lineWidth = 1;
    // Ticks at round historians' years (100 BC, 50 BC, AD 1, 50): no year 0.
    var firstYear = first <= 0 ? first - 1 : first;
    for (var y = Math.ceil(firstYear / step) * step; y <= last; y += step) {
      var astronomical = y < 0 ? y + 1 : y === 0 ? 1 : y;
      for (var m = 0; m < (months ? 12 : 1); m++) {
        var t = utcSeconds(astronomical, m);
        if (t < lo || t > hi) continue;
        var x = Math.round(xOf(t)) + 0.5;
        if (x < left - 120 || x > right) continue;
        ctx.strokeStyle = m === 0 ? "#d7dde2" : "#eef1f3";
        ctx.beginPath();
        ctx.moveTo(x, 0);
        ctx.lineTo(x, height);
        ctx.stroke();
        ctx.fillStyle = "#6b7884";
        ctx.fillText(m === 0 ? yearText(astronomical) : monthText(astronomical, m), x + 3, 3);
      }
    }
  }

  // Lanes: each event goes in the first lane that is free at its start; a
  // label gets the room up to the next event in its lane.
  function layout() {
    var events = data.events;
    var n = events.length;
    var w = width();
    var lanes = Math.max(1, Math.floor((strip.clientHeight - AXIS - 8) / LANE));
    var ends = [];
    var scale = w / (hi - lo); // read once: each read of the box's size may lay the page out
    lanesOf = [];
    for (var i = 0; i < n; i++) {
      var ev = events[i];
      var x0 = Math.max((ev.t0 - lo) * scale, 0);
      var x1 = Math.max(Math.min((ev.t1 - lo) * scale, w), x0 + DOT);
      var lane = -1;
      for (var k = 0; k < ends.length; k++) {
        if (ends[k] + 4 <= x0) {
          lane = k;
          break;
        }
      }
      if (lane < 0 && ends.length < lanes) lane = ends.length;
      if (lane < 0) {
        lane = 0; // overlap the least crowded lane
        for (k = 1; k < ends.length; k++) if (ends[k] < ends[lane]) lane = k;
      }
      ends[lane] = Math.max(ends[lane] || 0, x1 + MIN_LABEL);
      X0[i] = x0;
      X1[i] = x1;
      LANEOF[i] = lane;
      (lanesOf[lane] = lanesOf[lane] || []).push(i);
    }
    var nextStart = [];
    for (var j = n - 1; j >= 0; j--) {
      var l = LANEOF[j];
      ROOM[j] = (nextStart[l] === undefined ? w : nextStart[l]) - X1[j] - GAP - 2;
      nextStart[l] = X0[j];
    }
    laneCount = Math.max(ends.length, 1);
    track.style.width = w + "px";
    track.style.height = AXIS + 8 + laneCount * LANE + "px";
    showTip(-1);
    draw();
  }

  function rowTop(lane) {
    return AXIS + 4 + lane * LANE;
  }

  function queueDraw() {
    if (drawQueued) return;
    drawQueued = true;
    requestAnimationFrame(function () {
      drawQueued = false;
      draw();
    });
  }

  // The text of a label cut to fit maxWidth px, with an ellipsis.
  function fitText(text, maxWidth) {
    if (maxWidth <= 0) return "";
    if (ctx.measureText(text).width <= maxWidth) return text;
    var a = 0;
    var b = text.length;
    while (a < b) {
      var mid = (a + b + 1) >> 1;
      if (ctx.measureText(text.slice(0, mid) + "…").width <= maxWidth) a = mid;
      else b = mid - 1;
    }
    return a ? text.slice(0, a) + "…" : "";
  }

  // A flag the audience must not miss, ahead of the title: a boxed word.
  function drawCue(text, x, mid) {
    ctx.font = CUE_FONT;
    var w = ctx.measureText(text).width + 8;
    ctx.fillStyle = CUE_FILL;
    ctx.strokeStyle = CUE;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.roundRect(x + 0.5, mid - 7 + 0.5, w, 14, 3);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = CUE;
    ctx.textBaseline = "middle";
    ctx.fillText(text, x + 4.5, mid + 0.5);
    return w + 4;
  }

  function drawLabel(i, maxWidth) {
    var ev = data.events[i];
    var on = selected[i];
    var mid = rowTop(LANEOF[i]) + ITEM / 2;
    var x = X1[i] + GAP;
    var used = 0;
    // Nothing of a label goes past its room: the next event in the lane starts there.
    ctx.save();
    ctx.beginPath();
    ctx.rect(x, mid - ITEM / 2, maxWidth, ITEM);
    ctx.clip();
    if (ev.cue) {
      // The cue goes first, so that a label cut short still shows it.
      used = drawCue(ev.cue, x, mid);
    }
    ctx.font = on ? BOLD : FONT;
    ctx.fillStyle = on ? SELECTED_TEXT : TEXT;
    ctx.textBaseline = "middle";
    var text = used < maxWidth ? fitText(ev.title, maxWidth - used) : "";
    ctx.fillText(text, x + used, mid + 0.5);
    var drawn = used + ctx.measureText(text).width;
    ctx.restore();
    return Math.min(drawn, maxWidth);
  }

  // Which of the marks first..last-1 show at all: a mark wholly under later,
  // filled ones in its lane is left out (100k events on one screen are mostly
  // such). Per lane, each pixel column of the view points to the next one not
  // yet covered, so a run of covered columns is crossed in one step.
  function hiddenMarks(first, last, left, w, dense) {
    var shown = new Uint8Array(Math.max(last - first, 0));
    var cols = Math.ceil(w) + 1;
    var free = [];
    var find = function (next, c) {
      var root = c;
      while (next[root] !== root) root = next[root];
      while (next[c] !== root) {
        var up = next[c];
        next[c] = root;
        c = up;
      }
      return root;
    };
    for (var i = last - 1; i >= first; i--) {
      if (X1[i] < left) continue;
      var lane = LANEOF[i];
      var next = free[lane];
      if (!next) {
        next = free[lane] = new Int32Array(cols + 1);
        for (var c = 0; c <= cols; c++) next[c] = c;
      }
      // A dense view draws marks square, on whole pixels (see draw).
      var x0 = dense ? Math.round(X0[i]) : X0[i];
      var x1 = dense ? Math.round(X1[i]) : X1[i];
      var a = Math.min(Math.max(Math.floor(x0 - left), 0), cols);
      var b = Math.min(Math.max(Math.ceil(x1 - left) - 1, 0), cols - 1);
      if (find(next, a) > b) continue; // every column it would touch is covered
      shown[i - first] = 1;
      if (data.events[i].approximate) continue; // hollow: what is under it shows
      // Columns the mark covers top to bottom: between its rounded ends, if round.
      var cap = dense ? 0 : BAR / 2;
      var from = Math.max(Math.ceil(x0 + cap - left), 0);
      var to = Math.min(Math.floor(x1 - cap - left) - 1, cols - 1);
      for (c = find(next, from); c <= to; c = find(next, c + 1)) next[c] = c + 1;
    }
    return shown;
  }

  function draw() {
    if (!canvas) return;
    var n = data.events.length;
    var w = strip.clientWidth;
    var h = AXIS + 8 + laneCount * LANE;
    var dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
      canvas.style.width = w + "px";
      canvas.style.height = h + "px";
    }
    var left = strip.scrollLeft;
    var right = left + w;
    // Track coordinates: what is at x on the track is drawn at x - left.
    ctx.setTransform(dpr, 0, 0, dpr, -left * dpr, 0);
    ctx.clearRect(left, 0, w, h);
    drawAxis(left, right, h);

    // The marks, later ones over earlier ones (as pointing finds them): a run of
    // marks in one colour and style is one path, filled (or, for approximate
    // dates, outlined dashed) once.
    var first = 0;
    // Starts are in order: skip what ends before the view by starts far left of it.
    while (first < n && X0[first] < left - w * 4 && X1[first] < left) first++;
    var last = first;
    while (last < n && X0[last] <= right) last++;
    // Thousands of marks on one screen are drawn square, as plain rectangles:
    // ten times faster than rounded ones, and at that density the ends do not show.
    var dense = last - first > DENSE;
    var shown = hiddenMarks(first, last, left, w, dense);
    var path = null;
    var runColor = null;
    var runHollow = false;
    var flush = function () {
      if (!path) return;
      if (runHollow) {
        ctx.setLineDash([3, 2]);
        ctx.strokeStyle = runColor;
        ctx.stroke(path);
        ctx.setLineDash([]);
      } else {
        ctx.fillStyle = runColor;
        ctx.fill(path);
      }
      path = null;
    };
    ctx.lineWidth = 1;
    for (var i = first; i < last; i++) {
      if (!shown[i - first]) continue;
      var x0 = X0[i];
      var ev = data.events[i];
      var c = colorOf(ev);
      var hollow = !!ev.approximate;
      if (c !== runColor || hollow !== runHollow) {
        flush();
        runColor = c;
        runHollow = hollow;
      }
      var top = rowTop(LANEOF[i]) + (ITEM - BAR) / 2;
      if (dense && !hollow) {
        ctx.fillStyle = c;
        var r0 = Math.round(x0);
        ctx.fillRect(r0, top, Math.max(Math.round(X1[i]) - r0, 1), BAR);
        continue;
      }
      path = path || new Path2D();
      if (hollow) {
        path.roundRect(x0 + 0.5, top + 0.5, X1[i] - x0 - 1, BAR - 1, BAR / 2);
      } else {
        path.roundRect(x0, top, X1[i] - x0, BAR, BAR / 2);
      }
    }
    flush();

    // The selection: a ring round each selected mark.
    ctx.strokeStyle = RING;
    ctx.lineWidth = 3;
    selectedOrder.forEach(function (j) {
      if (X1[j] < left || X0[j] > right) return;
      var top = rowTop(LANEOF[j]) + (ITEM - BAR) / 2;
      ctx.beginPath();
      ctx.roundRect(X0[j] - 1.5, top - 1.5, X1[j] - X0[j] + 3, BAR + 3, BAR / 2 + 1.5);
      ctx.stroke();
    });

    // The labels with room for them, each up to the next event in its lane.
    for (i = first; i < n; i++) {
      if (X0[i] > right) break;
      var room = Math.min(ROOM[i], MAX_LABEL);
      LABELW[i] = 0;
      if (room < MIN_LABEL || X1[i] + GAP + room < left) continue;
      LABELW[i] = drawLabel(i, room);
    }
    canvas.setAttribute("data-drawn", String(n));
  }

  // The event drawn at (x, y) in track px, or -1: the mark, or its label where shown.
  function hit(x, y) {
    var lane = Math.floor((y - AXIS - 4) / LANE);
    if (lane < 0 || lane >= laneCount || y - rowTop(lane) > ITEM) return -1;
    var list = lanesOf[lane] || [];
    // The last event starting left of x is drawn on top: look back from it.
    var a = 0;
    var b = list.length;
    while (a < b) {
      var mid = (a + b) >> 1;
      if (X0[list[mid]] - 2 <= x) a = mid + 1;
      else b = mid;
    }
    for (var k = a - 1; k >= 0; k--) {
      var i = list[k];
      var end = Math.max(X1[i] + 2, LABELW[i] ? X1[i] + GAP + LABELW[i] : 0);
      if (x <= end) return i;
    }
    return -1;
  }

  function pointAt(e) {
    var r = canvas.getBoundingClientRect();
    var x = e.clientX - r.left + strip.scrollLeft;
    var y = e.clientY - r.top;
    // The whole label shown for the event pointed at lies over what is drawn there,
    // and belongs to that event, as its mark does.
    if (hovered >= 0 && tipBox && x >= tipBox[0] && x <= tipBox[1] && y >= tipBox[2] && y <= tipBox[3]) {
      return hovered;
    }
    return hit(x, y);
  }

  // The whole label of the event pointed at, over what is drawn there.
  function showTip(i) {
    if (i === hovered) return;
    hovered = i;
    if (i < 0) {
      tipBox = null;
      tip.style.display = "none";
      canvas.removeAttribute("title");
      canvas.style.cursor = "";
      return;
    }
    var ev = data.events[i];
    tip.textContent = "";
    if (ev.cue) tip.appendChild(el("span", "cm-cue", ev.cue));
    tip.appendChild(document.createTextNode(ev.title));
    tip.setAttribute("data-event-id", ev.id);
    tip.classList.toggle("selected", !!selected[i]);
    tip.style.top = rowTop(LANEOF[i]) + "px";
    tip.style.left = "0px";
    tip.style.display = "";
    // Right of the mark, as its label; moved left as far as needed to end inside the strip.
    var x = Math.max(Math.min(X1[i] + GAP, width() - tip.offsetWidth), 0);
    tip.style.left = x + "px";
    tipBox = [x, x + tip.offsetWidth, rowTop(LANEOF[i]), rowTop(LANEOF[i]) + ITEM];
    canvas.title = tooltipOf(ev);
    canvas.style.cursor = "pointer";
  }

  function buildStrip() {
    strip = document.getElementById("cm-strip-scroll");
    var n = data.events.length;
    data.events.forEach(function (ev, i) {
      indexOf[ev.id] = i;
    });
    X0 = new Float64Array(n);
    X1 = new Float64Array(n);
    LANEOF = new Int32Array(n);
    ROOM = new Float64Array(n);
    LABELW = new Float64Array(n);
    track = el("div", "cm-track");
    canvas = el("canvas", "cm-strip-canvas");
    canvas.tabIndex = 0;
    canvas.setAttribute("role", "img");
    canvas.setAttribute(
      "aria-label",
      "Timeline of " + n + (n === 1 ? " event" : " events") +
        ": click one, or use the arrow keys, to see it on the map and in the details."
    );
    ctx = canvas.getContext("2d");
    tip = el("div", "cm-tip");
    tip.style.display = "none";
    track.appendChild(canvas);
    track.appendChild(tip);
    strip.appendChild(track);
    span();
    layout();

    canvas.addEventListener("mousemove", function (e) {
      showTip(pointAt(e));
    });
    canvas.addEventListener("mouseleave", function () {
      showTip(-1);
    });
    canvas.addEventListener("click", function (e) {
      var i = pointAt(e);
      if (i >= 0) selectEvent(data.events[i].id, true);
    });
    // Left and right step through the events in date order.
    canvas.addEventListener("keydown", function (e) {
      var step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (!step || !n) return;
      e.preventDefault();
      var at = selectedOrder.length ? selectedOrder[0] : step > 0 ? -1 : n;
      var next = Math.min(Math.max(at + step, 0), n - 1);
      selectEvent(data.events[next].id, true);
    });
    strip.addEventListener("scroll", queueDraw);

    var zoomBy = function (factor) {
      var centre = (strip.scrollLeft + strip.clientWidth / 2) / width();
      zoom = Math.min(Math.max(zoom * factor, 1), 400);
      layout();
      strip.scrollLeft = centre * width() - strip.clientWidth / 2;
      draw();
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
      draw();
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

  // Bring the event at index i into view, if it is not.
  function reveal(i) {
    var x = X0[i];
    if (x < strip.scrollLeft || x > strip.scrollLeft + strip.clientWidth - 40) {
      strip.scrollLeft = Math.max(x - strip.clientWidth / 3, 0);
    }
  }

  function markStrip(ids) {
    if (!ids.length && !selectedOrder.length) return; // nothing was or is selected
    selected = {};
    selectedOrder = [];
    ids.forEach(function (id) {
      var i = indexOf[id];
      if (i === undefined || selected[i]) return;
      selected[i] = true;
      selectedOrder.push(i);
    });
    if (selectedOrder.length) reveal(selectedOrder[0]);
    if (hovered >= 0) tip.classList.toggle("selected", !!selected[hovered]);
    draw();
  }

  // What the strip shows, for whoever needs to find an event on it (the tests,
  // a host page): where an event's mark is on screen, which event is at a
  // point, the label text drawn for it ("" when hidden), and the selection.
  window.chronomapStrip = {
    boxOf: function (id) {
      var i = indexOf[id];
      if (i === undefined) return null;
      var r = canvas.getBoundingClientRect();
      return {
        x: r.left + X0[i] - strip.scrollLeft,
        y: r.top + rowTop(LANEOF[i]) + (ITEM - BAR) / 2,
        width: X1[i] - X0[i],
        height: BAR,
      };
    },
    reveal: function (id) {
      var before = strip.scrollLeft;
      if (indexOf[id] !== undefined) reveal(indexOf[id]);
      if (strip.scrollLeft !== before) draw();
    },
    eventAt: function (clientX, clientY) {
      var i = pointAt({ clientX: clientX, clientY: clientY });
      return i < 0 ? null : data.events[i].id;
    },
    labelShown: function (id) {
      var i = indexOf[id];
      return i === undefined ? 0 : LABELW[i];
    },
    selected: function () {
      return selectedOrder.map(function (i) {
        return data.events[i].id;
      });
    },
  };

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
