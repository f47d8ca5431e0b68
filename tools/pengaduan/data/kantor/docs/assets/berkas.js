// Opened from disk (file://), a link to a folder ("lacak/") shows a file listing instead of the page:
// point such links at the folder's index.html, so the whole site can be read without a web server.
(function () {
  "use strict";
  if (location.protocol !== "file:") { return; }
  document.querySelectorAll("a[href]").forEach(function (link) {
    var href = link.getAttribute("href");
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.charAt(0) === "#") { return; }  // mailto:, https:, anchors
    var parts = href.split("#");
    if (parts[0] === "" || parts[0] === "." || parts[0] === "./") { parts[0] = "./index.html"; }
    else if (parts[0].slice(-1) === "/") { parts[0] += "index.html"; }
    else { return; }
    link.setAttribute("href", parts.join("#"));
  });
})();
