/*
 * The exported page's events arrive packed (payload.packed_payload: one list
 * per field, repeated text as numbers into shared tables, starts as steps
 * from the previous start). chronomapUnpack turns them back into the event
 * records chronomap_map.js and the strip read, before either sees them.
 */
window.chronomapUnpack = function (payload) {
  "use strict";
  var p = payload.packed;
  var tables = p.tables;
  var approximate = {};
  p.approximate.forEach(function (i) {
    approximate[i] = true;
  });
  var ids = function (table, numbers) {
    return numbers.map(function (n) {
      return table[n];
    });
  };
  var events = new Array(p.id.length);
  var t0 = 0;
  for (var i = 0; i < events.length; i++) {
    t0 += p.t0[i];
    events[i] = {
      id: p.id[i],
      title: p.title[i],
      t0: t0,
      t1: t0 + p.length[i],
      category: tables.category[p.category[i]],
      places: ids(tables.places, p.places[i]),
      date: tables.date[p.date[i]],
      precision: tables.precision[p.precision[i]],
      approximate: approximate[i] === true,
      summary: tables.summary[p.summary[i]],
      sources: ids(tables.sources, p.sources[i]),
    };
  }
  var out = {};
  Object.keys(payload).forEach(function (key) {
    if (key !== "packed") out[key] = payload[key];
  });
  out.events = events;
  return out;
};
