// A table wider than its box says so: [data-scroll-hint] gets the class "is-scrollable"
// while its content is wider than it is and not yet scrolled to the end, which shows the
// ".scroll-hint" just before it (hidden otherwise). No inline styles: the CSP forbids them.
(function () {
  "use strict";
  function update(box) {
    var more = box.scrollWidth - box.clientWidth - box.scrollLeft > 2;
    box.classList.toggle("is-scrollable", more);
    var hint = box.previousElementSibling;
    if (hint && hint.classList.contains("scroll-hint")) {
      hint.classList.toggle("is-visible", more);
    }
  }
  function setUp() {
    document.querySelectorAll("[data-scroll-hint]").forEach(function (box) {
      update(box);
      box.addEventListener("scroll", function () { update(box); }, { passive: true });
      window.addEventListener("resize", function () { update(box); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
