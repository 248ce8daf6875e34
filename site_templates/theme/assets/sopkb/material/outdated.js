/* Material for MkDocs 9.8.1, templates/partials/javascripts/outdated.html (MIT licence, (c) Martin Donath),
   moved from an inline <script> into this file, so the pages' Content-Security-Policy allows no
   inline script at all. The partial of the same name in site_templates/theme loads it. */
var el=document.querySelector("[data-md-component=outdated]"),base=new URL(document.currentScript.dataset.base,location),outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1)
