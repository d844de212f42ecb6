/*
 * The exported page's events arrive packed (payload.packed_payload: one list
 * per field, repeated values as numbers into tables of the distinct ones,
 * starts as steps from the previous start). chronomapUnpack turns them back
 * into the event records chronomap_map.js and the strip read, before either
 * sees them. It reads whatever fields are packed, by how each is packed, so
 * the fields themselves are decided in Python (the schema's page columns).
 */
window.chronomapUnpack = function (payload) {
  "use strict";
  var p = payload.packed;
  var events = new Array(p.t0.length);
  var t0 = 0;
  for (var i = 0; i < events.length; i++) {
    t0 += p.t0[i];
    events[i] = { t0: t0, t1: t0 + p.length[i] };
  }
  var each = function (fields, fill) {
    Object.keys(fields).forEach(function (name) {
      fill(name, fields[name]);
    });
  };
  // One value per event.
  each(p.plain, function (name, values) {
    for (var i = 0; i < events.length; i++) events[i][name] = values[i];
  });
  // [table, numbers]: each event's value is a number into the table; no
  // numbers when every event has the table's one value.
  each(p.shared, function (name, packed) {
    var table = packed[0];
    var numbers = packed[1];
    for (var i = 0; i < events.length; i++) {
      events[i][name] = numbers ? table[numbers[i]] : table[0];
    }
  });
  // [table, lists of numbers]: a list of values per event; no lists when
  // every event's list is empty.
  each(p.lists, function (name, packed) {
    var table = packed[0];
    var lists = packed[1];
    for (var i = 0; i < events.length; i++) {
      events[i][name] = lists
        ? lists[i].map(function (n) {
            return table[n];
          })
        : [];
    }
  });
  // The events for which a yes/no field is yes.
  each(p.marked, function (name, indices) {
    for (var i = 0; i < events.length; i++) events[i][name] = false;
    indices.forEach(function (n) {
      events[n][name] = true;
    });
  });
  var out = {};
  Object.keys(payload).forEach(function (key) {
    if (key !== "packed") out[key] = payload[key];
  });
  out.events = events;
  return out;
};
