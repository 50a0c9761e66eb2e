// The payment list: "select all on this page" and the count of ticked rows.
// Without JavaScript every row's box still works; only the select-all box stays hidden.
(function () {
  "use strict";
  var form = document.getElementById("bulk-form");
  if (!form) {
    return;
  }
  var all = form.querySelector("input.select-all");
  var count = form.querySelector(".bulk-count");
  var template = count ? count.getAttribute("data-template") : null;

  function boxes() {
    return form.querySelectorAll('input[name="ids"]');
  }

  function update() {
    var ticked = 0;
    var list = boxes();
    for (var i = 0; i < list.length; i += 1) {
      if (list[i].checked) {
        ticked += 1;
      }
    }
    if (count && template) {
      count.textContent = ticked ? template.replace("{n}", String(ticked)) : "";
    }
    if (all) {
      all.checked = ticked > 0 && ticked === list.length;
      all.indeterminate = ticked > 0 && ticked < list.length;
    }
    form.classList.toggle("has-selection", ticked > 0);
  }

  if (all) {
    all.hidden = false;
    all.addEventListener("change", function () {
      var list = boxes();
      for (var i = 0; i < list.length; i += 1) {
        list[i].checked = all.checked;
      }
      update();
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "ids") {
      update();
    }
  });
  update();
})();
