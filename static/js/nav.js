// The navigation's links sit in a <details> "Menu" disclosure: folded behind its button
// below 1000 px, shown in a row on a wide screen (CSS, through ::details-content).
(() => {
  const menu = document.querySelector("[data-nav-menu]");
  if (!menu) return;
  const button = menu.querySelector("summary");
  // Only a folded menu (its button shown) closes: on a wide screen the links are the row.
  const folded = () => button !== null && getComputedStyle(button).display !== "none";

  // An open panel lies over the page, so a person expects what other menus do: Escape
  // closes it and gives the focus back to the button, a tap beside it closes it.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !menu.open || !folded()) return;
    menu.open = false;
    button.focus();
  });
  // pointerdown, not click: a phone's browser sends no click for a tap on plain text.
  document.addEventListener("pointerdown", (event) => {
    if (menu.open && folded() && !menu.contains(event.target)) menu.open = false;
  });

  // A browser without ::details-content would keep the links folded behind a hidden
  // button on a wide screen: there, open the disclosure on a wide screen and close it
  // on a narrow one.
  if (CSS.supports("selector(::details-content)")) return;
  const wide = window.matchMedia("(min-width: 1000px)");
  const follow = () => {
    menu.open = wide.matches;
  };
  follow();
  wide.addEventListener("change", follow);
})();
