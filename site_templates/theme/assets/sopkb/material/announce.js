/* Material for MkDocs 9.8.1, templates/partials/javascripts/announce.html (MIT licence, (c) Martin Donath),
   moved from an inline <script> into this file, so the pages' Content-Security-Policy allows no
   inline script at all. The partial of the same name in site_templates/theme loads it. */
var el=document.querySelector("[data-md-component=announce]");if(el){var content=el.querySelector(".md-typeset");__md_hash(content.innerHTML)===__md_get("__announce")&&(el.hidden=!0)}
