/* Citation previews on tap, links into collapsed sections, the sortable, filterable study index,
   and the addresses of outside links on paper.
   No other host is contacted. */
(function () {
  "use strict";

  // A first tap on a citation opens its preview; a second tap follows the link.
  // The click is caught on its way down (capture phase) and cancelled there, before the link is followed.
  function closeAll(except) {
    document.querySelectorAll(".cite.is-open").forEach(function (el) {
      if (el !== except) el.classList.remove("is-open");
    });
  }
  var lastPointer = "mouse";
  document.addEventListener("pointerdown", function (event) { lastPointer = event.pointerType; }, true);
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".cite__link");
    var cite = link && link.closest(".cite");
    if (cite && lastPointer === "touch" && !cite.classList.contains("is-open")) {
      event.preventDefault();
      closeAll(cite);
      cite.classList.remove("is-dismissed");
      cite.classList.add("is-open");
      return;
    }
    if (!event.target.closest || !event.target.closest(".cite")) closeAll(null);
  }, true);
  // Esc hides the preview that is showing, and leaves focus and pointer where they are (WCAG 1.4.13); the preview comes
  // back once the pointer or focus has left the citation and returns to it.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".cite:hover, .cite:focus-within, .cite.is-open").forEach(function (el) {
      el.classList.add("is-dismissed");
    });
    closeAll(null);
  });
  function undismiss(event) {
    var cite = event.target.closest && event.target.closest(".cite.is-dismissed");
    if (cite && !(event.relatedTarget && cite.contains(event.relatedTarget))) cite.classList.remove("is-dismissed");
  }
  document.addEventListener("mouseout", undismiss);
  document.addEventListener("focusout", undismiss);

  // A link to a logged search lands on it although "How we searched" is collapsed: each <details> around
  // the target is opened before the browser scrolls to it.
  function openAround(hash) {
    var target = null;
    try {
      target = hash.length > 1 && document.getElementById(decodeURIComponent(hash.slice(1)));
    } catch (error) {  // a malformed address (a stray %) targets nothing
      return null;
    }
    var opened = false;
    for (var el = target && target.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) {
        el.open = true;
        opened = true;
      }
    }
    return opened ? target : null;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href*='#']");
    if (link && link.origin === location.origin && link.pathname === location.pathname) openAround(link.hash);
  }, true);
  function openFromAddress() {
    var target = openAround(location.hash);
    if (target) target.scrollIntoView();
  }
  window.addEventListener("hashchange", openFromAddress);

  function setUpIndex() {
    var root = document.querySelector(".study-index");
    if (!root || root.dataset.ready) return;
    root.dataset.ready = "1";
    var table = root.querySelector("table");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var count = root.querySelector(".study-index__count");
    var filter = root.querySelector("input");

    function cellValue(row, index, numeric) {
      var cell = row.cells[index];
      var raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
      if (!numeric) return raw.toLowerCase();
      var number = parseFloat(raw);
      return isNaN(number) ? -Infinity : number;
    }

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var numeric = th.dataset.sortType === "number";
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });

    function applyFilter() {
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " studies shown";
    }
    filter.addEventListener("input", applyFilter);
    applyFilter();
  }

  // A printout gives each link that leaves the site its address, and each link of a reference list too (a study page
  // is the one address of a reference without a DOI): site.css, @media print. The browser gives each link's full address,
  // where the page has it relative.
  function markPrintedAddresses() {
    document.querySelectorAll(".md-content a[href]").forEach(function (link) {
      var outside = /^https?:$/.test(link.protocol) && link.host !== location.host;
      if (outside || link.closest("ol.references")) link.setAttribute("data-print-href", link.href);
    });
  }

  function setUp() {
    openFromAddress();
    setUpIndex();
    markPrintedAddresses();
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
