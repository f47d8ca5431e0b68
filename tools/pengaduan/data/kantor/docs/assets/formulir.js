// "Sampaikan pengaduan": composes a structured e-mail for the citizen's own mail app (mailto:), no server.
// The labels come from the form (pengaduan.core.mailform), so `pengaduan baru --eml` can read the e-mail back.
(function () {
  "use strict";
  var form = document.getElementById("formulir-pengaduan");
  if (!form) { return; }
  var result = document.getElementById("formulir-hasil");
  var link = document.getElementById("formulir-tautan");
  var text = document.getElementById("formulir-teks");

  function oneLine(value) { return value.replace(/\s+/g, " ").trim(); }

  function compose() {
    var lines = [form.getAttribute("data-awal")];
    var body = "";
    form.querySelectorAll("[data-label]").forEach(function (field) {
      if (field.type === "radio" && !field.checked) { return; }
      var label = field.getAttribute("data-label");
      if (field.tagName === "TEXTAREA") {
        body = label + ":\r\n" + field.value.replace(/\r?\n/g, "\r\n").trim();
      } else {
        lines.push(label + ": " + oneLine(field.value));
      }
    });
    lines.push(body, form.getAttribute("data-akhir"));
    return lines.join("\r\n");
  }

  // The browser's own "please fill in this field" follows its language; say it in Indonesian.
  form.querySelectorAll("[required]").forEach(function (field) {
    field.addEventListener("invalid", function () { field.setCustomValidity("Kolom ini wajib diisi."); });
    field.addEventListener("input", function () { field.setCustomValidity(""); });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!form.reportValidity()) { return; }
    var subject = form.getAttribute("data-subjek") + oneLine(form.querySelector("#f-perihal").value);
    var body = compose();
    link.href = "mailto:" + form.getAttribute("data-kepada") + "?subject=" + encodeURIComponent(subject) +
      "&body=" + encodeURIComponent(body);
    text.value = "Kepada: " + form.getAttribute("data-kepada") + "\nSubjek: " + subject + "\n\n" +
      body.replace(/\r\n/g, "\n");
    result.hidden = false;
    document.getElementById("formulir-siap").focus();
  });
})();
