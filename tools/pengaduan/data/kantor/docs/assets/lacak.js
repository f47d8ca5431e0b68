// Tracking-number look-up: loads one small index script (so it also works on a page opened from disk)
// and shows the public timeline of one complaint as steps, with today's position and the next deadline.
// Everything from the data is written with textContent: complaint text is never HTML.
(function () {
  "use strict";
  var root = document.getElementById("lacak");
  if (!root) { return; }
  var form = root.querySelector("form");
  var input = root.querySelector("input");
  var result = root.querySelector(".lacak-hasil");
  var base = root.getAttribute("data-indeks");
  var MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                "Oktober", "November", "Desember"];
  var DAYS = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"];
  var LATE = {"terlambat": true, "lewat tenggat": true};

  function shard(id) {  // FNV-1a 32-bit over UTF-8, mod 256 (pengaduan.outputs.site.shard_of)
    var bytes = new TextEncoder().encode(id);
    var value = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      value ^= bytes[i];
      value = Math.imul(value, 0x01000193) >>> 0;
    }
    return (value % 256).toString(16).padStart(2, "0");
  }

  function longDate(iso, withDay) {  // "2026-11-30" -> "Senin, 30 November 2026"
    if (!iso) { return ""; }
    var parts = iso.split("-").map(Number);
    var day = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]));
    var text = parts[2] + " " + MONTHS[parts[1] - 1] + " " + parts[0];
    return withDay ? DAYS[day.getUTCDay()] + ", " + text : text;
  }

  function todayInWib() {  // the office's date (UTC+7), whatever the reader's time zone
    return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
  }

  function add(parent, tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    parent.appendChild(node);
    return node;
  }

  var REPORTER = [["kerahasiaan", "Kerahasiaan"], ["nama", "Nama pelapor"], ["nik", "NIK"], ["email", "Surel"],
                  ["telepon", "Telepon"], ["alamat", "Alamat"]];

  function stepState(step, today) {
    if (!step.selesai && step.tenggat && today > step.tenggat) { return "lewat tenggat"; }
    return step.keadaan;
  }

  function show(entry, asOf) {
    var today = todayInWib();
    result.replaceChildren();
    var heading = add(result, "h2", "Pengaduan " + entry.nomor);
    heading.tabIndex = -1;
    var facts = add(result, "dl", null, "lacak-fakta");
    var rows = [["Diterima", longDate(entry.diterima, false)], ["Kategori", entry.kategori],
                ["Keadaan", entry.keadaan], ["Ditangani", entry.sub_bagian], ["Hasil", entry.hasil],
                ["Ringkasan", entry.ringkasan]];
    if (entry.pelapor) {  // the INTERNAL build only: who complained and what they wrote, labelled
      REPORTER.forEach(function (field) {
        rows.push([field[1] + " (INTERNAL)", entry.pelapor[field[0]]]);
      });
      rows.push(["Perihal dari pelapor (INTERNAL)", entry.perihal], ["Uraian (INTERNAL)", entry.uraian]);
    }
    rows.forEach(function (row) {
      if (row[1] === null || row[1] === undefined || row[1] === "") { return; }
      add(facts, "dt", row[0]);
      add(facts, "dd", row[1]);
    });
    if (entry.pelapor && entry.lampiran && entry.lampiran.length) {  // files copied into the INTERNAL build
      add(facts, "dt", "Lampiran (INTERNAL)");
      var files = add(facts, "dd");
      entry.lampiran.forEach(function (name, index) {
        if (index) { files.appendChild(document.createTextNode(", ")); }
        var link = add(files, "a", name);
        link.href = "../lampiran/" + encodeURIComponent(entry.nomor) + "/" + encodeURIComponent(name);
      });
    }
    var open = entry.linimasa.filter(function (step) { return !step.selesai; })[0];
    if (open) {
      var passed = open.tenggat && today > open.tenggat;
      var next = add(result, "p", null, passed ? "lacak-tenggat lacak-tenggat-lewat" : "lacak-tenggat");
      add(next, "strong", "Tenggat berikutnya: ");
      add(next, "span", longDate(open.tenggat, true) + ", langkah " + open.langkah + " (" + open.judul + ")" +
          (passed ? ". Tenggat ini sudah lewat; penanganannya terlambat." : "."));
    }
    add(result, "h3", "Langkah penanganan");
    var list = add(result, "ol", null, "lacak-langkah");
    var marked = false;
    function markToday() {
      var item = add(list, "li", null, "lacak-hari-ini");
      add(item, "strong", "Hari ini");
      add(item, "span", ", " + longDate(today, true));
      marked = true;
    }
    entry.linimasa.forEach(function (step) {
      if (!marked && (!step.selesai || step.selesai > today)) { markToday(); }
      var state = stepState(step, today);
      var item = add(list, "li", null, step.selesai ? "lacak-selesai" : "lacak-menunggu");
      add(item, "strong", "Langkah " + step.langkah + ". " + step.judul);
      add(item, "span", step.selesai ? "Selesai " + longDate(step.selesai, true) : "Belum selesai", "lacak-waktu");
      if (step.tenggat) { add(item, "span", "Tenggat " + longDate(step.tenggat, true), "lacak-waktu"); }
      add(item, "span", state + (step.terlambat_hari_kerja ? ", " + step.terlambat_hari_kerja + " hari kerja" : ""),
          LATE[state] ? "lacak-keadaan lacak-terlambat" : "lacak-keadaan");
    });
    if (!marked) { markToday(); }
    add(result, "p", "Data per " + longDate(asOf, false) + ".", "lacak-per");
    heading.focus();
  }

  function message(text) {
    result.replaceChildren();
    add(result, "p", text);
  }

  function load(key, done) {  // a <script> works from a web server and from a file alike
    var store = window.PENGADUAN_LACAK || {};
    if (store[key]) { done(store[key]); return; }
    var script = document.createElement("script");
    script.src = base + key + ".js";
    script.onload = function () { done((window.PENGADUAN_LACAK || {})[key] || null); };
    script.onerror = function () { done(null); };
    document.head.appendChild(script);
  }

  function look(id) {
    id = id.trim().toUpperCase();
    if (!/^[A-Z0-9-]{3,40}$/.test(id)) { message("Nomor pengaduan tidak sah. Contoh: PGD-2026-00012."); return; }
    message("Mencari…");
    load(shard(id), function (data) {
      if (!data) { message("Data tidak dapat dimuat. Coba lagi nanti."); return; }
      var found = data.pengaduan.filter(function (entry) { return entry.nomor === id; })[0];
      if (found) { show(found, data.per); } else {
        message("Pengaduan " + id + " tidak ditemukan. Periksa nomornya dan lihat catatan di bawah ini.");
      }
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    history.replaceState(null, "", "#" + encodeURIComponent(input.value.trim().toUpperCase()));
    look(input.value);
  });
  function fromAddress() {  // lacak/#PGD-2026-00012, also when only the # part changes
    if (location.hash.length > 1) {
      input.value = decodeURIComponent(location.hash.slice(1));
      look(input.value);
    }
  }
  window.addEventListener("hashchange", fromAddress);
  fromAddress();
})();
