// The source form shows only the fields of the chosen category's calculation model.
// The category <select data-model-select> has options with data-model="capital" etc.;
// each model's <fieldset data-model="..."> is hidden unless it matches, and the help
// text <small data-help-for="<category id>"> of the chosen category is shown.
// Without JavaScript every group stays visible (progressive enhancement).
(function () {
  "use strict";

  function setUp(form) {
    var select = form.querySelector("select[data-model-select]");
    if (!select) {
      return;
    }
    var groups = form.querySelectorAll("fieldset[data-model]");
    var helps = form.querySelectorAll("[data-help-for]");

    function update() {
      var option = select.options[select.selectedIndex];
      var model = option && option.dataset.model ? option.dataset.model : "";
      groups.forEach(function (group) {
        // A group holding an error stays visible, so no message is ever hidden.
        var hasError = group.querySelector(".field-invalid") !== null;
        group.hidden = group.dataset.model !== model && !hasError;
      });
      helps.forEach(function (help) {
        help.hidden = help.dataset.helpFor !== select.value;
      });
    }

    select.addEventListener("change", update);
    update();
  }

  document.querySelectorAll("form[data-source-form]").forEach(setUp);
})();
