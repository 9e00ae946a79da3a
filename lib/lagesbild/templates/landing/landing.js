/* lägesbild landing page: filter the list of kommuner (and dim the map) as the reader types.
 * Inlined by lagesbild.landing. Without JavaScript the search field stays hidden and the full list works. */
(function () {
  "use strict";
  var box = document.getElementById("lb-sokruta");
  var input = document.getElementById("lb-sok");
  var count = document.getElementById("lb-antal");
  var none = document.getElementById("lb-ingen");
  if (!box || !input || !count) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll(".lb-kommun"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".lb-lan"));
  var onMap = {};
  Array.prototype.forEach.call(document.querySelectorAll(".lb-map a[data-kommun]"), function (a) {
    onMap[a.getAttribute("data-kommun")] = a;
  });
  var total = items.length;
  var allText = count.textContent;

  /* the same normalisation as lagesbild.landing.search_text: NFD, marks removed, lower case */
  function norm(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  }

  function filter() {
    var words = norm(input.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var key = item.getAttribute("data-search") || "";
      var match = words.every(function (w) { return key.indexOf(w) !== -1; });
      item.hidden = !match;
      if (match) { shown += 1; }
      var link = onMap[item.getAttribute("data-kommun")];
      if (link) { link.classList.toggle("lb-dim", !match); }
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector(".lb-kommun:not([hidden])");
    });
    if (none) { none.hidden = shown > 0; }
    count.textContent = words.length ? shown + " av " + total + " kommuner visas." : allText;
  }

  /* a map link to a kommun the filter hides: clear the search before the browser goes there */
  Object.keys(onMap).forEach(function (code) {
    onMap[code].addEventListener("click", function () {
      var target = document.getElementById("k-" + code);
      if (target && target.hidden) {
        input.value = "";
        filter();
      }
    });
  });

  /* move the keyboard focus to the kommun a link went to, so reading and tabbing go on from there */
  function focusTarget() {
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target && target.classList.contains("lb-kommun") && !target.hidden) { target.focus(); }
  }

  box.hidden = false;
  input.addEventListener("input", filter);
  window.addEventListener("hashchange", focusTarget);
  if (input.value) { filter(); }  /* a value the browser restored on back/forward */
})();
