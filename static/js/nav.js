// The navigation's links sit in a <details> that CSS shows on a wide screen through
// ::details-content. A browser without that selector would keep them folded behind a
// hidden button: there, open the disclosure on a wide screen and close it on a narrow one.
(() => {
  const menu = document.querySelector("[data-nav-menu]");
  if (!menu || CSS.supports("selector(::details-content)")) return;
  const wide = window.matchMedia("(min-width: 1000px)");
  const follow = () => {
    menu.open = wide.matches;
  };
  follow();
  wide.addEventListener("change", follow);
})();
