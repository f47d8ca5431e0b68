// Tracking-number look-up: fetches one small index file and shows the public timeline.
// Everything from the data is written with textContent: complaint text is never HTML.
(function () {
  "use strict";
  var root = document.getElementById("lacak");
  if (!root) { return; }
  var form = root.querySelector("form");
  var input = root.querySelector("input");
  var result = root.querySelector(".lacak-hasil");
  var base = root.getAttribute("data-indeks");

  function shard(id) {  // FNV-1a 32-bit over UTF-8, mod 256 (pengaduan.site.shard_of)
    var bytes = new TextEncoder().encode(id);
    var value = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      value ^= bytes[i];
      value = Math.imul(value, 0x01000193) >>> 0;
    }
    return (value % 256).toString(16).padStart(2, "0");
  }

  function add(parent, tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    parent.appendChild(node);
    return node;
  }

  function show(entry) {
    result.replaceChildren();
    add(result, "h2", "Pengaduan " + entry.nomor);
    var facts = add(result, "dl");
    var rows = [["Diterima", entry.diterima], ["Kategori", entry.kategori], ["Keadaan", entry.keadaan],
                ["Menunggu", entry.menunggu], ["Ditangani", entry.sub_bagian], ["Hasil", entry.hasil],
                ["Ringkasan", entry.ringkasan]];
    if (entry.pelapor) { rows.push(["Pelapor (INTERNAL)", JSON.stringify(entry.pelapor)]); }
    rows.forEach(function (row) {
      if (row[1] === null || row[1] === undefined || row[1] === "") { return; }
      add(facts, "dt", row[0]);
      add(facts, "dd", row[1]);
    });
    add(result, "h3", "Langkah penanganan");
    var list = add(result, "ol", null, "lacak-langkah");
    entry.linimasa.forEach(function (step) {
      var item = add(list, "li");
      item.value = step.langkah;
      add(item, "strong", step.judul);
      var when = step.selesai ? " — selesai " + step.selesai : " — belum selesai";
      add(item, "span", when + (step.tenggat ? " (tenggat " + step.tenggat + ")" : "") + ": ");
      var late = step.keadaan === "terlambat" || step.keadaan === "lewat tenggat";
      add(item, "span", step.keadaan + (step.terlambat_hari_kerja ? " " + step.terlambat_hari_kerja + " hari kerja" : ""),
          late ? "lacak-terlambat" : "");
    });
  }

  function message(text) {
    result.replaceChildren();
    add(result, "p", text);
  }

  function look(id) {
    id = id.trim().toUpperCase();
    if (!/^[A-Z0-9-]{3,40}$/.test(id)) { message("Nomor pengaduan tidak sah. Contoh: PGD-2026-00012."); return; }
    message("Mencari…");
    fetch(base + shard(id) + ".json")
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (entries) {
        var found = entries.filter(function (entry) { return entry.nomor === id; })[0];
        if (found) { show(found); } else {
          message("Pengaduan " + id + " tidak ditemukan. Periksa nomornya; pengaduan yang bersifat rahasia tidak ditampilkan.");
        }
      })
      .catch(function () { message("Data tidak dapat dimuat. Coba lagi nanti."); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    history.replaceState(null, "", "#" + input.value.trim().toUpperCase());
    look(input.value);
  });
  if (location.hash.length > 1) {
    input.value = decodeURIComponent(location.hash.slice(1));
    look(input.value);
  }
})();
