/* gradwell: math, the code editor, and live submission status. No external requests. */
(function () {
  "use strict";

  function renderMath(root) {
    if (!window.katex) return;
    root.querySelectorAll(".math").forEach(function (el) {
      if (el.dataset.rendered) return;
      try {
        window.katex.render(el.textContent, el, {
          displayMode: el.dataset.display === "1", throwOnError: false,
        });
        el.dataset.rendered = "1";
      } catch (e) { /* leave the TeX source visible */ }
    });
  }

  function setupEditor() {
    var area = document.getElementById("source");
    if (!area) return;
    var editor = null;
    if (window.CodeMirror) {
      editor = window.CodeMirror.fromTextArea(area, {
        mode: "python", lineNumbers: true, indentUnit: 4, tabSize: 4,
        indentWithTabs: false, matchBrackets: true, viewportMargin: Infinity,
        extraKeys: { Tab: function (cm) { cm.replaceSelection("    "); } },
      });
      window.gradwellEditor = editor;
    }
    function setText(text) { if (editor) editor.setValue(text); else area.value = text; }
    var upload = document.getElementById("upload");
    if (upload) {
      upload.addEventListener("change", function () {
        var file = upload.files && upload.files[0];
        if (!file) return;
        var reader = new FileReader();
        reader.onload = function () { setText(String(reader.result)); };
        reader.readAsText(file);
      });
    }
    var reset = document.getElementById("reset-starter");
    var starter = document.getElementById("starter");
    if (reset && starter) {
      reset.addEventListener("click", function () {
        if (window.confirm(reset.dataset.confirm)) setText(starter.content.textContent);
      });
    }
    var form = document.getElementById("submit-form");
    if (form && editor) form.addEventListener("submit", function () { editor.save(); });
  }

  function poll() {
    var live = document.getElementById("live");
    if (!live) return;
    var status = live.dataset.status;
    if (status !== "queued" && status !== "running") return;
    var delay = 700;
    function refresh() {
      return fetch(live.dataset.resultsUrl, { credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          var box = document.getElementById("results");
          if (box) box.outerHTML = html;
          renderMath(live);
        });
    }
    function tick() {
      fetch(live.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.status !== status) {
            status = data.status;
            live.dataset.status = status;
            return refresh().then(function () { return status; });
          }
          return status;
        })
        .catch(function () { return status; })
        .then(function (s) {
          if (s === "queued" || s === "running") {
            delay = Math.min(delay * 1.3, 4000);
            window.setTimeout(tick, delay);
          }
        });
    }
    window.setTimeout(tick, delay);
  }

  document.addEventListener("DOMContentLoaded", function () {
    renderMath(document);
    setupEditor();
    poll();
  });
})();
